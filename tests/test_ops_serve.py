"""`mubiao serve` starts a real Prefect server, registers the nightly deployment on its cron, and stops cleanly."""
from __future__ import annotations

import json
import re
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytest.register_assert_rewrite("ops_support")
from ops_support import SEEDS, api_healthy, base_env, start_mubiao  # noqa: E402

pytestmark = pytest.mark.integration

CRON, TIMEZONE = "0 2 * * *", "Asia/Shanghai"
SERVER_READY = re.compile(r"Prefect server ready at (http://127\.0\.0\.1:\d+/api)")


def _api(api_url: str, path: str, body: dict | None = None) -> dict | list | None:
    """GET (or POST a JSON body to) the Prefect API; None for 404."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(api_url + path, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def _poll(fetch: Callable[[], Any], timeout_s: float) -> Any:
    """The first truthy answer of fetch(), polled until timeout."""
    deadline = time.monotonic() + timeout_s
    while not (answer := fetch()):
        if time.monotonic() > deadline:
            pytest.fail(f"no answer within {timeout_s:.0f} s")
        time.sleep(0.5)
    return answer


def test_serve_registers_the_nightly_deployment_and_stops_its_server(tmp_path: Path) -> None:
    env = {**base_env(tmp_path), "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1"}
    wh = tmp_path / "nightly" / "w.duckdb"
    serve = start_mubiao(["serve", "--cron", CRON, "--timezone", TIMEZONE, "--inbox", str(SEEDS),
                          "--warehouse", str(wh)], env, tmp_path / "serve.log")
    try:
        serve.wait_for(SERVER_READY, timeout_s=120)
        api_url = SERVER_READY.search(serve.output()).group(1)
        deployment = _poll(lambda: _api(api_url, "/deployments/name/ingest/mubiao-nightly"), timeout_s=60)
        assert [(s["schedule"]["cron"], s["schedule"]["timezone"], s["active"]) for s in deployment["schedules"]] \
            == [(CRON, TIMEZONE, True)]
        assert deployment["parameters"] == {"inbox": str(SEEDS), "warehouse": str(wh)}
        # The server's scheduler places the nightly runs at 02:00 Beijing time (18:00 UTC the day before).
        scheduled = _poll(lambda: _api(api_url, "/flow_runs/filter", {
            "deployments": {"id": {"any_": [deployment["id"]]}}}), timeout_s=30)
        local = [datetime.fromisoformat(r["expected_start_time"]).astimezone(ZoneInfo(TIMEZONE)) for r in scheduled]
        assert {(t.hour, t.minute) for t in local} == {(2, 0)}
        assert len({t.date() for t in local}) == len(local) > 1

        serve.popen.send_signal(signal.SIGTERM)  # what systemd or docker send to stop the service
        assert serve.popen.wait(timeout=30) == 0, serve.tail()
        assert not serve.group_alive() and not api_healthy(api_url), "the Prefect server outlived `mubiao serve`"
        assert "Traceback" not in serve.output(), serve.tail(60)
        assert serve.output().splitlines()[-1] == \
            "mubiao serve: stopped on SIGTERM; a run in progress resumes at the next run", serve.tail()
    finally:
        serve.kill()


def test_ctrl_c_while_the_server_boots_leaves_no_server_behind(tmp_path: Path) -> None:
    serve = start_mubiao(["serve", "--inbox", str(SEEDS), "--warehouse", str(tmp_path / "w.duckdb")],
                         base_env(tmp_path), tmp_path / "serve.log")
    try:
        serve.wait_for(re.compile("starting a local Prefect server"), timeout_s=60)
        serve.popen.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert serve.popen.wait(timeout=40) == 0, serve.tail()
        assert not serve.group_alive(), "the Prefect server outlived `mubiao serve`"
        assert "Traceback" not in serve.output(), serve.tail(60)
        assert serve.output().splitlines()[-1].startswith("mubiao serve: stopped on SIGINT"), serve.tail()
    finally:
        serve.kill()
