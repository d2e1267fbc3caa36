"""The `ingest` Prefect flow: inbox → read & extract → validate (GX) → load (DuckDB) → report."""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from flows.settings import Settings, quiet_prefect_defaults, settings_from_env

quiet_prefect_defaults()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from expectations.report_page import RunSummary, render_markdown, render_summary  # noqa: E402
from expectations.validate import Validator  # noqa: E402
from transforms import frames  # noqa: E402
from transforms.reference import default_reference  # noqa: E402
from warehouse import db, load, review, runs, state  # noqa: E402

from flows.inbox import InboxFile, discover, plan  # noqa: E402
from flows.processing import FileResult, process_files  # noqa: E402
from flows.quarantine import document_quarantine, figure_quarantine, split_figures  # noqa: E402
from flows.runlock import run_lock  # noqa: E402


@dataclass
class Validated:
    """The run's extracted frames and what GX said about them."""

    documents: pd.DataFrame
    figures: pd.DataFrame
    qualitative: pd.DataFrame
    findings: pd.DataFrame
    results: pd.DataFrame
    failures: pd.DataFrame


@dataclass
class RunOutcome:
    """What one run did, for the CLI and the tests."""

    run_id: str
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    report_path: Path | None = None
    data_docs_path: Path | None = None


@task(cache_policy=NO_CACHE)
def discover_files(inbox: Path) -> list[InboxFile]:
    """Every file in the inbox with its hash."""
    return discover(inbox)


@task(cache_policy=NO_CACHE)
def plan_files(settings: Settings, files: list[InboxFile]) -> tuple[list[InboxFile], list[InboxFile]]:
    """Which files are new or changed, and which are unchanged since their last load."""
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        loaded = state.file_hashes(con)
    return plan(files, loaded, settings.full_refresh)


@task(cache_policy=NO_CACHE)
def extract_files(settings: Settings, files: list[InboxFile]) -> list[FileResult]:
    """Read, clean and extract every file to process (one stage; worker processes for large inboxes)."""
    return list(process_files(files, settings.max_file_bytes, settings.workers))


@task(cache_policy=NO_CACHE)
def validate_extracted(validator: Validator, results: list[FileResult]) -> Validated:
    """Run the document and figure suites over everything extracted in this run."""
    ref = default_reference()
    docs = [d for r in results for d in r.documents]
    documents = frames.documents_frame(docs)
    figures = frames.figures_frame(docs, ref)
    doc_outcome = validator.validate("documents", documents, "document_id")
    fig_outcome = validator.validate("figures", figures, "figure_id")
    return Validated(
        documents=documents, figures=figures, qualitative=frames.qualitative_frame(docs),
        findings=frames.findings_frame(docs),
        results=pd.concat([doc_outcome.results, fig_outcome.results], ignore_index=True),
        failures=pd.concat([doc_outcome.failures, fig_outcome.failures], ignore_index=True),
    )


@task(cache_policy=NO_CACHE)
def load_validated(settings: Settings, run_id: str, results: list[FileResult], validated: Validated,
                   unchanged: list[InboxFile]) -> dict[str, int]:
    """Load each document in its own transaction; quarantine what failed critically; record every file."""
    counts = dict(files_seen=len(results) + len(unchanged), files_loaded=0, files_skipped=len(unchanged),
                  files_quarantined=0, documents_loaded=0, documents_quarantined=0, figures_loaded=0,
                  figures_quarantined=0, warnings=0)
    v = validated
    by_doc = {name: group for name, group in v.figures.groupby("document_id", sort=False)}
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        accepted = {fid for fid, decision in review.decisions(con).items() if decision == "accepted"}
        for f in unchanged:
            load.record_file(con, run_id, f.name, f.file_hash, f.size, "skipped", "unchanged since last load", None)
        for result in results:
            f = result.file
            if result.error:
                load.record_file_quarantine(con, run_id, f.name, f.file_hash, result.error)
                counts["files_quarantined"] += 1
                continue
            loaded_docs = 0
            for doc in result.documents:
                doc_id = doc.document_id
                doc_failures = v.failures[(v.failures["id"] == doc_id) & (v.failures["severity"] == "critical")]
                if len(doc_failures):
                    load.record_quarantine(con, run_id, document_quarantine(doc, doc_failures))
                    counts["documents_quarantined"] += 1
                    continue
                figs = by_doc.get(doc_id, v.figures.iloc[0:0])
                keep, held = split_figures(figs, v.failures, accepted)
                load.load_document(
                    con, run_id,
                    document=v.documents[v.documents["document_id"] == doc_id],
                    figures=keep,
                    qualitative=v.qualitative[v.qualitative["document_id"] == doc_id],
                    findings=v.findings[v.findings["document_id"] == doc_id],
                    quarantine=figure_quarantine(held, v.failures),
                )
                loaded_docs += 1
                counts["documents_loaded"] += 1
                counts["figures_loaded"] += len(keep)
                counts["figures_quarantined"] += len(held)
                counts["warnings"] += int(keep["warnings"].map(len).gt(0).sum())
            load.remove_file_documents(con, f.name, [d.document_id for d in result.documents])
            outcome = "loaded" if loaded_docs else "quarantined"
            reason = None if loaded_docs else "every document failed a critical check"
            counts["files_loaded" if loaded_docs else "files_quarantined"] += 1
            load.record_file(con, run_id, f.name, f.file_hash, f.size, outcome, reason, len(result.documents))
        runs.record_dq_results(con, run_id, v.results)
    return counts


