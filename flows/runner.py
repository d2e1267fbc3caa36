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

from pathlib import Path

from flows.prepare import RunOutcome, finish_idle_run, mark_failed, prepare_run
from flows.runlock import run_lock
from flows.settings import settings_from_env


def run_ingestion(inbox: Path, warehouse: Path, full_refresh: bool = False, reprocess: bool = False,
                  workers: int | None = None, dask_address: str | None = None) -> RunOutcome:
    """One ingestion, as the `ingest` flow does it, with Prefect and GX loaded only when there is work."""
    settings = settings_from_env(inbox=inbox, warehouse=warehouse, full_refresh=full_refresh, reprocess=reprocess,
                                 workers=workers, dask_address=dask_address)
    if settings.dask_address:  # Dask extraction submits Prefect tasks: the whole run happens inside the flow
        from flows.ingest import ingest

        return ingest(inbox=str(inbox), warehouse=str(warehouse), full_refresh=full_refresh, reprocess=reprocess,
                      workers=workers, dask_address=settings.dask_address)
    with run_lock(settings.warehouse, settings.lock_timeout_s):
        prepared = prepare_run(settings)
        try:
            if not prepared.has_work:
                return finish_idle_run(prepared)[0]
            from flows.chunks import extraction  # readers and extractor: only a run with work loads them

            with extraction(settings, prepared.plan.todo, prepared.plan.stale) as stream:  # workers start here
                from flows.prefect_api import prefect_api

                with prefect_api():  # Prefect, GX and the temporary server start while the workers extract
                    from flows.ingest import ingest_prepared
                    from flows.opaque import Opaque

                    return ingest_prepared(Opaque(prepared), Opaque(stream))
        except BaseException as e:
            mark_failed(settings, prepared.run_id, e)
            raise
