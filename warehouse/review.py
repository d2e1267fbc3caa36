"""Review of quarantined figures: decisions that survive re-runs, release into the figures, and the review queue."""
from __future__ import annotations

import duckdb
import pandas as pd

from .clock import utc_now
from .errors import WarehouseError
from .insert import registered
from .load import release_accepted
from .transaction import transaction

# figure_id first: it is the id `mubiao review accept|reject` takes (quarantine_id names one failed check)
QUARANTINE_COLUMNS = ("figure_id", "status", "level", "source_file", "failed_check", "reason", "sentence", "run_id",
                      "document_id", "kind", "metric_name", "metric_code", "value_low", "value_high", "unit",
                      "comparator", "period_year", "check_params", "quarantined_at", "quarantine_id", "value_text")
_QUARANTINE_SELECT = f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM quarantine"
_QUARANTINE_ORDER = "ORDER BY run_id, source_file, level, document_id, figure_id, failed_check"
_FAILED_CHECKS = """SELECT run_id, suite, table_name, severity, expectation_type, unexpected_count, element_count,
                           kwargs, unexpected_ids
                    FROM dq_results WHERE NOT success"""


def decisions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """figure_id → 'accepted' | 'rejected' for every reviewed figure."""
    return dict(con.execute("SELECT figure_id, decision FROM review_decisions").fetchall())


def _decide(con: duckdb.DuckDBPyConnection, figure_id: str, decision: str, note: str, who: str) -> None:
    found = con.execute("""
        SELECT q.document_id, q.source_file, d.content_hash, q.sentence, q.value_text,
               q.end_offset - length(q.value_text) - q.sentence_offset
        FROM quarantine q LEFT JOIN documents d USING (document_id)
        WHERE q.level = 'figure' AND q.figure_id = ?
        ORDER BY (d.run_id = q.run_id) DESC NULLS LAST, q.quarantined_at DESC LIMIT 1""", [figure_id]).fetchone()
    if found is None:
        raise WarehouseError(f"figure {figure_id} is not in quarantine (see `mubiao review` for the ids)")
    con.execute("""
        INSERT INTO review_decisions (figure_id, decision, note, decided_by, decided_at, document_id, source_file,
                                      content_hash, sentence, value_text, value_position)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (figure_id) DO UPDATE SET decision = excluded.decision, note = excluded.note,
            decided_by = excluded.decided_by, decided_at = excluded.decided_at""",
                [figure_id, decision, note, who, utc_now(), *found])
    con.execute("UPDATE quarantine SET status = ? WHERE level = 'figure' AND figure_id = ?", [decision, figure_id])


# Figures of current (not retired) documents, loaded or held in their current load's quarantine.
_CURRENT_FIGURES = """
    SELECT f.figure_id, f.document_id, f.source_file FROM figure_rows f
    JOIN documents d ON d.document_id = f.document_id AND d.retired_run_id IS NULL
    UNION ALL
    SELECT q.figure_id, q.document_id, q.source_file FROM quarantine q
    JOIN documents d ON d.document_id = q.document_id AND d.run_id = q.run_id AND d.retired_run_id IS NULL
    WHERE q.level = 'figure'"""

REATTACH_COLUMNS = ("figure_id", "document_id", "source_file", "content_hash", "sentence", "value_text",
                    "value_position")