@task(cache_policy=NO_CACHE)
def check_warehouse(settings: Settings, validator: Validator, run_id: str) -> pd.DataFrame:
    """Cross-document checks on everything loaded (conflicts, duplicates, attainment); warnings only."""
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        loaded = state.cross_check_frame(con)
        outcome = validator.validate("figures_warehouse", loaded, "figure_id")
        runs.record_dq_results(con, run_id, outcome.results)
    return outcome.results


@task(cache_policy=NO_CACHE)
def publish(settings: Settings, validator: Validator, run_id: str, counts: dict[str, int],
            started_at: datetime) -> RunOutcome:
    """Build Data Docs and the one-page summary, store them as Prefect artifacts, close the run."""
    docs_index = validator.build_data_docs()
    report_dir = settings.output_dir / "runs"
    report_dir.mkdir(parents=True, exist_ok=True)
    report_path = report_dir / f"{run_id}.html"
    with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
        runs.finish_run(con, run_id, "succeeded", counts, str(report_path))
        summary = RunSummary(
            run_id=run_id, started_at=started_at, finished_at=datetime.now(timezone.utc), counts=counts,
            dq_results=runs.run_dq_results(con, run_id), quarantine=review.run_quarantine(con, run_id),
            findings=runs.run_findings(con, run_id), recent_runs=runs.recent_runs(con, 20),
            data_docs_href=_relative(docs_index, report_dir),
        )
    page = render_summary(summary)
    report_path.write_text(page, encoding="utf-8")
    (report_dir / "latest.html").write_text(page, encoding="utf-8")
    create_markdown_artifact(key="mubiao-run-summary", markdown=render_markdown(summary),
                             description=f"mubiao run {run_id}")
    failed = summary.quarantine
    if len(failed):
        create_table_artifact(key="mubiao-quarantine", description=f"Quarantined in run {run_id}",
                              table=json.loads(failed.head(200).to_json(orient="records", force_ascii=False)))
    return RunOutcome(run_id, "succeeded", counts, report_path, docs_index)


def _relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


def new_run_id() -> str:
    """A sortable, unique run id."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


@flow(name="ingest", log_prints=True)
def ingest(inbox: str | None = None, warehouse: str | None = None, full_refresh: bool = False,
           reprocess: bool = False, workers: int | None = None) -> RunOutcome:
    """One ingestion: new or changed inbox files → validated figures in the DuckDB warehouse."""
    settings = settings_from_env(inbox=Path(inbox) if inbox else None,
                                 warehouse=Path(warehouse) if warehouse else None,
                                 full_refresh=full_refresh, reprocess=reprocess, workers=workers)
    logger = get_run_logger()
    run_id = new_run_id()
    started_at = datetime.now(timezone.utc)
    with run_lock(settings.warehouse, settings.lock_timeout_s):
        files = discover_files(settings.inbox)
        with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
            runs.start_run(con, run_id, str(settings.inbox), {
                "full_refresh": settings.full_refresh, "reprocess": settings.reprocess,
                "max_file_mb": settings.max_file_mb, "workers": settings.workers})
            db.sync_reference(con, default_reference())
        todo, unchanged = plan_files(settings, files)
        logger.info("run %s: %d files, %d to process, %d unchanged", run_id, len(files), len(todo), len(unchanged))
        results = extract_files(settings, todo)
        validator = Validator(settings.output_dir / "gx")
        validated = validate_extracted(validator, results)
        counts = load_validated(settings, run_id, results, validated, unchanged)
        check_warehouse(settings, validator, run_id)
        outcome = publish(settings, validator, run_id, counts, started_at)
    logger.info("run %s done: %s", run_id, counts)
    return outcome
