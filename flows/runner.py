"""`mubiao run`: plan in plain Python, and start Prefect and GX only when the run has work, while extraction runs.

| the plan                  | what starts                                                                          |
|---------------------------|--------------------------------------------------------------------------------------|
| nothing new, changed or   | nothing: the run and its skipped files are recorded and the report written, with no  |
| stale                     | Prefect (no temporary server) and no GX                                              |
| work, PREFECT_API_URL set | extraction workers, then the `ingest` flow on that server                             |
| a Dask scheduler is named | the `ingest` flow plans and runs everything (its extraction submits Prefect tasks)  |
| work, no PREFECT_API_URL  | extraction workers, then Prefect's temporary server process (flows/prefect_api.py),   |
|                           | which boots while this process imports Prefect and GX; then the flow; then it stops  |
"""
from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

from flows.prepare import RunOutcome, finish_idle_run, mark_failed, prepare_run
from flows.runlock import RunLocked
from flows.startup import holding_warehouse, new_run_id, record_not_started
from flows.settings import settings_from_env
from warehouse.errors import WarehouseLocked


def run_ingestion(inbox: Path, warehouse: Path, full_refresh: bool = False, reprocess: bool = False,
                  workers: int | None = None, dask_address: str | None = None,
                  keep_missing: bool = False) -> RunOutcome:
    """One ingestion, as the `ingest` flow does it, with Prefect and GX loaded only when there is work."""
    settings = settings_from_env(inbox=inbox, warehouse=warehouse, full_refresh=full_refresh, reprocess=reprocess,
                                 workers=workers, dask_address=dask_address, keep_missing=keep_missing)
    if settings.dask_address:  # Dask extraction submits Prefect tasks: the whole run happens inside the flow
        from flows.ingest import ingest

        from prefect.exceptions import FailedRun

        try:
            return ingest(inbox=str(inbox), warehouse=str(warehouse), full_refresh=full_refresh,
                          reprocess=reprocess, workers=workers, dask_address=settings.dask_address,
                          keep_missing=keep_missing)
        except FailedRun as e:  # the flow recorded why it did not start
            raise RunLocked(str(e)) from None
    started_at = datetime.now(timezone.utc)
    started = ExitStack()
    try:
        started.enter_context(holding_warehouse(settings))
    except (RunLocked, WarehouseLocked) as e:  # recorded as a failed run, the report says so
        raise RunLocked(record_not_started(settings, new_run_id(), started_at, e)) from None
    with started:
        prepared = prepare_run(settings)
        try:
            if not prepared.has_work:
                return finish_idle_run(prepared)[0]
            from flows.chunks import extraction  # readers and extractor: only a run with work loads them
            from flows.progress import run_progress

            p = prepared.plan
            with run_progress(len(p.todo) + len(p.stale)) as shown, \
                    extraction(settings, p.todo, p.stale, shown) as stream:  # workers start here
                from flows.prefect_api import prefect_api

                shown.stage("extracting, starting Prefect")
                with prefect_api():  # Prefect, GX and the temporary server start while the workers extract
                    from flows.ingest import ingest_prepared
                    from flows.opaque import Opaque

                    shown.route_logs()  # Prefect's console handler, made on its import, prints above the bar
                    return ingest_prepared(Opaque(prepared), Opaque(stream), Opaque(shown))
        except BaseException as e:
            mark_failed(settings, prepared.run_id, e)
            raise
