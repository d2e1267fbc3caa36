"""`mubiao run`: plan in plain Python, and start Prefect and GX only when the run has work, while extraction runs.

| the plan                  | what starts                                                                          |
|---------------------------|--------------------------------------------------------------------------------------|
| nothing new, changed or   | nothing: the run and its skipped files are recorded and the report written, with no  |
| stale                     | Prefect (no temporary server) and no GX                                              |
| work, PREFECT_API_URL set | extraction workers, then the `ingest` flow on that server                             |
| a Dask scheduler is named | the `ingest` flow plans and runs everything (its extraction submits Prefect tasks), |
|                           | once the warehouse could be had: a run that cannot start says so before Prefect    |
| work, no PREFECT_API_URL  | extraction workers, then Prefect's temporary server process (flows/prefect_api.py),   |
|                           | which boots while this process imports Prefect and GX; then the flow; then the       |
|                           | server stops                                                                         |
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from flows.prepare import PreparedRun, RunOutcome, run_once
from flows.runlock import RunLocked
from flows.settings import settings_from_env
from flows.startup import holding_warehouse, new_run_id

if TYPE_CHECKING:
    from flows.chunks import Chunk
    from flows.progress import RunProgress


def run_ingestion(inbox: Path, warehouse: Path, full_refresh: bool = False, reprocess: bool = False,
                  workers: int | None = None, dask_address: str | None = None,
                  keep_missing: bool = False) -> RunOutcome:
    """One ingestion, as the `ingest` flow does it, with Prefect and GX loaded only when there is work."""
    settings = settings_from_env(inbox=inbox, warehouse=warehouse, full_refresh=full_refresh, reprocess=reprocess,
                                 workers=workers, dask_address=dask_address, keep_missing=keep_missing)
    if settings.dask_address:  # Dask extraction submits Prefect tasks: the whole run happens inside the flow
        with holding_warehouse(settings, new_run_id(), datetime.now(timezone.utc)):
            pass  # a run that cannot start says why before any Prefect output
        from flows.ingest import ingest

        from prefect.exceptions import FailedRun

        try:
            return ingest(inbox=str(inbox), warehouse=str(warehouse), full_refresh=full_refresh,
                          reprocess=reprocess, workers=workers, dask_address=settings.dask_address,
                          keep_missing=keep_missing)
        except FailedRun as e:  # the flow recorded why it did not start
            raise RunLocked(str(e)) from None
    return run_once(settings, _in_prefect)


def _in_prefect(prepared: PreparedRun, stream: Iterator[Chunk], shown: RunProgress) -> RunOutcome:
    """Run the `ingest_prepared` flow on the planned run while its workers extract."""
    from flows.prefect_api import prefect_api

    shown.stage("extracting, starting Prefect")
    with prefect_api():  # Prefect and GX load while the server starts
        from flows.ingest import ingest_prepared
        from flows.opaque import Opaque

        shown.route_logs()  # Prefect's console handler, made on its import, prints above the bar
        return ingest_prepared(Opaque(prepared), Opaque(stream), Opaque(shown))
