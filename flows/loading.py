"""The load stage of a chunk: decide what is kept out, then load documents in batched all-or-nothing transactions."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from flows.inbox import InboxFile
from flows.quarantine import document_quarantine, figure_quarantine, split_figures, with_rejections
from warehouse import load, review, runs
from warehouse.errors import WarehouseError

if TYPE_CHECKING:  # the idle path imports this module: no readers (trafilatura) or extractor for type hints
    from flows.processing import FileResult
    from transforms.documents import ProcessedDocument

log = logging.getLogger("mubiao")


@dataclass
class Validated:
    """The run's extracted frames and what GX said about them."""

    documents: pd.DataFrame
    figures: pd.DataFrame
    qualitative: pd.DataFrame
    findings: pd.DataFrame
    results: pd.DataFrame
    failures: pd.DataFrame


def _rows_of(frame: pd.DataFrame, doc_ids: Sequence[str]) -> pd.DataFrame:
    return frame[frame["document_id"].isin(doc_ids)]


def _load_batch(con: duckdb.DuckDBPyConnection, run_id: str, frames_for: Callable[[list[str]], dict],
                doc_ids: list[str]) -> list[tuple[str, str]]:
    """Load a batch atomically; if it fails, load its documents one by one; return (document_id, error) failures."""
    try:
        load.load_documents(con, run_id, **frames_for(doc_ids))
        return []
    except WarehouseError as e:
        if len(doc_ids) == 1:
            return [(doc_ids[0], str(e))]
        log.warning("batch of %d documents failed (%s); loading them one by one", len(doc_ids), e)
    return [failure for doc_id in doc_ids for failure in _load_batch(con, run_id, frames_for, [doc_id])]


def reattach_frame(v: Validated) -> pd.DataFrame:
    """The chunk's figures with what review decisions are matched by (review.REATTACH_COLUMNS)."""
    f = v.figures
    hashes = v.documents.set_index("document_id")["content_hash"]
    return f.assign(content_hash=f["document_id"].map(hashes),
                    value_position=f["end_offset"] - f["value_text"].str.len() - f["sentence_offset"])


def load_chunk(con: duckdb.DuckDBPyConnection, run_id: str, results: Sequence[FileResult],
               reprocessed: Sequence[ProcessedDocument], v: Validated, batch_documents: int) -> dict[str, int]:
    """Load a chunk's documents that passed, quarantine what did not, record its files' outcomes; return its counts."""
    docs = [d for r in results for d in r.documents] + list(reprocessed)
    doc_failures = v.failures[v.failures["suite"].str.startswith("documents")]
    critical_docs = set(doc_failures.loc[doc_failures["severity"] == "critical", "id"])
    review.reattach(con, reattach_frame(v))
    decided = review.decisions(con)
    accepted = {fid for fid, decision in decided.items() if decision == "accepted"}
    figure_failures = with_rejections(v.figures, v.failures[v.failures["suite"].str.startswith("figures")],
                                      {fid for fid, decision in decided.items() if decision == "rejected"})
    figures = v.figures[~v.figures["document_id"].isin(critical_docs)]
    keep, held = split_figures(figures, figure_failures, accepted)

    quarantined_docs = pd.concat(
        [document_quarantine(d, doc_failures[(doc_failures["id"] == d.document_id)
                                             & (doc_failures["severity"] == "critical")])
         for d in docs if d.document_id in critical_docs] or [pd.DataFrame()], ignore_index=True)
    def frames_for(ids: list[str]) -> dict[str, pd.DataFrame]:
        return dict(documents=_rows_of(v.documents, ids), figures=_rows_of(keep, ids),
                    qualitative=_rows_of(v.qualitative, ids), findings=_rows_of(v.findings, ids),
                    quarantine=figure_quarantine(_rows_of(held, ids), figure_failures))

    loadable = [d.document_id for d in docs if d.document_id not in critical_docs]
    failed: list[tuple[str, str]] = []
    for i in range(0, len(loadable), batch_documents):
        failed += _load_batch(con, run_id, frames_for, loadable[i:i + batch_documents])
    by_id = {d.document_id: d for d in docs}
    if failed:
        quarantined_docs = pd.concat([quarantined_docs, *(
            document_quarantine(by_id[doc_id], pd.DataFrame({
                "reason": [error], "expectation_type": ["warehouse_load"], "kwargs": ["{}"]}))
            for doc_id, error in failed)], ignore_index=True)
    if len(quarantined_docs):
        load.record_quarantine(con, run_id, quarantined_docs)
    kept_out = critical_docs | {doc_id for doc_id, _ in failed}

    processed = [r for r in results if not r.error]
    load.remove_file_documents(con, [r.file.name for r in processed],
                               [d.document_id for r in processed for d in r.documents])
    for r in results:
        if r.error:
            load.record_file_quarantine(con, run_id, r.file.name, r.file.file_hash, r.error, r.file.size)
    outcomes = []
    for r in processed:
        loaded = [d for d in r.documents if d.document_id not in kept_out]
        outcome = "loaded" if loaded or not r.documents else "quarantined"
        reason = None if outcome == "loaded" else "every document failed a critical check"
        outcomes.append((r.file.name, r.file.file_hash, r.file.size, outcome, reason, len(r.documents)))
    load.record_files(con, run_id, pd.DataFrame(outcomes, columns=list(load.FILE_OUTCOME_COLUMNS)))

    loaded_keep = keep[~keep["document_id"].isin(kept_out)]
    loaded_held = held[~held["document_id"].isin(kept_out)]
    return dict(
        files_seen=len(results),
        files_loaded=sum(1 for o in outcomes if o[3] == "loaded"),
        files_quarantined=sum(1 for r in results if r.error) + sum(1 for o in outcomes if o[3] == "quarantined"),
        documents_loaded=len(loadable) - len(failed),
        documents_quarantined=len(kept_out),
        figures_loaded=len(loaded_keep),
        figures_quarantined=len(loaded_held[["document_id", "figure_id"]].drop_duplicates()),
        warnings=int(loaded_keep["warnings"].map(len).gt(0).sum()),
    )


def record_unchanged(con: duckdb.DuckDBPyConnection, run_id: str, unchanged: Sequence[InboxFile]) -> None:
    """Record the files this run skipped because they are unchanged since their last load."""
    load.record_files(con, run_id, pd.DataFrame(
        [(f.name, f.file_hash, f.size, "skipped", "unchanged since last load", None) for f in unchanged],
        columns=list(load.FILE_OUTCOME_COLUMNS)))


@dataclass
class RunTally:
    """What the run's chunks added up to: counts, expectation results per chunk, and warned rows for the report."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(runs.COUNT_COLUMNS, 0))
    results: list[pd.DataFrame] = field(default_factory=list)
    warnings: list[pd.DataFrame] = field(default_factory=list)

    def add(self, counts: dict[str, int], v: Validated) -> None:
        """Add one loaded chunk."""
        for key, n in counts.items():
            self.counts[key] += n
        self.results.append(v.results)
        self.warnings.append(v.failures[v.failures["severity"] != "critical"])

    def reconciled(self, moved: int, retired: int) -> None:
        """Count files recognised as renamed (seen, not re-read) and files retired because they left the inbox."""
        self.counts["files_seen"] += moved
        self.counts["files_moved"] += moved
        self.counts["files_retired"] += retired

    def skipped(self, files: int) -> None:
        """Count files skipped as unchanged."""
        self.counts["files_seen"] += files
        self.counts["files_skipped"] += files
