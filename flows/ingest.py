"""The `ingest` Prefect flow: inbox → (read & extract → validate (GX) → load (DuckDB)) per chunk → report."""
from __future__ import annotations

import itertools
import json
import os
from contextlib import ExitStack
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from flows.settings import Settings, quiet_prefect_defaults, settings_from_env

quiet_prefect_defaults()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.states import Failed, State  # noqa: E402

from expectations.attainment_page import render_attainment  # noqa: E402
from expectations.report_page import (  # noqa: E402
    RunSummary, render_markdown, render_summary, report_counts, run_status, with_context)
from expectations.validate import Validator, combine_results  # noqa: E402
from flows.chunks import Chunk, extraction  # noqa: E402
from flows.inbox import InboxFile, discover, plan  # noqa: E402
from flows.lifecycle import reconcile_inbox  # noqa: E402
from flows.loading import RunTally, Validated, load_chunk, record_unchanged  # noqa: E402
from flows.opaque import Opaque  # noqa: E402
from flows.runlock import RunLocked  # noqa: E402
from flows.startup import holding_warehouse, new_run_id, record_not_started  # noqa: E402
from transforms import frames  # noqa: E402
from transforms.pipeline import extractor_version  # noqa: E402
from transforms.reference import default_reference  # noqa: E402
from warehouse import attainment, db, duplicates, review, runlog, runs, state  # noqa: E402
from warehouse.publish import publish as publish_copy  # noqa: E402


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


@task(cache_policy=NO_CACHE)
def plan_run(settings: Settings, run_id: str) -> Plan:
    """Open the run, list the inbox, and split it into new/changed and unchanged files; find stale documents."""
    files = discover(settings.inbox)
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        if abandoned := runs.fail_abandoned(con):
            get_run_logger().warning("marked %d run(s) left 'running' by a killed process as failed", abandoned)
        runlog.record_pending(con, settings.warehouse)  # runs that could not open the warehouse
        runs.start_run(con, run_id, str(settings.inbox), {
            "full_refresh": settings.full_refresh, "reprocess": settings.reprocess,
            "keep_missing": settings.keep_missing, "max_file_mb": settings.max_file_mb, "workers": settings.workers,
            "dask_address": settings.dask_address})
        db.sync_reference(con, default_reference())
        inbox = reconcile_inbox(con, run_id, files, settings.keep_missing)
        todo, unchanged = plan(inbox.files, state.file_hashes(con), settings.full_refresh)
        stale = state.stale_documents(con, None if settings.reprocess else extractor_version())
    unchanged_names = {f.name for f in unchanged} | {f.name for f in files} - {f.name for f in inbox.files}
    return Plan(todo, unchanged, stale[stale["source_file"].isin(unchanged_names)], inbox.moved, inbox.retired)


@task(cache_policy=NO_CACHE, task_run_name="extract-{index}")
def extract_chunk(index: int, stream: Opaque[Iterator[Chunk]]) -> Opaque[Chunk] | None:
    """Read, clean and extract the run's next chunk of files (or stale stored documents); None when all are done."""
    chunk = next(stream.value, None)
    return Opaque(chunk) if chunk else None


@task(cache_policy=NO_CACHE, task_run_name="validate-{index}")
def validate_chunk(index: int, validator: Validator, chunk: Opaque[Chunk]) -> Validated:
    """Run the document and figure suites over a chunk's documents."""
    docs = chunk.value.documents
    documents = frames.documents_frame(docs)
    figures = frames.figures_frame(docs, default_reference())
    qualitative, findings = frames.qualitative_frame(docs), frames.findings_frame(docs)
    doc_outcome = validator.validate("documents", documents, "document_id")
    fig_outcome = validator.validate("figures", figures, "figure_id")
    return Validated(
        documents=documents, figures=figures, qualitative=qualitative, findings=findings,
        results=pd.concat([doc_outcome.results, fig_outcome.results], ignore_index=True),
        failures=pd.concat([with_context(doc_outcome.failures, documents, "document_id"),
                            with_context(fig_outcome.failures, figures, "figure_id",
                                         ("source_file", "sentence", "value_text"))], ignore_index=True),
    )


@task(cache_policy=NO_CACHE, task_run_name="load-{index}")
def load_validated(index: int, settings: Settings, run_id: str, chunk: Opaque[Chunk],
                   validated: Validated) -> dict[str, int]:
    """Load a chunk's documents in all-or-nothing batches, quarantine what failed critically, record its files."""
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        return load_chunk(con, run_id, chunk.value.results, chunk.value.reprocessed, validated,
                          settings.load_batch_documents)


@task(cache_policy=NO_CACHE)
def finish_loading(settings: Settings, run_id: str, unchanged: list[InboxFile], results: pd.DataFrame) -> None:
    """Record the unchanged files as skipped and the run's expectation results (combined over its chunks)."""
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        record_unchanged(con, run_id, unchanged)
        runs.record_dq_results(con, run_id, results)


@task(cache_policy=NO_CACHE)
def mark_duplicates(settings: Settings) -> None:
    """Sign new documents' texts and mark near-duplicate copies of a report (their figures leave the views)."""
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        marked = duplicates.mark_near_duplicates(con)
    if len(marked):
        get_run_logger().info("%d document(s) are near-duplicates of another; one copy stays in the views",
                              len(marked))


