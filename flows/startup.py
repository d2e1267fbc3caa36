"""A run's start: the run lock and a writable warehouse file, or a failed run recorded without either."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone

import pandas as pd

from expectations.report_page import RunSummary, render_summary
from flows.runlock import RunLocked, run_lock
from flows.settings import Settings
from warehouse import db, runlog
from warehouse.errors import WarehouseLocked
from warehouse.publish import reader_path


def new_run_id() -> str:
    """A sortable, unique run id."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


@contextmanager
def holding_warehouse(settings: Settings, run_id: str, started_at: datetime) -> Iterator[None]:
    """Hold the run lock and the warehouse open for writing; when they cannot be had within the lock timeout, record
    run `run_id` as not started and raise RunLocked with the reason (one line, no traceback).

    The open connection keeps the database up between the run's tasks (see warehouse.db)."""
    with ExitStack() as held:
        try:
            held.enter_context(run_lock(settings.warehouse, settings.lock_timeout_s))
            held.enter_context(db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s))  # waits here
        except (RunLocked, WarehouseLocked) as e:
            raise RunLocked(record_not_started(settings, run_id, started_at, e)) from None
        yield


def _recent_runs(settings: Settings, this_run: dict) -> pd.DataFrame:
    """The last runs as the analysts' copy has them, and this one."""
    earlier = pd.DataFrame()
    try:
        with db.connect(reader_path(settings.warehouse), read_only=True, timeout_s=2) as con:
            earlier = con.execute("SELECT * FROM (SELECT * FROM runs ORDER BY started_at DESC LIMIT 19) "
                                  "ORDER BY started_at").df()
    except db.WarehouseError:
        pass  # no copy yet, or it cannot be read: the report shows this run alone
    return pd.concat([earlier, pd.DataFrame([this_run])], ignore_index=True)


def record_not_started(settings: Settings, run_id: str, started_at: datetime, error: Exception) -> str:
    """Note a run that could not start beside the warehouse (it enters `runs` when the next run opens it) and make
    the latest report say it failed; return the one-line reason."""
    reason = f"run {run_id} did not start: {error}"
    finished_at = datetime.now(timezone.utc)
    runlog.note_failed(settings.warehouse, run_id, started_at, finished_at, str(settings.inbox), str(error))
    report_dir = settings.report_dir
    report_dir.mkdir(parents=True, exist_ok=True)
    this_run = {"run_id": run_id, "started_at": started_at.replace(tzinfo=None), "status": "failed",
                "error": str(error)}
    page = render_summary(RunSummary(
        run_id=run_id, started_at=started_at, finished_at=finished_at, counts={}, dq_results=pd.DataFrame(),
        quarantine=pd.DataFrame(), findings=pd.DataFrame(), recent_runs=_recent_runs(settings, this_run),
        status=f"failed: {error}"))
    (report_dir / f"{run_id}.html").write_text(page, encoding="utf-8")
    (report_dir / "latest.html").write_text(page, encoding="utf-8")
    return reason