def reattach(con: duckdb.DuckDBPyConnection, figures: pd.DataFrame) -> int:
    """Re-key decisions whose figure is about to be reloaded under another id; return how many moved.

    `figures` (REATTACH_COLUMNS) are the figures of the documents being loaded. A decision not attached to any
    current figure outside those files is matched, in a document of the same text, file or id, by its sentence and
    then by the value's place in it (same offset and text > same offset > same text); only a single best match
    re-keys it (its old ids kept in previous_figure_ids). Otherwise it stays as it is, an orphan if nothing has
    its id (`mubiao review --orphans`); decisions are never deleted. The history in review_log (corrections,
    rejections of loaded figures, document corrections) is re-keyed the same way, in the same transaction.
    """
    if figures.empty:
        return 0
    now = utc_now()
    with transaction(con, "review decisions not re-attached"), registered(
            con, "_reattach", figures[list(REATTACH_COLUMNS)]):
        moved = con.execute(f"""
            WITH current AS ({_CURRENT_FIGURES}),
            loose AS (
                SELECT r.* FROM review_decisions r
                WHERE r.sentence IS NOT NULL
                  AND r.figure_id NOT IN (SELECT figure_id FROM _reattach)
                  AND r.figure_id NOT IN (SELECT figure_id FROM current
                                          WHERE source_file NOT IN (SELECT source_file FROM _reattach))),
            scored AS (
                SELECT l.figure_id AS old_id, f.figure_id AS new_id, f.document_id, f.source_file, f.content_hash,
                       f.value_text, f.value_position,
                       2 * (f.value_position IS NOT DISTINCT FROM l.value_position)::INT
                         + (f.value_text IS NOT DISTINCT FROM l.value_text)::INT AS score
                FROM loose l JOIN _reattach f ON f.sentence = l.sentence
                 AND (f.content_hash = l.content_hash OR f.source_file = l.source_file OR f.document_id = l.document_id)
                WHERE f.value_position IS NOT DISTINCT FROM l.value_position OR f.value_text = l.value_text),
            best AS (
                SELECT * FROM scored QUALIFY score = max(score) OVER (PARTITION BY old_id)),
            single AS (
                SELECT old_id, any_value(new_id) AS new_id, any_value(document_id) AS document_id,
                       any_value(source_file) AS source_file, any_value(content_hash) AS content_hash,
                       any_value(value_text) AS value_text, any_value(value_position) AS value_position
                FROM best GROUP BY old_id HAVING count(DISTINCT new_id) = 1)
            SELECT * FROM single
            WHERE new_id NOT IN (SELECT figure_id FROM review_decisions)
            QUALIFY count(*) OVER (PARTITION BY new_id) = 1""").fetchall()
        for old_id, new_id, document_id, source_file, content_hash, value_text, value_position in moved:
            con.execute("""
                INSERT INTO review_decisions BY NAME
                SELECT * REPLACE (? AS figure_id, ? AS document_id, ? AS source_file, ? AS content_hash,
                                  ? AS value_text, CAST(? AS INTEGER) AS value_position,
                                  list_append(coalesce(previous_figure_ids, []), figure_id) AS previous_figure_ids,
                                  CAST(? AS TIMESTAMP) AS reattached_at)
                FROM review_decisions WHERE figure_id = ?""",
                        [new_id, document_id, source_file, content_hash, value_text, value_position, now, old_id])
            con.execute("DELETE FROM review_decisions WHERE figure_id = ?", [old_id])
        pairs = [(old_id, new_id) for old_id, new_id, *_ in moved] + con.execute(_LOGGED_FIGURES_MOVED).fetchall()
        for old_id, new_id in pairs:
            con.execute("UPDATE review_log SET target_id = ? WHERE target = 'figure' AND target_id = ?",
                        [new_id, old_id])
        for old_id, new_id in con.execute(_LOGGED_DOCUMENTS_MOVED).fetchall():
            con.execute("UPDATE review_log SET target_id = ? WHERE target = 'document' AND target_id = ?",
                        [new_id, old_id])
    return len(moved)


# Loaded figures with review_log entries (corrections, rejections) whose document is being reloaded under new ids:
# matched like review_decisions, by sentence and the value's place in it, within the same file.
_LOGGED_FIGURES_MOVED = """
WITH old AS (
    SELECT f.figure_id AS old_id, f.source_file, f.sentence, f.value_text,
           f.end_offset - length(f.value_text) - f.sentence_offset AS value_position
    FROM figure_rows f
    WHERE f.figure_id IN (SELECT target_id FROM review_log WHERE target = 'figure')
      AND f.figure_id NOT IN (SELECT figure_id FROM _reattach)
      AND f.source_file IN (SELECT source_file FROM _reattach)),
scored AS (
    SELECT o.old_id, f.figure_id AS new_id,
           2 * (f.value_position IS NOT DISTINCT FROM o.value_position)::INT
             + (f.value_text IS NOT DISTINCT FROM o.value_text)::INT AS score
    FROM old o JOIN _reattach f ON f.sentence = o.sentence AND f.source_file = o.source_file
    WHERE f.value_position IS NOT DISTINCT FROM o.value_position OR f.value_text = o.value_text),
single AS (
    SELECT old_id, any_value(new_id) AS new_id
    FROM (SELECT * FROM scored QUALIFY score = max(score) OVER (PARTITION BY old_id))
    GROUP BY old_id HAVING count(DISTINCT new_id) = 1)
SELECT old_id, new_id FROM single QUALIFY count(*) OVER (PARTITION BY new_id) = 1"""

