"""The `ingest` Prefect flow: inbox → (read & extract → validate (GX) → load (DuckDB)) per chunk → report.

Both entries go through the one start sequence, `flows.prepare.run_once`: `ingest` (deployments, tests) calls
it inside the flow; `mubiao run` calls it before Prefect starts (flows/runner.py) and hands a run with work, its
extraction already under way, to `ingest_prepared`. Both run `_process`.
"""
from __future__ import annotations

import gc
import itertools
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from flows.settings import Settings, quiet_prefect_defaults, settings_from_env

quiet_prefect_defaults()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.states import Failed, State  # noqa: E402

from expectations.outcome import combine_results  # noqa: E402
from expectations.report_page import (  # noqa: E402
    RunSummary, render_markdown, report_counts, run_status, with_context)
from flows.chunks import Chunk  # noqa: E402
from flows.inbox import InboxFile  # noqa: E402
from flows.loading import RunTally, Validated, load_chunk, record_unchanged  # noqa: E402
from flows.opaque import Opaque  # noqa: E402
from flows.prepare import PreparedRun, RunOutcome, run_once  # noqa: E402
from flows.progress import RunProgress  # noqa: E402
from flows.report import write_report  # noqa: E402
from flows.runlock import RunLocked  # noqa: E402
from transforms import frames  # noqa: E402
from transforms.reference import default_reference  # noqa: E402
from warehouse import db, duplicates, review, runs, state  # noqa: E402
from warehouse.publish import publish as publish_copy  # noqa: E402

if TYPE_CHECKING:
    from prefect.futures import PrefectFuture

    from expectations.validate import Validator

__all__ = ["RunOutcome", "ingest", "ingest_prepared"]


@task(cache_policy=NO_CACHE, task_run_name="extract-{index}")
def extract_chunk(index: int, stream: Opaque[Iterator[Chunk]]) -> Opaque[Chunk] | None:
    """Read, clean and extract the run's next chunk of files (or stale stored documents); None when all are done."""
    chunk = next(stream.value, None)
    return Opaque(chunk) if chunk else None


# never retried (whatever PREFECT_TASKS_DEFAULT_RETRIES says): it releases its chunk's content before validating
@task(cache_policy=NO_CACHE, task_run_name="validate-{index}", retries=0)
def validate_chunk(index: int, validator: Validator, chunk: Opaque[Chunk]) -> Validated:
    """Run the document and figure suites over a chunk's documents (their frames hold their content from here on)."""
    docs = chunk.value.documents
    documents, figures = frames.documents_frame(docs), frames.figures_frame(docs, default_reference())
    qualitative, findings = frames.qualitative_frame(docs), frames.findings_frame(docs)
    chunk.value.release_content()
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
    """Mark near-duplicate copies of a report (their figures leave the views); documents arrive signed."""
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        marked = duplicates.mark_near_duplicates(con)
    if marked is not None and len(marked):
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
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        # the report's count is the run's count: figures quarantined and figures with warnings, each once
        counts = {**counts, **report_counts(review.run_quarantine(con, run_id), warnings)}
        runs.finish_run(con, run_id, "succeeded", counts, str(settings.report_dir / f"{run_id}.html"))
        report_path, summary = write_report(con, settings, run_id, counts, started_at, warnings, docs_index)
    publish_copy(settings.warehouse, settings.lock_timeout_s)
    _artifacts(summary)
    return RunOutcome(run_id, run_status("succeeded", counts), counts, report_path, docs_index)


def _artifacts(summary: RunSummary) -> None:
    create_markdown_artifact(key="mubiao-run-summary", markdown=render_markdown(summary),
                             description=f"mubiao run {summary.run_id}")
    if len(summary.quarantine):
        create_table_artifact(key="mubiao-quarantine", description=f"Quarantined in run {summary.run_id}",
                              table=json.loads(summary.quarantine.head(200).to_json(orient="records",
                                                                                    force_ascii=False)))


