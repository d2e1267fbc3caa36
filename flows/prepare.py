"""Plan a run in plain Python, before Prefect or GX is loaded: open it, list the inbox, compare with the warehouse.

A run with nothing to do (every file unchanged, no stored document made by an older extractor) is finished
here too: its files are recorded as skipped and its report written, with no Prefect server and no validator.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from flows.inbox import InboxFile, discover, plan
from flows.lifecycle import reconcile_inbox
from flows.loading import record_unchanged
from expectations.report_page import RunSummary
from flows.report import write_report
from flows.settings import Settings
from transforms.pipeline import extractor_version
from transforms.reference import default_reference
from flows.startup import new_run_id
from warehouse import db, review_queue, runlog, runs, state
from warehouse.publish import publish as publish_copy

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
    moved: int = 0
    retired: int = 0


@dataclass
class PreparedRun:
    """A run opened in the warehouse, with its plan."""

    settings: Settings
    run_id: str
    started_at: datetime
    plan: Plan

    @property
    def has_work(self) -> bool:
        """True when a file is new or changed, a stored document must be re-extracted, or a file left the inbox
        (its retired figures change the warehouse-wide checks)."""
        return bool(self.plan.todo) or not self.plan.stale.empty or self.plan.retired > 0


def prepare_run(settings: Settings) -> PreparedRun:
    """Open the run, list the inbox, split it into new/changed and unchanged files, find stale documents.

    Call while holding the run lock.
    """
    run_id, started_at = new_run_id(), datetime.now(timezone.utc)
    files = discover(settings.inbox)
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        if abandoned := runs.fail_abandoned(con):
            log.warning("marked %d run(s) left 'running' by a killed process as failed", abandoned)
        runlog.record_pending(con, settings.warehouse)  # runs that could not open the warehouse
        runs.start_run(con, run_id, str(settings.inbox), {
            "full_refresh": settings.full_refresh, "reprocess": settings.reprocess,
            "keep_missing": settings.keep_missing, "max_file_mb": settings.max_file_mb, "workers": settings.workers,
            "dask_address": settings.dask_address})
        db.sync_reference(con, default_reference())
        applied, refused = review_queue.apply_queued(con, settings.warehouse)  # before loads re-key figures
        if applied or refused:
            log.info("applied %d queued review action(s); %d no longer applied (the desk lists them)", applied, refused)
        inbox = reconcile_inbox(con, run_id, files, settings.keep_missing)
        todo, unchanged = plan(inbox.files, state.file_hashes(con), settings.full_refresh)
        stale = state.stale_documents(con, None if settings.reprocess else extractor_version())
    unchanged_names = {f.name for f in unchanged} | {f.name for f in files} - {f.name for f in inbox.files}
    stale = stale[stale["source_file"].isin(unchanged_names)]
    log.info("run %s: %d new or changed files, %d unchanged, %d stored documents to re-extract",
             run_id, len(todo), len(unchanged), len(stale))
    return PreparedRun(settings, run_id, started_at, Plan(todo, unchanged, stale, inbox.moved, inbox.retired))


def finish_idle_run(prepared: PreparedRun) -> tuple[RunOutcome, RunSummary]:
    """Close a run that had nothing to do: unchanged files recorded as skipped, the report written."""
    settings, run_id = prepared.settings, prepared.run_id
    skipped = len(prepared.plan.unchanged)
    moved = prepared.plan.moved
    counts = dict.fromkeys(runs.COUNT_COLUMNS, 0) | {"files_seen": skipped + moved, "files_skipped": skipped,
                                                    "files_moved": moved}
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        record_unchanged(con, run_id, prepared.plan.unchanged)
        runs.finish_run(con, run_id, "succeeded", counts, str(settings.report_dir / f"{run_id}.html"))
        docs = settings.data_docs_index if settings.data_docs_index.is_file() else None  # the last run's site
        report_path, summary = write_report(con, settings, run_id, counts, prepared.started_at, pd.DataFrame(), docs,
                                            changed=False)
    publish_copy(settings.warehouse, settings.lock_timeout_s)  # readers see this run
    log.info("run %s done: nothing new or changed (%d files unchanged)", run_id, skipped)
    return RunOutcome(run_id, "succeeded", counts, report_path, docs), summary


def mark_failed(settings: Settings, run_id: str, error: BaseException) -> None:
    """Close a run as failed with the first line of its error."""
    cause = (f"{type(error).__name__}: {error}".splitlines() or [""])[0][:500]
    try:
        with db.connect(settings.warehouse, timeout_s=5) as con:
            runs.finish_run(con, run_id, "failed", {}, None, error=cause)
        publish_copy(settings.warehouse, 5)
    except Exception:  # the original error matters more than a failed bookkeeping write
        log.warning("could not mark run %s as failed", run_id)
