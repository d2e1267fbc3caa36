"""Loading validated frames: all-or-nothing transactions of documents, file outcomes, and quarantine rows."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import duckdb
import pandas as pd

from transforms.frames import DOCUMENT_COLUMNS, FIGURE_COLUMNS, FINDING_COLUMNS, QUALITATIVE_COLUMNS

from .clock import utc_now
from .errors import WarehouseError
from .insert import insert_frame, is_missing, registered
from .transaction import transaction

# Tables whose rows belong to one document and are replaced together (children before the parent).
DOCUMENT_TABLES = ("figure_rows", "qualitative_targets", "document_findings", "documents")
QUARANTINE_REQUIRED = ("level", "source_file", "reason")
OUTCOMES = ("loaded", "quarantined", "skipped")


class Loaded(NamedTuple):
    """What load_document stored for a document."""

    figures: int  # rows now in figure_rows, released ones included
    released: int  # accepted quarantined figures copied into figure_rows
    quarantined: int  # figures (or whole-document failures) left open in quarantine


def quarantine_id_for(run_id: str, level: str, source_file: str, document_id: str | None,
                      figure_id: str | None, failed_check: str | None) -> str:
    """Deterministic quarantine id: the same failure in the same run always gets the same id."""
    parts = (run_id, level, source_file, document_id, figure_id, failed_check)
    key = "\x1f".join("" if is_missing(p) else str(p) for p in parts)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _with_quarantine_ids(run_id: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["quarantine_id"] = [
        quarantine_id_for(run_id, r.get("level"), r.get("source_file"), r.get("document_id"), r.get("figure_id"),
                          r.get("failed_check"))
        for r in out.to_dict("records")]
    return out


def _insert_quarantine(con: duckdb.DuckDBPyConnection, run_id: str, frame: pd.DataFrame, now: datetime) -> int:
    """Insert quarantine rows (ids filled in) and give figure rows the status of their latest review decision."""
    if "level" in frame.columns and (frame["level"] == "figure").any():
        if missing := [c for c in FIGURE_COLUMNS if c not in frame.columns]:
            raise WarehouseError(f"quarantine frame lacks figure column(s) {', '.join(missing)} "
                                 "(a reviewer's accept loads the whole figure from it)")
    n = insert_frame(con, "quarantine", _with_quarantine_ids(run_id, frame),
                     {"run_id": run_id, "quarantined_at": now}, QUARANTINE_REQUIRED)
    con.execute("""
        UPDATE quarantine SET status = c.status
        FROM figure_corrections c
        WHERE quarantine.figure_id = c.figure_id AND c.status IS NOT NULL AND quarantine.level = 'figure'
          AND quarantine.run_id = ? AND quarantine.status = 'open'""", [run_id])
    return n


def release_accepted(con: duckdb.DuckDBPyConnection, now: datetime, *, figure_id: str | None = None,
                     document_ids: Sequence[str] | None = None) -> int:
    """Copy accepted quarantined figures of each document's current load into figure_rows (released = true)."""
    columns = ", ".join(f"q.{c}" for c in FIGURE_COLUMNS)
    released = con.execute(f"""
        INSERT INTO figure_rows BY NAME
        SELECT {columns}, q.run_id, ? AS loaded_at, true AS released, coalesce(q.warnings, []) AS warnings
        FROM quarantine q
        JOIN documents d ON d.document_id = q.document_id AND d.run_id = q.run_id
        WHERE q.level = 'figure' AND q.status = 'accepted'
          AND (CAST(? AS VARCHAR) IS NULL OR q.figure_id = ?)
          AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, q.document_id))
          AND NOT EXISTS (SELECT 1 FROM figure_rows f WHERE f.document_id = q.document_id AND f.figure_id = q.figure_id)
        QUALIFY row_number() OVER (PARTITION BY q.document_id, q.figure_id ORDER BY q.quarantine_id) = 1
        RETURNING figure_id""", [now, figure_id, figure_id, document_ids, document_ids]).fetchall()
    return len(released)


def _clear_quarantine(con: duckdb.DuckDBPyConnection, run_id: str, doc_ids: Sequence[str]) -> None:
    """Drop the documents' open quarantine rows and whatever this run already quarantined for them."""
    con.execute("DELETE FROM quarantine WHERE list_contains(?, document_id) AND (status = 'open' OR run_id = ?)",
                [doc_ids, run_id])


def _only_documents(name: str, frame: pd.DataFrame, document_ids: set[str]) -> None:
    if "document_id" not in frame.columns or not len(frame):
        return
    if others := sorted(map(str, set(frame["document_id"].tolist()) - document_ids)):
        raise WarehouseError(f"the {name} frame has rows of documents not being loaded: {', '.join(others[:3])}")


