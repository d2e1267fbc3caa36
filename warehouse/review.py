"""Reviewers' decisions in one store (review_log): recording, re-attachment after edits, orphans, release of
accepted quarantined figures, and the review queue (view open_items)."""
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


ACTIONS = {"accepted": "accept", "rejected": "reject"}  # decision → review_log.action

# Where a figure is (loaded in a current document first, else its latest quarantine row): what a decision keeps to
# find it again after its report is edited (reattach).
_FIGURE_ANCHOR = """
    SELECT x.document_id, x.source_file, d.content_hash, x.sentence, x.value_text,
           x.end_offset - length(x.value_text) - x.sentence_offset
    FROM (SELECT document_id, source_file, sentence, value_text, end_offset, sentence_offset, run_id,
                 0 AS rank, loaded_at AS at FROM figure_rows WHERE figure_id = ?
          UNION ALL
          SELECT document_id, source_file, sentence, value_text, end_offset, sentence_offset, run_id,
                 1 AS rank, quarantined_at AS at FROM quarantine WHERE level = 'figure' AND figure_id = ?) x
    LEFT JOIN documents d USING (document_id)
    ORDER BY d.retired_run_id IS NULL DESC, x.rank, (d.run_id = x.run_id) DESC NULLS LAST, x.at DESC LIMIT 1"""
_DOCUMENT_ANCHOR = """
    SELECT document_id, source_file, content_hash, NULL, NULL, NULL FROM documents
    WHERE document_id = ? ORDER BY retired_run_id IS NULL DESC LIMIT 1"""
# review_log.changes as one line of text: field=value, …
CHANGES_TEXT = ("array_to_string(list_transform(map_entries(changes), "
                "lambda e: e.key || '=' || coalesce(e.value, 'NULL')), ', ')")


def record(con: duckdb.DuckDBPyConnection, action: str, target: str, target_id: str,
           changes: dict[str, str | None], note: str, reviewer: str) -> None:
    """Append one decision to review_log with where its target is now (call it inside a transaction)."""
    anchor = (con.execute(_FIGURE_ANCHOR, [target_id, target_id]) if target == "figure"
              else con.execute(_DOCUMENT_ANCHOR, [target_id])).fetchone() or (None,) * 6
    seq = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM review_log").fetchone()[0]
    con.execute("""
        INSERT INTO review_log (seq, action, target, target_id, changes, note, reviewer, decided_at, document_id,
                                source_file, content_hash, sentence, value_text, value_position)
        VALUES (?, ?, ?, ?, map(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[])), ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [seq, action, target, target_id, list(changes), list(changes.values()), note, reviewer, utc_now(),
                 *anchor])


def decisions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """figure_id → 'accepted' | 'rejected': the latest accept or reject of every reviewed figure."""
    return dict(con.execute("SELECT figure_id, status FROM figure_corrections WHERE status IS NOT NULL").fetchall())


def _decide(con: duckdb.DuckDBPyConnection, figure_id: str, decision: str, note: str, who: str) -> None:
    if not con.execute("SELECT count(*) FROM quarantine WHERE level = 'figure' AND figure_id = ?",
                       [figure_id]).fetchone()[0]:
        raise WarehouseError(f"figure {figure_id} is not in quarantine (see `mubiao review` for the ids)")
    record(con, ACTIONS[decision], "figure", figure_id, {}, note, who)
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
    """Re-key decisions whose target is about to be reloaded under another id; return how many figures moved.

    `figures` (REATTACH_COLUMNS) are the figures of the documents being loaded. A figure with decisions that is not
    a current figure outside those files is matched, in a document of the same text, file or id, by the sentence and
    then by the value's place in it that its latest decision recorded (same offset and text > same offset > same
    text); only a single best match re-keys its decisions (old ids kept in previous_ids). A document with decisions
    whose file is reloaded as one new document follows it. Otherwise they stay as they are, orphans if nothing has
    their id (`mubiao review --orphans`); decisions are never deleted.
    """
    if figures.empty:
        return 0
    now = utc_now()
    with transaction(con, "review decisions not re-attached"), registered(
            con, "_reattach", figures[list(REATTACH_COLUMNS)]):
        moved = con.execute(_FIGURES_MOVED.format(current=_CURRENT_FIGURES)).fetchall()
        for old_id, new_id, document_id, source_file, content_hash, value_text, value_position in moved:
            con.execute("""
                UPDATE review_log SET target_id = ?, document_id = ?, source_file = ?, content_hash = ?,
                       value_text = ?, value_position = ?, previous_ids = list_append(coalesce(previous_ids, []), ?),
                       reattached_at = ?
                WHERE target = 'figure' AND target_id = ?""",
                        [new_id, document_id, source_file, content_hash, value_text, value_position, old_id, now,
                         old_id])
        for old_id, new_id, content_hash in con.execute(_DOCUMENTS_MOVED).fetchall():
            con.execute("""
                UPDATE review_log SET target_id = ?, document_id = ?, content_hash = ?,
                       previous_ids = list_append(coalesce(previous_ids, []), ?), reattached_at = ?
                WHERE target = 'document' AND target_id = ?""", [new_id, new_id, content_hash, old_id, now, old_id])
    return len(moved)


# (old id, new id, where the new one is) of each decided figure that a single figure being loaded carries on.
_FIGURES_MOVED = """
WITH current AS ({current}),
loose AS (
    SELECT target_id AS figure_id, document_id, source_file, content_hash, sentence, value_text, value_position
    FROM review_log
    WHERE target = 'figure' AND sentence IS NOT NULL
      AND target_id NOT IN (SELECT figure_id FROM _reattach)
      AND target_id NOT IN (SELECT figure_id FROM current
                            WHERE source_file NOT IN (SELECT source_file FROM _reattach))
    QUALIFY row_number() OVER (PARTITION BY target_id ORDER BY seq DESC) = 1),
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
WHERE new_id NOT IN (SELECT target_id FROM review_log WHERE target = 'figure')
QUALIFY count(*) OVER (PARTITION BY new_id) = 1"""

# Documents with decisions whose file is being reloaded as one new document.
_DOCUMENTS_MOVED = """
SELECT d.document_id AS old_id, any_value(r.document_id) AS new_id, any_value(r.content_hash) AS content_hash
FROM documents d JOIN _reattach r ON r.source_file = d.source_file
WHERE d.document_id IN (SELECT target_id FROM review_log WHERE target = 'document')
  AND d.document_id NOT IN (SELECT document_id FROM _reattach)
