"""Prefect's API for one `mubiao run`: the configured server, or a temporary one started beside the extraction.

Prefect starts its temporary server itself when the first flow begins, and waits for it (8–16 s, mostly its own
imports). `mubiao run` starts the same server process (`uvicorn prefect.server.api.server:create_app`, as
Prefect's SubprocessASGIServer does) as soon as it knows the run has work, so the server boots while this
process imports Prefect and GX and the workers extract; it is stopped when the run ends. With PREFECT_API_URL
set (a long-lived `prefect server start`, `mubiao serve`'s server, Prefect Cloud) nothing is started.
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


def free_port(preferred: int | None = None) -> int:
    """A free port on 127.0.0.1: `preferred` when nothing listens there, else one the system picks."""
    if preferred is not None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            if s.connect_ex(("127.0.0.1", preferred)) != 0:
                return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(port: int) -> tuple[subprocess.Popen[bytes], threading.Thread]:
    prefect_dir = Path(find_spec("prefect").origin).parent  # type: ignore[union-attr, arg-type]
    return start_forwarding_stderr(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory",
         "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "error", "--lifespan", "on"],
        env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"})


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
    """The temporary Prefect server did not start: a one-line message for the user."""


class TemporaryServer:
    """A Prefect API server process on a free local port; `url` once `wait()` returned."""

    def __init__(self) -> None:
        self.port = free_port()
        log.info("starting a temporary Prefect server on 127.0.0.1:%d (set PREFECT_API_URL to use a "
                 "long-lived one)", self.port)
        self._process, self._stderr = _start(self.port)

    @property
    def url(self) -> str:
        """The API address for PREFECT_API_URL."""
        return f"http://127.0.0.1:{self.port}/api"

    def wait(self, timeout_s: float) -> None:
        """Block until the server answers its health check; raise PrefectServerError if it does not in time."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() == PORT_IN_USE:
                self.port = free_port()
                self._process, self._stderr = _start(self.port)
            elif self._process.poll() is not None:
                raise PrefectServerError(f"the temporary Prefect server exited with code {self._process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise PrefectServerError(f"the temporary Prefect server did not answer within {timeout_s:.0f} s "
                           "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")

    def stop(self) -> None:
        """Terminate the server (killed after 5 s)."""
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._stderr.join(timeout=5)  # its last lines print while a progress bar still routes them


@contextmanager
def prefect_api() -> Iterator[None]:
    """Within the block, flows use PREFECT_API_URL if it is set, or a temporary server started on entry.

    Prefect and GX are imported inside the block while the server boots (they are what the flow needs next).
    """
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    server = TemporaryServer()  # before importing Prefect: it boots while Prefect and GX are imported here
    try:
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
            temporary_settings,
        )

        if PREFECT_API_URL.value():  # set in the Prefect profile
            server.stop()
            yield
            return
        import expectations.validate  # noqa: F401  (GX)
        import flows.ingest  # noqa: F401

        server.wait(float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()))
        with temporary_settings(updates={PREFECT_API_URL: server.url}):
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
