"""The inbox's history in the warehouse: files renamed (moved) keep their documents; files gone retire theirs."""
from __future__ import annotations

from collections.abc import Sequence

import duckdb

from .clock import utc_now
from .transaction import transaction

# Tables whose rows name the file they came from, besides documents and quarantine.
FILE_NAMED_TABLES = ("figure_rows", "qualitative_targets", "document_findings")


def known_files(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """source_file → last file hash of every file the warehouse tracks."""
    return dict(con.execute("SELECT source_file, file_hash FROM source_files").fetchall())


def move_files(con: duckdb.DuckDBPyConnection, run_id: str, moves: Sequence[tuple[str, str, int]]) -> None:
    """Rename (old name, new name, size) files: their current documents, figures and state follow; run_files 'moved'."""
    if not moves:
        return
    now = utc_now()
    with transaction(con, f"{moves[0][1]}: rename from {moves[0][0]} not recorded"):
        for old, new, size in moves:
            ids = [r[0] for r in con.execute(
                "UPDATE documents SET source_file = ? WHERE source_file = ? AND retired_run_id IS NULL "
                "RETURNING document_id", [new, old]).fetchall()]
            for table in FILE_NAMED_TABLES:
                con.execute(f"UPDATE {table} SET source_file = ? "
                            "WHERE source_file = ? AND list_contains(?, document_id)", [new, old, ids])
            con.execute("UPDATE quarantine SET source_file = ? WHERE source_file = ? "
                        "AND (status = 'open' OR list_contains(?, document_id))", [new, old, ids])
            con.execute("""INSERT INTO source_files
                           SELECT ? AS source_file, file_hash, ? AS size_bytes, outcome, reason, document_count,
                                  ? AS last_run_id, ? AS updated_at
                           FROM source_files WHERE source_file = ?""", [new, size, run_id, now, old])
            con.execute("INSERT OR REPLACE INTO run_files SELECT ?, ?, file_hash, 'moved', ? FROM source_files "
                        "WHERE source_file = ?", [run_id, new, f"renamed from {old}", old])
            con.execute("DELETE FROM source_files WHERE source_file = ?", [old])


def retire_files(con: duckdb.DuckDBPyConnection, run_id: str, names: Sequence[str]) -> int:
    """Retire the current documents of files that left the inbox (rows kept, out of the views); return how many."""
    if not names:
        return 0
    now, names = utc_now(), list(names)
    with transaction(con, f"{names[0]}: retirement not recorded"):
        retired = con.execute("UPDATE documents SET retired_run_id = ?, retired_at = ? "
                              "WHERE list_contains(?, source_file) AND retired_run_id IS NULL "
                              "RETURNING source_file", [run_id, now, names]).fetchall()
        con.execute("""INSERT OR REPLACE INTO run_files
                       SELECT ?, s.source_file, s.file_hash, 'retired',
                              'no longer in the inbox: ' || count(d.document_id) || ' document(s) retired'
                       FROM source_files s LEFT JOIN documents d
                         ON d.source_file = s.source_file AND d.retired_run_id = ?
                       WHERE list_contains(?, s.source_file) GROUP BY s.source_file, s.file_hash""",
                    [run_id, run_id, names])
        con.execute("DELETE FROM source_files WHERE list_contains(?, source_file)", [names])
    return len(retired)


def record_kept_missing(con: duckdb.DuckDBPyConnection, run_id: str, names: Sequence[str]) -> None:
    """Note in run_files that files missing from the inbox were kept loaded (--keep-missing)."""
    if not names:
        return
    with transaction(con, "missing files not recorded"):
        con.execute("INSERT OR REPLACE INTO run_files SELECT ?, source_file, file_hash, 'skipped', "
                    "'not in the inbox; kept loaded (--keep-missing)' FROM source_files "
                    "WHERE list_contains(?, source_file)", [run_id, list(names)])
