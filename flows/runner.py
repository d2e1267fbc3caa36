"""`mubiao run`: plan in plain Python, and start Prefect and GX only when the run has work, while extraction runs.

| the plan                  | what starts                                                                          |
|---------------------------|--------------------------------------------------------------------------------------|
| nothing new, changed or   | nothing: the run and its skipped files are recorded and the report written, with no  |
| stale                     | Prefect (no temporary server) and no GX                                              |
| work, PREFECT_API_URL set | extraction workers, then the `ingest` flow on that server                             |
| work, no PREFECT_API_URL  | extraction workers and, beside them, Prefect's temporary server (a background        |
|                           | thread waits for it while this thread imports Prefect and GX), then the flow          |
"""
from __future__ import annotations

import threading
from pathlib import Path

from flows.prepare import RunOutcome, finish_idle_run, mark_failed, prepare_run
from flows.runlock import run_lock
from flows.settings import settings_from_env


class _TemporaryServer(threading.Thread):
    """Starts Prefect's temporary API server (only when no PREFECT_API_URL is set) in the background."""

    def __init__(self) -> None:
        super().__init__(name="prefect-temporary-server", daemon=True)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

            if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
                return
            from prefect.server.api.server import SubprocessASGIServer

            SubprocessASGIServer().start()  # the flow's client finds this instance running and uses it
        except BaseException as e:  # re-raised in the caller's thread
            self.error = e

    def wait(self) -> None:
        """Block until the server answers (or raise why it did not start)."""
        self.join()
        if self.error is not None:
            raise self.error


def run_ingestion(inbox: Path, warehouse: Path, full_refresh: bool = False, reprocess: bool = False,
                  workers: int | None = None, dask_address: str | None = None) -> RunOutcome:
    """One ingestion, as the `ingest` flow does it, with Prefect and GX loaded only when there is work."""
    settings = settings_from_env(inbox=inbox, warehouse=warehouse, full_refresh=full_refresh, reprocess=reprocess,
                                 workers=workers, dask_address=dask_address)
    with run_lock(settings.warehouse, settings.lock_timeout_s):
        prepared = prepare_run(settings)
        try:
            if not prepared.has_work:
                return finish_idle_run(prepared)[0]
            from flows.chunks import extraction  # readers and extractor: only a run with work loads them

            with extraction(settings, prepared.plan.todo, prepared.plan.stale) as stream:  # workers start here
                server = _TemporaryServer()
                server.start()
                from flows.ingest import ingest_prepared  # Prefect, while the workers extract
                from flows.opaque import Opaque

                server.wait()
                return ingest_prepared(Opaque(prepared), Opaque(stream))
        except BaseException as e:
            mark_failed(settings, prepared.run_id, e)
            raise
