"""Plan a run in plain Python, before Prefect or GX is loaded: open it, list the inbox, compare with the warehouse.

A run with nothing to do (every file unchanged, no stored document made by an older extractor) is finished
here too: its files are recorded as skipped and its report written, with no Prefect server and no validator.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from flows.inbox import InboxFile, discover, plan
from flows.loading import record_unchanged
from expectations.report_page import RunSummary
from flows.report import write_report
from flows.settings import Settings
from transforms.pipeline import extractor_version
from transforms.reference import default_reference
from warehouse import db, runs, state

log = logging.getLogger("mubiao")


@dataclass
class RunOutcome:
    """What one run did, for the CLI and the tests."""

    run_id: str
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    report_path: Path | None = None
    data_docs_path: Path | None = None


@dataclass
class Plan:
    """What this run will do with each file, and which stored documents it re-extracts."""

    todo: list[InboxFile]
    unchanged: list[InboxFile]
    stale: pd.DataFrame


@dataclass
class PreparedRun:
    """A run opened in the warehouse, with its plan."""

    settings: Settings
    run_id: str
    started_at: datetime
    plan: Plan

    @property
    def has_work(self) -> bool:
        """True when a file is new or changed or a stored document must be re-extracted."""
        return bool(self.plan.todo) or not self.plan.stale.empty


def new_run_id() -> str:
    """A sortable, unique run id."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def prepare_run(settings: Settings) -> PreparedRun:
    """Open the run, list the inbox, split it into new/changed and unchanged files, find stale documents.

    Call while holding the run lock.
    """
    run_id, started_at = new_run_id(), datetime.now(timezone.utc)
    files = discover(settings.inbox)
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        if abandoned := runs.fail_abandoned(con):
            log.warning("marked %d run(s) left 'running' by a killed process as failed", abandoned)
        runs.start_run(con, run_id, str(settings.inbox), {
            "full_refresh": settings.full_refresh, "reprocess": settings.reprocess,
            "max_file_mb": settings.max_file_mb, "workers": settings.workers, "dask_address": settings.dask_address})
        db.sync_reference(con, default_reference())
        todo, unchanged = plan(files, state.file_hashes(con), settings.full_refresh)
        stale = state.stale_documents(con, None if settings.reprocess else extractor_version())
    unchanged_names = {f.name for f in unchanged}
    stale = stale[stale["source_file"].isin(unchanged_names)]
    log.info("run %s: %d new or changed files, %d unchanged, %d stored documents to re-extract",
             run_id, len(todo), len(unchanged), len(stale))
    return PreparedRun(settings, run_id, started_at, Plan(todo, unchanged, stale))


def finish_idle_run(prepared: PreparedRun) -> tuple[RunOutcome, RunSummary]:
    """Close a run that had nothing to do: unchanged files recorded as skipped, the report written."""
    settings, run_id = prepared.settings, prepared.run_id
    skipped = len(prepared.plan.unchanged)
    counts = dict.fromkeys(runs.COUNT_COLUMNS, 0) | {"files_seen": skipped, "files_skipped": skipped}
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        record_unchanged(con, run_id, prepared.plan.unchanged)
        runs.finish_run(con, run_id, "succeeded", counts, str(settings.report_dir / f"{run_id}.html"))
        docs = settings.data_docs_index if settings.data_docs_index.is_file() else None  # the last run's site
        report_path, summary = write_report(con, settings, run_id, counts, prepared.started_at, pd.DataFrame(), docs,
                                            changed=False)
    log.info("run %s done: nothing new or changed (%d files unchanged)", run_id, skipped)
    return RunOutcome(run_id, "succeeded", counts, report_path, docs), summary


def mark_failed(settings: Settings, run_id: str, error: BaseException) -> None:
    """Close a run as failed with the first line of its error."""
    cause = (f"{type(error).__name__}: {error}".splitlines() or [""])[0][:500]
    try:
        with db.connect(settings.warehouse, timeout_s=5) as con:
            runs.finish_run(con, run_id, "failed", {}, None, error=cause)
    except Exception:  # the original error matters more than a failed bookkeeping write
        log.warning("could not mark run %s as failed", run_id)