GROUP BY d.document_id HAVING count(DISTINCT r.document_id) = 1"""


def orphans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Decisions (any action) no current figure or document carries: its sentence is gone or its file left."""
    return con.execute(f"""
        WITH current AS ({_CURRENT_FIGURES})
        SELECT l.target_id, l.target, l.action, {CHANGES_TEXT} AS changes, l.note, l.reviewer, l.decided_at,
               l.source_file, l.value_text, l.sentence,
               CASE WHEN EXISTS (SELECT 1 FROM figure_rows f JOIN documents d USING (document_id)
                                 WHERE l.target = 'figure' AND f.figure_id = l.target_id
                                   AND d.retired_run_id IS NOT NULL)
                         OR EXISTS (SELECT 1 FROM documents d WHERE d.document_id = l.document_id
                                    AND d.retired_run_id IS NOT NULL)
                    THEN 'its document was retired (the file left the inbox)'
                    WHEN l.target = 'document' THEN 'no current document has this id'
                    ELSE 'no current figure has this id or its sentence and value' END AS why,
               l.previous_ids
        FROM review_log l
        WHERE CASE l.target WHEN 'figure' THEN l.target_id NOT IN (SELECT figure_id FROM current)
                            ELSE l.target_id NOT IN (SELECT document_id FROM documents WHERE retired_run_id IS NULL)
              END
        ORDER BY l.source_file, l.seq""").df()


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


def open_item_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """level → number of open review items (view open_items), for `mubiao status`, `mubiao review` and the desk."""
    return dict(con.execute("SELECT level, count(DISTINCT item_id) FROM open_items GROUP BY 1 ORDER BY 1").fetchall())


def review_items(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> dict[str, pd.DataFrame]:
    """Failed checks and quarantine rows to review.

    | run_id  | failed checks   | quarantine rows                          |
    | ------- | --------------- | ---------------------------------------- |
    | None    | of the last run | every open item (view open_items)        |
    | 'all'   | of every run    | every open item                          |
    | an id   | of that run     | that run's rows, whatever their status   |
    """
    open_rows = con.execute(f"{_QUARANTINE_SELECT} WHERE quarantine_id IN (SELECT quarantine_id FROM open_items) "
                            f"{_QUARANTINE_ORDER}").df()
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