# Documents with review_log corrections whose file is being reloaded as one new document.
_LOGGED_DOCUMENTS_MOVED = """
SELECT d.document_id AS old_id, any_value(r.document_id) AS new_id
FROM documents d JOIN _reattach r ON r.source_file = d.source_file
WHERE d.document_id IN (SELECT target_id FROM review_log WHERE target = 'document')
  AND d.document_id NOT IN (SELECT document_id FROM _reattach)
GROUP BY d.document_id HAVING count(DISTINCT r.document_id) = 1"""


def orphans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Decisions no current figure carries (the figure is no longer extracted, or its file left the inbox)."""
    return con.execute(f"""
        WITH current AS ({_CURRENT_FIGURES})
        SELECT r.figure_id, r.decision, r.note, r.decided_by, r.decided_at, r.source_file, r.value_text, r.sentence,
               CASE WHEN EXISTS (SELECT 1 FROM figure_rows f JOIN documents d USING (document_id)
                                 WHERE f.figure_id = r.figure_id AND d.retired_run_id IS NOT NULL)
                         OR EXISTS (SELECT 1 FROM documents d WHERE d.document_id = r.document_id
                                    AND d.retired_run_id IS NOT NULL)
                    THEN 'its document was retired (the file left the inbox)'
                    ELSE 'no current figure has this id or its sentence and value' END AS why,
               r.previous_figure_ids
        FROM review_decisions r
        WHERE r.figure_id NOT IN (SELECT figure_id FROM current)
        ORDER BY r.source_file, r.decided_at, r.figure_id""").df()


def accept(con: duckdb.DuckDBPyConnection, figure_id: str, note: str, who: str) -> int:
    """Accept a quarantined figure: record the decision and load it (released = true); return figures released."""
    with transaction(con, f"figure {figure_id}: decision not recorded"):
        _decide(con, figure_id, "accepted", note, who)
        return release_accepted(con, utc_now(), figure_id=figure_id)


def reject(con: duckdb.DuckDBPyConnection, figure_id: str, note: str, who: str) -> int:
    """Reject a quarantined figure: record the decision and take back an earlier release; return rows removed."""
    with transaction(con, f"figure {figure_id}: decision not recorded"):
        _decide(con, figure_id, "rejected", note, who)
        removed = con.execute("DELETE FROM figure_rows WHERE figure_id = ? AND released RETURNING figure_id",
                              [figure_id]).fetchall()
    return len(removed)


def last_run_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The most recently started run, if any."""
    row = con.execute("SELECT run_id FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def run_quarantine(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Everything a run quarantined, whatever its review status."""
    return con.execute(f"{_QUARANTINE_SELECT} WHERE run_id = ? {_QUARANTINE_ORDER}", [run_id]).df()


def review_items(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> dict[str, pd.DataFrame]:
    """Failed checks and quarantine rows to review.

    | run_id  | failed checks   | quarantine rows                          |
    | ------- | --------------- | ---------------------------------------- |
    | None    | of the last run | every open row, whichever run left it    |
    | 'all'   | of every run    | every open row                           |
    | an id   | of that run     | that run's rows, whatever their status   |
    """
    open_rows = con.execute(f"{_QUARANTINE_SELECT} WHERE status = 'open' AND source_file IN "
                            f"(SELECT source_file FROM source_files) {_QUARANTINE_ORDER}").df()
    if run_id == "all":
        return {"failed_checks": con.execute(f"{_FAILED_CHECKS} ORDER BY run_id, suite, expectation_type").df(),
                "quarantine": open_rows}
    if run_id is None:
        return {"failed_checks": con.execute(f"{_FAILED_CHECKS} AND run_id = ? ORDER BY suite, expectation_type",
                                             [last_run_id(con)]).df(),
                "quarantine": open_rows}
    if not con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]).fetchone()[0]:
        raise WarehouseError(f"run {run_id} is not in the warehouse")
    return {"failed_checks": con.execute(f"{_FAILED_CHECKS} AND run_id = ? ORDER BY suite, expectation_type",
                                         [run_id]).df(),
            "quarantine": run_quarantine(con, run_id)}