def load_documents(con: duckdb.DuckDBPyConnection, run_id: str, documents: pd.DataFrame, figures: pd.DataFrame,
                   qualitative: pd.DataFrame, findings: pd.DataFrame, quarantine: pd.DataFrame) -> Loaded:
    """Replace the rows of a batch of documents (figures, qualitative targets, findings, open quarantine) atomically."""
    if documents.empty:
        return Loaded(0, 0, 0)
    doc_ids = [str(d) for d in documents["document_id"]]
    if len(set(doc_ids)) != len(doc_ids):
        raise WarehouseError("load_documents got the same document twice")
    for name, frame in (("figures", figures), ("qualitative", qualitative), ("findings", findings),
                        ("quarantine", quarantine)):
        _only_documents(name, frame, set(doc_ids))
    now = utc_now()
    stamp = {"run_id": run_id, "loaded_at": now}
    files = sorted(set(documents["source_file"].astype(str)))
    what = f"{files[0]}: document {doc_ids[0]}" if len(doc_ids) == 1 else f"{len(doc_ids)} documents ({files[0]} …)"
    places = [f"{f}\x1f{'' if is_missing(p) else p}" for f, p in
              zip(documents["source_file"], documents["part"] if "part" in documents else [""] * len(documents))]
    with transaction(con, f"{what} not loaded, the previous version is kept"):
        # a document's earlier version at the same file and bundle row has another id (ids come from the content)
        replaced = [r[0] for r in con.execute(
            "SELECT document_id FROM documents WHERE retired_run_id IS NULL AND NOT list_contains(?, document_id) "
            "AND list_contains(?, source_file || chr(31) || coalesce(part, ''))", [doc_ids, places]).fetchall()]
        doc_ids_and_replaced = doc_ids + replaced
        # rows of a document exist only if the document does: new documents (most of a night) need no scan of
        # figure_rows, which grows with the archive
        stored = [r[0] for r in con.execute("SELECT document_id FROM documents WHERE list_contains(?, document_id)",
                                            [doc_ids_and_replaced]).fetchall()]
        if stored:
            for table in DOCUMENT_TABLES:
                con.execute(f"DELETE FROM {table} WHERE list_contains(?, document_id)", [stored])
        _clear_quarantine(con, run_id, doc_ids_and_replaced)
        insert_frame(con, "documents", documents, stamp, DOCUMENT_COLUMNS)
        n_figures = insert_frame(con, "figure_rows", figures, stamp, FIGURE_COLUMNS)
        insert_frame(con, "qualitative_targets", qualitative, stamp, QUALITATIVE_COLUMNS)
        insert_frame(con, "document_findings", findings, stamp, FINDING_COLUMNS)
        if quarantine.empty:
            return Loaded(n_figures, 0, 0)
        _insert_quarantine(con, run_id, quarantine, now)
        released = release_accepted(con, now, document_ids=doc_ids)
        held = con.execute("SELECT count(DISTINCT coalesce(figure_id, quarantine_id)) FROM quarantine "
                           "WHERE list_contains(?, document_id) AND run_id = ? AND status = 'open'",
                           [doc_ids, run_id]).fetchone()[0]
    return Loaded(n_figures + released, released, held)


def load_document(con: duckdb.DuckDBPyConnection, run_id: str, document: pd.DataFrame, figures: pd.DataFrame,
                  qualitative: pd.DataFrame, findings: pd.DataFrame, quarantine: pd.DataFrame) -> Loaded:
    """Replace one document's rows (figures, qualitative targets, findings, open quarantine) in one transaction."""
    if len(document) != 1:
        raise WarehouseError(f"load_document needs exactly one document row, got {len(document)}")
    return load_documents(con, run_id, document, figures, qualitative, findings, quarantine)


def record_quarantine(con: duckdb.DuckDBPyConnection, run_id: str, quarantine: pd.DataFrame) -> int:
    """Store quarantine rows for documents kept out whole (replacing their open rows); loaded rows are untouched."""
    if quarantine.empty:
        return 0
    if missing := [c for c in ("document_id", *QUARANTINE_REQUIRED) if c not in quarantine.columns]:
        raise WarehouseError(f"quarantine frame lacks column(s) {', '.join(missing)}")
    doc_ids = sorted(set(quarantine["document_id"].dropna().astype(str)))
    with transaction(con, f"{quarantine['source_file'].iloc[0]}: quarantine rows not stored"):
        _clear_quarantine(con, run_id, doc_ids)
        return _insert_quarantine(con, run_id, quarantine, utc_now())


