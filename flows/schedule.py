"""`mubiao serve`: run the nightly ingestion on its cron against a real Prefect server."""
from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from flows.prefect_api import PrefectServer, healthy
from flows.settings import quiet_prefect_defaults

quiet_prefect_defaults()

DEPLOYMENT_NAME = "mubiao-nightly"
SERVER_START_TIMEOUT_S = 90.0


class ScheduleError(Exception):
    """The schedule is invalid, or the Prefect server PREFECT_API_URL names does not answer."""


def descendants(pid: int) -> list[int]:
    """Every live process below pid (children first), read from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop(0)
        found.append(child)
        todo += children.get(child, [])
    return found


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _serve_deployment(cron: str, timezone: str, inbox: Path, warehouse: Path, api_url: str,
                      failure: list[BaseException]) -> None:
    """Register the deployment and execute its runs (Prefect's runner), in a thread the stop signal never enters."""
    try:
        from prefect.schedules import Cron
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.ingest import ingest

        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            print(f"serving {DEPLOYMENT_NAME}: cron '{cron}' ({timezone}), inbox {inbox}, warehouse {warehouse}",
                  flush=True)
            ingest.serve(name=DEPLOYMENT_NAME, schedules=[Cron(cron, timezone=timezone)],
                         parameters={"inbox": str(inbox), "warehouse": str(warehouse)})
    except BaseException as e:  # reported by the main thread in one line
        failure.append(e)


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
    """Register the `ingest/mubiao-nightly` deployment with its cron and execute its runs until SIGTERM or Ctrl-C.

    The runner works in a daemon thread; the main thread only waits for a stop signal. On one it kills a run in
    flight (left to resume at the next run, as after a crash), stops the Prefect server it started, prints one
    line and exits 0 — Prefect's runner is never unwound, so nothing prints a traceback.
    """
    check_schedule(cron, timezone)
    api_url = os.environ.get("PREFECT_API_URL")
    log_path = warehouse.parent / "prefect-server.log"
    server: PrefectServer | None = None
    stop = threading.Event()
    received: list[str] = []

    def on_signal(signum: int, frame: object) -> None:
        received.append(signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    failure: list[BaseException] = []
    try:
        if api_url:
            if not healthy(api_url):
                raise ScheduleError(f"no Prefect server answers at PREFECT_API_URL={api_url}")
        else:
            print(f"PREFECT_API_URL is not set: starting a local Prefect server (log: {log_path})", flush=True)
            server = PrefectServer.long_lived(log_path)
            server.wait(SERVER_START_TIMEOUT_S, stop)
            api_url = server.url
            if not stop.is_set():
                print(f"Prefect server ready at {api_url} (UI: {api_url.removesuffix('/api')})", flush=True)
        if not stop.is_set():
            runner = threading.Thread(target=_serve_deployment, name="mubiao-runner", daemon=True,
                                      args=(cron, timezone, inbox, warehouse, api_url, failure))
            runner.start()
            while not stop.wait(0.5) and runner.is_alive():
                pass
    except BaseException:
        if server is not None:
            server.stop()
        raise
    for pid in descendants(os.getpid()):  # flow runs and their workers: killed, as a crash would
        if server is None or (pid != server.pid and pid not in descendants(server.pid)):
            _kill(pid)
    if server is not None:
        server.stop()
    if failure and not stop.is_set():
        error = failure[0]
        print(f"mubiao serve: the Prefect runner stopped ({type(error).__name__}: {error})".splitlines()[0],
              file=sys.stderr, flush=True)
        os._exit(1)
    print(f"mubiao serve: stopped on {received[0] if received else 'request'}; "
          "a run in progress resumes at the next run", flush=True)
    os._exit(0)  # the runner thread is not unwound: no Prefect shutdown tracebacks
