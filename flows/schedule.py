"""`mubiao serve`: run the nightly ingestion on its cron against a real Prefect server."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from flows.settings import quiet_prefect_defaults

quiet_prefect_defaults()

DEPLOYMENT_NAME = "mubiao-nightly"
SERVER_START_TIMEOUT_S = 90.0
SERVER_STOP_TIMEOUT_S = 30.0


class ScheduleError(Exception):
    """The Prefect server needed for scheduling is missing or did not start."""


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def _free_port(preferred: int = 4200) -> int:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", preferred)) != 0:
            return preferred
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_server(log_path: Path) -> tuple[subprocess.Popen, str]:
    """Start `prefect server start` on loopback (output to log_path); return (process, API URL) without waiting."""
    port = _free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}/api"


def wait_until_ready(proc: subprocess.Popen, api_url: str, log_path: Path) -> None:
    """Wait until a launched server answers; raise ScheduleError if it exits or takes too long."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ScheduleError(f"prefect server exited with code {proc.returncode}; see {log_path}")
        if _healthy(api_url):
            return
        time.sleep(0.5)
    raise ScheduleError(f"prefect server did not answer within {SERVER_START_TIMEOUT_S:.0f} s; see {log_path}")


def stop_server(proc: subprocess.Popen) -> None:
    """Terminate a server we started, killing it if it does not exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=SERVER_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def check_schedule(cron: str, timezone: str) -> None:
    """Raise ScheduleError (one line) unless cron is a 5-field cron string and timezone an IANA name."""
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    try:
        CronSchedule(cron=cron, timezone=timezone)
    except ValidationError as e:
        fields = {str(err["loc"][0]) for err in e.errors() if err["loc"]}
        if "cron" in fields:
            raise ScheduleError(f"--cron {cron!r} is not a cron string: it needs 5 fields "
                                "(minute hour day month weekday), e.g. '0 2 * * *' for 02:00 every night") from None
        raise ScheduleError(f"--timezone {timezone!r} is not an IANA time zone, e.g. Asia/Shanghai") from None


def serve_nightly(cron: str, timezone: str, inbox: Path, warehouse: Path) -> None:
    """Register the `ingest/mubiao-nightly` deployment with its cron and execute its runs until stopped."""
    check_schedule(cron, timezone)
    api_url = os.environ.get("PREFECT_API_URL")
    log_path = warehouse.parent / "prefect-server.log"
    server: subprocess.Popen | None = None

    def stop_before_serving(signum: int, frame: object) -> None:
        # Prefect's runner installs its own SIGTERM handler once it polls; before that, a stop must still end the
        # server we started. Exit outright: Prefect's sync/async bridge swallows exceptions raised in handlers.
        if server is not None:
            stop_server(server)
        sys.stdout.flush()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop_before_serving)
    if api_url:
        if not _healthy(api_url):
            raise ScheduleError(f"no Prefect server answers at PREFECT_API_URL={api_url}")
    else:
        print(f"PREFECT_API_URL is not set: starting a local Prefect server (log: {log_path})", flush=True)
        server, api_url = launch_server(log_path)
    try:
        # Imported while the server boots: both take seconds.
        from prefect.schedules import Cron
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.ingest import ingest

        if server is not None:
            wait_until_ready(server, api_url, log_path)
            print(f"Prefect server ready at {api_url} (UI: {api_url.removesuffix('/api')})", flush=True)
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            print(f"serving {DEPLOYMENT_NAME}: cron '{cron}' ({timezone}), inbox {inbox}, warehouse {warehouse}",
                  flush=True)
            ingest.serve(name=DEPLOYMENT_NAME, schedules=[Cron(cron, timezone=timezone)],
                         parameters={"inbox": str(inbox), "warehouse": str(warehouse)})
    finally:
        if server is not None:
            stop_server(server)