@task(cache_policy=NO_CACHE)
def check_warehouse(settings: Settings, validator: Validator, run_id: str) -> pd.DataFrame:
    """Cross-document checks (conflicts, duplicates, attainment) on the run's figures and their peers; warnings only."""
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        loaded = state.cross_check_frame(con, run_id)
    outcome = validator.validate("figures_warehouse", loaded, "figure_id")
    flagged = with_context(outcome.failures, loaded, "figure_id", columns=("source_file",))
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        runs.record_dq_results(con, run_id, outcome.results)
        sentences = state.figure_sentences(con, sorted(set(flagged["id"])))
    return flagged.merge(sentences.rename(columns={"figure_id": "id"}), on="id", how="left")


@task(cache_policy=NO_CACHE)
def publish(settings: Settings, validator: Validator, run_id: str, counts: dict[str, int], started_at: datetime,
            warnings: pd.DataFrame) -> RunOutcome:
    """Build Data Docs and the one-page summary, store them as Prefect artifacts, close the run."""
    docs_index = validator.build_data_docs()
    report_dir = settings.output_dir / "runs"
    report_dir.mkdir(parents=True, exist_ok=True)
    report_path = report_dir / f"{run_id}.html"
    attainment_path = report_dir / f"{run_id}-attainment.html"
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        quarantine = review.run_quarantine(con, run_id)
        counts = {**counts, **report_counts(quarantine, warnings)}  # the report's count is the run's count
        runs.finish_run(con, run_id, "succeeded", counts, str(report_path))
        summary = RunSummary(
            run_id=run_id, started_at=started_at, finished_at=datetime.now(timezone.utc), counts=counts,
            dq_results=runs.run_dq_results(con, run_id), quarantine=quarantine,
            findings=runs.run_findings(con, run_id), recent_runs=runs.recent_runs(con, 20),
            warnings=warnings, data_docs_href=Path(os.path.relpath(docs_index, report_dir)).as_posix(),
            status="succeeded", duplicates=duplicates.duplicates(con, run_id),
            attainment_href=attainment_path.name,
        )
        pairs, actuals = attainment.attainment(con), attainment.series_actuals(con)
    attainment_path.write_text(render_attainment(run_id, pairs, actuals, back_href=report_path.name), encoding="utf-8")
    publish_copy(settings.warehouse, settings.lock_timeout_s)
    page = render_summary(summary)
    report_path.write_text(page, encoding="utf-8")
    (report_dir / "latest.html").write_text(page, encoding="utf-8")
    create_markdown_artifact(key="mubiao-run-summary", markdown=render_markdown(summary),
                             description=f"mubiao run {run_id}")
    if len(summary.quarantine):
        create_table_artifact(key="mubiao-quarantine", description=f"Quarantined in run {run_id}",
                              table=json.loads(summary.quarantine.head(200).to_json(orient="records",
                                                                                    force_ascii=False)))
    return RunOutcome(run_id, run_status("succeeded", counts), counts, report_path, docs_index)


def _mark_failed(settings: Settings, run_id: str, error: BaseException) -> None:
    cause = (f"{type(error).__name__}: {error}".splitlines() or [""])[0][:500]
    try:
        with db.connect(settings.warehouse, timeout_s=5) as con:
            runs.finish_run(con, run_id, "failed", {}, None, error=cause)
        publish_copy(settings.warehouse, 5)
    except Exception:  # the original error matters more than a failed bookkeeping write
        get_run_logger().warning("could not mark run %s as failed", run_id)


@flow(name="ingest", log_prints=True)
def ingest(inbox: str | None = None, warehouse: str | None = None, full_refresh: bool = False,
           reprocess: bool = False, workers: int | None = None, dask_address: str | None = None,
           keep_missing: bool = False) -> RunOutcome | State:
    """One ingestion: new or changed inbox files → validated figures in the DuckDB warehouse."""
    settings = settings_from_env(inbox=Path(inbox) if inbox else None,
                                 warehouse=Path(warehouse) if warehouse else None,
                                 full_refresh=full_refresh, reprocess=reprocess, workers=workers,
                                 dask_address=dask_address, keep_missing=keep_missing)
    logger = get_run_logger()
    run_id = new_run_id()
    started_at = datetime.now(timezone.utc)
    started = ExitStack()
    try:
        started.enter_context(holding_warehouse(settings))
    except (RunLocked, db.WarehouseLocked) as e:  # a failed run with its reason, the report says so; no traceback
        return Failed(message=record_not_started(settings, run_id, started_at, e))
    with started:
        p = plan_run(settings, run_id)
        try:
            logger.info("run %s: %d new or changed files, %d unchanged, %d stored documents to re-extract",
                        run_id, len(p.todo), len(p.unchanged), len(p.stale))
            validator = Validator(settings.output_dir / "gx", run_name=run_id)
            tally = RunTally()
            with extraction(settings, p.todo, p.stale) as stream:
                for index in itertools.count():
                    if (chunk := extract_chunk(index, Opaque(stream))) is None:
                        break
                    validated = validate_chunk(index, validator, chunk)
                    tally.add(load_validated(index, settings, run_id, chunk, validated), validated)
                    del chunk, validated  # hold one chunk at a time
            tally.skipped(len(p.unchanged))
            tally.reconciled(p.moved, p.retired)
            finish_loading(settings, run_id, p.unchanged, combine_results(tally.results))
            counts = tally.counts
            if counts["documents_loaded"] or counts["documents_quarantined"] or counts["files_retired"]:
                mark_duplicates(settings)
                cross = check_warehouse(settings, validator, run_id)
            else:  # nothing changed: the warehouse-wide results of the last run still hold
                cross = pd.DataFrame()
            warnings = pd.concat([*tally.warnings, cross], ignore_index=True)
            outcome = publish(settings, validator, run_id, counts, started_at, warnings)
        except BaseException as e:
            _mark_failed(settings, run_id, e)
            raise
    logger.info("run %s done: %s", run_id, counts)
    return outcome
