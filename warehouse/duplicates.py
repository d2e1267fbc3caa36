"""Near-duplicate documents in the warehouse: which copy of each report stays (and signatures for documents loaded
before extraction signed them)."""
from __future__ import annotations

import duckdb
import pandas as pd

from transforms.near_duplicates import Candidate, near_duplicates, signature

from .insert import registered
from .transaction import transaction

SIGNATURE_BATCH = 200  # documents' texts read at a time to sign them

_CANDIDATES = """
SELECT d.document_id, d.text_signature, coalesce(f.n, 0) AS findings, coalesce(d.cjk_ratio, 0) AS cjk_ratio,
       (d.region_code IS NOT NULL)::INT + (d.report_year IS NOT NULL)::INT AS known_metadata,
       coalesce(CAST(first_load.at AS VARCHAR), CAST(d.loaded_at AS VARCHAR)) AS first_loaded,
       d.source_file || coalesce('#' || d.part, '') AS name
FROM documents d
LEFT JOIN (SELECT document_id, count(*) AS n FROM document_findings  -- unknown metadata is counted apart
           WHERE check_name <> 'metadata_unknown' GROUP BY 1) f USING (document_id)
LEFT JOIN (SELECT source_file, min(run_id) AS at FROM run_files WHERE outcome = 'loaded' GROUP BY 1) first_load
       USING (source_file)
WHERE d.text_signature IS NOT NULL AND d.retired_run_id IS NULL  -- a retired copy never hides the current one
"""


_PENDING = """
SELECT EXISTS (SELECT 1 FROM documents WHERE text_signature IS NULL OR duplicates_compared IS NOT TRUE)
    OR EXISTS (SELECT 1 FROM documents d LEFT JOIN documents o ON o.document_id = d.duplicate_of
               WHERE d.duplicate_of IS NOT NULL AND d.retired_run_id IS NULL
                 AND (o.document_id IS NULL OR o.retired_run_id IS NOT NULL))
"""


def marking_pending(con: duckdb.DuckDBPyConnection) -> bool:
    """True when a document is not yet signed or compared, or a current copy points at a kept copy that left."""
    return bool(con.execute(_PENDING).fetchone()[0])


def _sign_new_documents(con: duckdb.DuckDBPyConnection) -> None:
    """Store a text signature for every document that has none (loaded before extraction signed texts); call inside a
    transaction."""
    ids = [r[0] for r in con.execute("SELECT document_id FROM documents WHERE text_signature IS NULL").fetchall()]
    for i in range(0, len(ids), SIGNATURE_BATCH):
        batch = con.execute("SELECT document_id, coalesce(text, '') FROM documents WHERE list_contains(?, document_id)",
                            [ids[i:i + SIGNATURE_BATCH]]).fetchall()
        signed = pd.DataFrame({"document_id": [d for d, _ in batch], "sig": [signature(t) for _, t in batch]})
        with registered(con, "_signed", signed):
            con.execute("UPDATE documents SET text_signature = s.sig FROM _signed s "
                        "WHERE documents.document_id = s.document_id")


def mark_near_duplicates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    """Sign what is unsigned and set duplicate_of for every copy of a report, in one transaction with marking every
    document compared; return the marked duplicates, or None when nothing was pending (a cheap check)."""
    if not marking_pending(con):
        return None
    with transaction(con, "near-duplicate documents not marked"):
        _sign_new_documents(con)
        rows = con.execute(_CANDIDATES).fetchall()
        found = near_duplicates([Candidate(d, list(s), f, c, k, t or "", n) for d, s, f, c, k, t, n in rows])
        marked = pd.DataFrame({"document_id": [d.document_id for d in found],
                               "duplicate_of": [d.duplicate_of for d in found],
                               "similarity": [d.similarity for d in found]}).astype(
            {"document_id": "string", "duplicate_of": "string", "similarity": "float64"})
        with registered(con, "_duplicates", marked):
            con.execute("""UPDATE documents SET duplicate_of = NULL, duplicate_similarity = NULL
                           WHERE duplicate_of IS NOT NULL
                             AND document_id NOT IN (SELECT document_id FROM _duplicates)""")
            con.execute("""UPDATE documents SET duplicate_of = m.duplicate_of, duplicate_similarity = m.similarity
                           FROM _duplicates m WHERE documents.document_id = m.document_id
                             AND (documents.duplicate_of IS DISTINCT FROM m.duplicate_of
                                  OR documents.duplicate_similarity IS DISTINCT FROM m.similarity)""")
        con.execute("UPDATE documents SET duplicates_compared = true WHERE duplicates_compared IS NOT TRUE")
    return duplicates(con)


def duplicates(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> pd.DataFrame:
    """Marked duplicates with both files (those where either copy was loaded by run_id, when given)."""
    return con.execute("""
        SELECT d.document_id, d.source_file, d.duplicate_of, o.source_file AS duplicate_of_file,
               d.duplicate_similarity AS similarity
        FROM documents d JOIN documents o ON o.document_id = d.duplicate_of
        WHERE CAST(? AS VARCHAR) IS NULL OR d.run_id = ? OR o.run_id = ?
        ORDER BY d.source_file""", [run_id, run_id, run_id]).df()