def _process(prepared: PreparedRun, stream: Iterator[Chunk], shown: RunProgress) -> RunOutcome:
    """Validate and load the run's chunks as extraction hands them over, check across documents, publish.

    Chunk k is validated in a task thread while this thread loads chunk k-1, and extracted (by the workers) while
    both happen; at most two extracted chunks are held here. GX runs in this process (README: Quality and speed)."""
    from expectations.validate import Validator  # GX: only a run with work imports it

    validator = Validator(prepared.settings.output_dir / "gx", run_name=prepared.run_id)
    gc.freeze()  # Prefect's, GX's and pandas' millions of objects live to the end: full collections skip them
    try:
        return _validate_and_load(prepared, stream, shown, validator)
    finally:
        gc.unfreeze()  # an in-process caller's later collections, and its exit, see them again


def _validate_and_load(prepared: PreparedRun, stream: Iterator[Chunk], shown: RunProgress,
                       validator: Validator) -> RunOutcome:
    """_process's work, with its validator."""
    settings, run_id, p = prepared.settings, prepared.run_id, prepared.plan
    logger = get_run_logger()
    tally = RunTally()
    validating: tuple[int, Opaque[Chunk], PrefectFuture[Validated]] | None = None
    for index in itertools.count():
        shown.stage(f"extracting chunk {index + 1}")
        chunk = extract_chunk(index, Opaque(stream))
        if validating is not None:  # one validation at a time (GX's context is not thread-safe)
            done_index, done_chunk, future = validating
            validated = future.result()
        current = (index, chunk, validate_chunk.submit(index, validator, chunk)) if chunk is not None else None
        if validating is not None:
            shown.stage(f"loading chunk {done_index + 1}" + (f", validating chunk {index + 1}" if current else ""))
            tally.add(load_validated(done_index, settings, run_id, done_chunk, validated), validated)
            shown.done(len(done_chunk.value.results) + len(done_chunk.value.reprocessed))
            del done_chunk, future, validated  # hold at most the chunk being validated and the next one
        if (validating := current) is None:
            break
    shown.stage("recording files")
    tally.skipped(len(p.unchanged))
    tally.reconciled(p.moved, p.retired)
    finish_loading(settings, run_id, p.unchanged, combine_results(tally.results))
    counts = tally.counts
    if counts["documents_loaded"] or counts["documents_quarantined"] or counts["files_retired"]:
        shown.stage("near-duplicates")
        mark_duplicates(settings)
        shown.stage("cross-document checks")
        cross = check_warehouse(settings, validator, run_id)
    else:  # nothing loaded: the warehouse-wide results of the last run still hold
        cross = pd.DataFrame()
    warnings = pd.concat([*tally.warnings, cross], ignore_index=True)
    shown.stage("data-quality report")
    outcome = publish(settings, validator, run_id, counts, prepared.started_at, warnings)
    logger.info("run %s done: %s", run_id, counts)
    return outcome


@flow(name="ingest", log_prints=True)
def ingest(inbox: str | None = None, warehouse: str | None = None, full_refresh: bool = False,
           reprocess: bool = False, workers: int | None = None, dask_address: str | None = None,
           keep_missing: bool = False) -> RunOutcome | State:
    """One ingestion: new or changed inbox files → validated figures in the DuckDB warehouse."""
    settings = settings_from_env(inbox=Path(inbox) if inbox else None,
                                 warehouse=Path(warehouse) if warehouse else None,
                                 full_refresh=full_refresh, reprocess=reprocess, workers=workers,
                                 dask_address=dask_address, keep_missing=keep_missing)
    try:
        return run_once(settings, _process, on_idle=_artifacts)
    except RunLocked as e:  # recorded as a failed run that did not start; the report says so; no traceback
        return Failed(message=str(e))


@flow(name="ingest", log_prints=True, validate_parameters=False)
def ingest_prepared(prepared: Opaque[PreparedRun], stream: Opaque[Iterator[Chunk]],
                    shown: Opaque[RunProgress]) -> RunOutcome:
    """One ingestion planned outside Prefect (`mubiao run`), its extraction already started and its progress
    shown; the caller (`flows.prepare.run_once`) holds the run lock and closes the run if this fails."""
    return _process(prepared.value, stream.value, shown.value)
