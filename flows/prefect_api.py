"""The Prefect servers mubiao starts (one starter, `PrefectServer`), and Prefect's API for one `mubiao run`.

Both kinds run Prefect's server app (`uvicorn prefect.server.api.server:create_app`), as Prefect's own temporary
server (SubprocessASGIServer) and `prefect server start` do. Prefect starts its temporary server itself when the
first flow begins, and waits for it (8–16 s, mostly its own imports); `mubiao run` starts it (`prefect_api()`) as
soon as it knows the run has work, so the server boots while this process imports Prefect and GX and the workers
extract; it is stopped when the run ends. With PREFECT_API_URL set (a long-lived `prefect server start`,
`mubiao serve`'s server, Prefect Cloud) nothing is started. `mubiao serve` starts the long-lived kind
(flows/schedule.py) when PREFECT_API_URL is not set.
"""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path

log = logging.getLogger("mubiao")

PORT_IN_USE = 3  # uvicorn's exit code when it cannot bind
UI_PORT = 4200  # Prefect's usual port, for the long-lived server when it is free
STOP_TIMEOUT_S = 10.0


def free_port(preferred: int | None = None) -> int:
    """A free port on 127.0.0.1: `preferred` when nothing listens there, else one the system picks."""
    if preferred is not None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            if s.connect_ex(("127.0.0.1", preferred)) != 0:
                return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_forwarding_stderr(command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes],
                                                                              threading.Thread]:
    """Start a process whose stderr lines are written to this process's current sys.stderr (above a progress bar
    while one is drawn, not through it); join the thread after the process ends to have them all."""
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)

    def forward() -> None:
        for line in iter(process.stderr.readline, b""):  # type: ignore[union-attr]
            sys.stderr.write(line.decode("utf-8", "replace"))
        sys.stderr.flush()

    thread = threading.Thread(target=forward, daemon=True)
    thread.start()
    return process, thread


class PrefectServerError(RuntimeError):
    """A Prefect server we started did not come up: a one-line message for the user."""


class PrefectServer:
    """A Prefect server process on 127.0.0.1 running Prefect's server app under uvicorn; `url` once `wait()` returned.

    | kind                        | used by        | port           | UI and services (scheduler, late runs) | output    |
    |-----------------------------|----------------|----------------|----------------------------------------|-----------|
    | `temporary()`               | `mubiao run`   | any free one   | no: Prefect's ephemeral mode           | errors    |
    | `long_lived(log_path)`      | `mubiao serve` | 4200 when free | yes, as `prefect server start`         | log file  |
    """

    def __init__(self, log_path: Path | None) -> None:
        self.log_path = log_path
        self.port = free_port(UI_PORT if log_path else None)
        self._stderr: threading.Thread | None = None
        self._process = self._start()

    @classmethod
    def temporary(cls) -> PrefectServer:
        """The API alone for one run: no UI, no background services (so no schedules)."""
        server = cls(None)
        log.info("starting a temporary Prefect server on 127.0.0.1:%d (set PREFECT_API_URL to use a long-lived "
                 "one)", server.port)
        return server

    @classmethod
    def long_lived(cls, log_path: Path) -> PrefectServer:
        """A full server (UI, scheduler) writing its output to log_path."""
        log_path.parent.mkdir(parents=True, exist_ok=True)
        return cls(log_path)

    def _start(self) -> subprocess.Popen[bytes]:
        prefect_dir = Path(find_spec("prefect").origin).parent  # type: ignore[union-attr, arg-type]
        env = {**os.environ, "PREFECT__SERVER_FINAL": "1"}
        if self.log_path is None:
            env |= {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1"}
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory",
                   "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
                   "--log-level", "error" if self.log_path is None else "info", "--lifespan", "on"]
        if self.log_path is None:  # its lines print above a progress bar, not through it
            process, self._stderr = start_forwarding_stderr(command, env)
            return process
        self._stderr = None
        with self.log_path.open("ab") as output:
            return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)

    @property
    def url(self) -> str:
        """The API address for PREFECT_API_URL."""
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self._process.pid

    def _failed(self, problem: str) -> PrefectServerError:
        kind = "temporary" if self.log_path is None else "local"
        return PrefectServerError(f"the {kind} Prefect server {problem}"
                                  + (f"; see {self.log_path}" if self.log_path else ""))

    def wait(self, timeout_s: float, stop: threading.Event | None = None) -> None:
        """Block until the server answers its health check (or `stop` is set); raise PrefectServerError if it exits
        or does not answer in time."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not (stop and stop.is_set()):
            if self._process.poll() == PORT_IN_USE:  # taken since free_port looked: another one
                self.port = free_port()
                self._process = self._start()
            elif self._process.poll() is not None:
                raise self._failed(f"exited with code {self._process.returncode}")
            if healthy(self.url):
                return
            time.sleep(0.1)
        if not (stop and stop.is_set()):
            setting = " (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)" if self.log_path is None else ""
            raise self._failed(f"did not answer within {timeout_s:.0f} s{setting}")

    def stop(self) -> None:
        """Terminate the server (killed after STOP_TIMEOUT_S)."""
        self._process.terminate()
        try:
            self._process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._stderr is not None:
            self._stderr.join(timeout=5)  # its last lines print while a progress bar still routes them


def healthy(api_url: str) -> bool:
    """True when a Prefect API answers its health check at api_url."""
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def prefect_api() -> Iterator[None]:
    """Within the block, flows use PREFECT_API_URL if it is set, or a temporary server started on entry.

    Prefect, the flow and GX are imported while the server boots (what the flow needs next).
    """
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    server = PrefectServer.temporary()  # before importing Prefect: it boots while Prefect and GX are imported here
    try:
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
            PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
            temporary_settings,
        )

        if PREFECT_API_URL.value():  # set in the Prefect profile
            server.stop()
            yield
            return
        import expectations.validate  # noqa: F401
        import flows.ingest  # noqa: F401

        server.wait(float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()))
        # no heartbeats: they let a server's services mark a crashed run, and this server runs none and ends with
        # the run; their thread wakes once a second, so stopping it cost up to 1 s at the end of every run
        with temporary_settings(updates={PREFECT_API_URL: server.url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            try:
                yield
            finally:
                _drain()
    finally:
        server.stop()


def _drain() -> None:
    """Send Prefect's queued logs and events while the server is still up (else they retry at exit)."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=5)
    EventsWorker.drain_all(timeout=5)
