"""A run's start, in plain Python before Prefect or GX is loaded: lock, open the run, plan it, finish it if idle.

`run_once` is the one start sequence: the `ingest` flow (deployments, tests) and `mubiao run` (which starts
Prefect and GX only for a run with work) both call it with what processes a run that has work. A run with
nothing to do (every file unchanged, no stored document made by an older extractor) is finished here: its files
are recorded as skipped and its report written, with no Prefect server and no validator.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from flows.inbox import InboxFile, discover, plan
from flows.lifecycle import reconcile_inbox
from flows.loading import record_unchanged
from expectations.report_page import RunSummary
from flows.report import write_report
from flows.settings import Settings
from transforms.documents import extractor_version
from transforms.reference import default_reference
from flows.startup import holding_warehouse, new_run_id
from warehouse import db, duplicates, review_queue, runlog, runs, state
from warehouse.publish import publish as publish_copy

if TYPE_CHECKING:  # the idle path loads no readers, extractor or progress bar
    from flows.chunks import Chunk
    from flows.progress import RunProgress

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

    @property
    def items(self) -> int:
        """Files to read and stored documents to re-extract: what the run's chunks hold."""
        return len(self.todo) + len(self.stale)


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


def run_once(settings: Settings, process: Callable[[PreparedRun, Iterator[Chunk], RunProgress], RunOutcome],
             on_idle: Callable[[RunSummary], None] = lambda summary: None) -> RunOutcome:
    """One run: hold the warehouse, open and plan the run; finish it here if idle (then `on_idle(summary)`), else
    start extraction and hand the planned run, its chunks and its progress display to `process`. Any failure closes the run as failed
    with its reason; a run that cannot get the warehouse raises RunLocked with the reason it recorded."""
    run_id, started_at = new_run_id(), datetime.now(timezone.utc)
    with holding_warehouse(settings, run_id, started_at):
        try:
            prepared = prepare_run(settings, run_id, started_at)
            if not prepared.has_work:
                outcome, summary = finish_idle_run(prepared)
                on_idle(summary)
                return outcome
            from flows.chunks import extraction  # readers and extractor: only a run with work loads them
            from flows.progress import run_progress

            p = prepared.plan
            with run_progress(p.items) as shown, \
                    extraction(settings, p.todo, p.stale, shown) as stream:  # workers start here
                return process(prepared, stream, shown)
        except BaseException as e:
            mark_failed(settings, run_id, started_at, e)
            raise


def prepare_run(settings: Settings, run_id: str, started_at: datetime) -> PreparedRun:
    """Open the run, list the inbox, split it into new/changed and unchanged files, find stale documents, and mark
    near-duplicates a killed run left unmarked.

    Call while holding the run lock.
    """
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        if abandoned := runs.fail_abandoned(con):
            log.warning("marked %d run(s) left 'running' by a killed process as failed", abandoned)
        runlog.record_pending(con, settings.warehouse)  # runs that could not open the warehouse
        runs.start_run(con, run_id, str(settings.inbox), {
            "full_refresh": settings.full_refresh, "reprocess": settings.reprocess,
            "keep_missing": settings.keep_missing, "max_file_mb": settings.max_file_mb, "workers": settings.workers,
            "dask_address": settings.dask_address})
        files = discover(settings.inbox)
        db.sync_reference(con, default_reference())
        applied, refused = review_queue.apply_queued(con, settings.warehouse)  # before loads re-key figures
        if applied or refused:
            log.info("applied %d queued review action(s); %d no longer applied (the desk lists them)", applied, refused)
        inbox = reconcile_inbox(con, run_id, files, settings.keep_missing)
        if (marked := duplicates.mark_near_duplicates(con)) is not None:
            log.info("near-duplicates marked again (documents not yet compared, or a kept copy gone): %d",
                     len(marked))
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


def mark_failed(settings: Settings, run_id: str, started_at: datetime, error: BaseException) -> None:
    """Close a run as failed with the first line of its error; if it never got its row (or the warehouse cannot be
    written), note it beside the warehouse for the next run to record."""
    cause = (f"{type(error).__name__}: {error}".splitlines() or [""])[0][:500]
    try:
        with db.connect(settings.warehouse, timeout_s=5) as con:
            runs.finish_run(con, run_id, "failed", {}, None, error=cause)
    except Exception:  # the original error matters more than a failed bookkeeping write
        try:
            runlog.note_failed(settings.warehouse, run_id, started_at, datetime.now(timezone.utc),
                               str(settings.inbox), cause)
            log.warning("could not mark run %s as failed in the warehouse; noted beside it", run_id)
        except OSError:
            log.warning("could not mark run %s as failed", run_id)
        return
    try:
        publish_copy(settings.warehouse, 5)
    except Exception:
        log.warning("run %s failed and the analysts' copy could not be refreshed", run_id)
