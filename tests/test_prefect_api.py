"""The API a `mubiao run` uses: a temporary server of its own, or the one PREFECT_API_URL names."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from flows.prefect_api import prefect_api, healthy
    from prefect.settings import get_current_settings
    with prefect_api():
        settings = get_current_settings()
        print(settings.api.url.startswith("http://127.0.0.1:"), healthy(settings.api.url),
              settings.flows.heartbeat_frequency)
""")


def _run(env: dict[str, str]) -> list[str]:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_run_on_its_temporary_server_sends_no_heartbeats_so_its_end_waits_for_none() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_FLOWS_HEARTBEAT_FREQUENCY")}
    assert _run(env) == ["True", "True", "None"]


def test_a_run_on_a_long_lived_server_keeps_prefects_heartbeats() -> None:
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"}  # nothing is started, nothing is called
    env.pop("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", None)
    url_is_local, answered, heartbeat = _run(env)
    assert (url_is_local, answered) == ("True", "False") and heartbeat != "None"