def remove_file_documents(con: duckdb.DuckDBPyConnection, source_files: Sequence[str],
                          keep_document_ids: Sequence[str]) -> int:
    """Delete documents of these files that are not in keep_document_ids (a bundle that lost rows); return how many."""
    files, keep = list(source_files), list(keep_document_ids)
    if not files:
        return 0
    with transaction(con, f"{files[0]}: old documents not removed"):
        gone = con.execute(
            "SELECT count(*) FROM documents WHERE list_contains(?, source_file) AND NOT list_contains(?, document_id)",
            [files, keep]).fetchone()[0]
        if not gone:
            return 0
        for table in DOCUMENT_TABLES:
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, source_file) "
                        "AND NOT list_contains(?, document_id)", [files, keep])
        con.execute("""DELETE FROM quarantine WHERE list_contains(?, source_file) AND level <> 'file'
                       AND status = 'open' AND NOT list_contains(?, document_id)""", [files, keep])
    return gone


_UPSERT_SOURCE_FILES = """
    INSERT INTO source_files
    SELECT source_file, file_hash, size_bytes, outcome, reason, document_count, ? AS last_run_id, ? AS updated_at
    FROM _incoming_files
    ON CONFLICT (source_file) DO UPDATE SET
        -- an unchanged (skipped) file keeps the state of its last processing
        file_hash = CASE WHEN excluded.outcome = 'skipped' THEN source_files.file_hash ELSE excluded.file_hash END,
        size_bytes = CASE WHEN excluded.outcome = 'skipped' THEN source_files.size_bytes ELSE excluded.size_bytes END,
        outcome = CASE WHEN excluded.outcome = 'skipped' THEN source_files.outcome ELSE excluded.outcome END,
        reason = CASE WHEN excluded.outcome = 'skipped' THEN source_files.reason ELSE excluded.reason END,
        document_count = CASE WHEN excluded.outcome = 'skipped' THEN source_files.document_count
                              ELSE excluded.document_count END,
        last_run_id = excluded.last_run_id,
        updated_at = excluded.updated_at"""


FILE_OUTCOME_COLUMNS = ("source_file", "file_hash", "size_bytes", "outcome", "reason", "document_count")


def _file_outcome(*values: object) -> pd.DataFrame:
    """One file's outcome row, values in FILE_OUTCOME_COLUMNS order."""
    return pd.DataFrame([dict(zip(FILE_OUTCOME_COLUMNS, values))])


def _record(con: duckdb.DuckDBPyConnection, run_id: str, files: pd.DataFrame) -> None:
    if bad := sorted(set(files["outcome"]) - set(OUTCOMES)):
        raise WarehouseError(f"file outcome must be one of {', '.join(OUTCOMES)}, not {', '.join(map(repr, bad))}")
    frame = files[list(FILE_OUTCOME_COLUMNS)].astype({"size_bytes": "Int64", "document_count": "Int64"})
    with registered(con, "_incoming_files", frame):
        con.execute(_UPSERT_SOURCE_FILES, [run_id, utc_now()])
        con.execute("INSERT OR REPLACE INTO run_files SELECT ?, source_file, file_hash, outcome, reason "
                    "FROM _incoming_files", [run_id])


def record_files(con: duckdb.DuckDBPyConnection, run_id: str, files: pd.DataFrame) -> None:
    """Record what a run did with many files (FILE_OUTCOME_COLUMNS) atomically; 'loaded' closes file quarantine."""
    if files.empty:
        return
    with transaction(con, f"outcomes of {len(files)} files not recorded"):
        loaded = [str(f) for f in files.loc[files["outcome"] == "loaded", "source_file"]]
        if loaded:
            con.execute("DELETE FROM quarantine WHERE list_contains(?, source_file) AND level = 'file' "
                        "AND status = 'open'", [loaded])
        _record(con, run_id, files)


def record_file(con: duckdb.DuckDBPyConnection, run_id: str, source_file: str, file_hash: str | None,
                size: int | None, outcome: str, reason: str | None, document_count: int | None) -> None:
    """Record what a run did with one file (source_files state + run_files)."""
    record_files(con, run_id, _file_outcome(source_file, file_hash, size, outcome, reason, document_count))


def record_file_quarantine(con: duckdb.DuckDBPyConnection, run_id: str, source_file: str, file_hash: str | None,
                           reason: str, size: int | None = None) -> None:
    """Quarantine a file that could not be read: a 'file' quarantine row, source_files and run_files, atomically."""
    now = utc_now()
    with transaction(con, f"{source_file}: file quarantine not recorded"):
        con.execute("DELETE FROM quarantine WHERE source_file = ? AND level = 'file' AND (status = 'open' OR run_id = ?)",
                    [source_file, run_id])
        con.execute("""INSERT INTO quarantine (quarantine_id, run_id, level, source_file, reason, quarantined_at)
                       VALUES (?, ?, 'file', ?, ?, ?)""",
                    [quarantine_id_for(run_id, "file", source_file, None, None, None), run_id, source_file, reason, now])
        _record(con, run_id, _file_outcome(source_file, file_hash, size, "quarantined", reason, 0))
