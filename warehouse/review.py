"""Review of quarantined figures: decisions that survive re-runs, release into the figures, and the review queue."""
from __future__ import annotations

import duckdb
import pandas as pd

from .clock import utc_now
from .errors import WarehouseError
from .load import release_accepted
from .transaction import transaction

# figure_id first: it is the id `mubiao review accept|reject` takes (quarantine_id names one failed check)
QUARANTINE_COLUMNS = ("figure_id", "status", "level", "source_file", "failed_check", "reason", "sentence", "run_id",
                      "document_id", "kind", "metric_name", "metric_code", "value_low", "value_high", "unit", "comparator", "period_year", "check_params", "quarantined_at",
                      "quarantine_id", "value_text")
_QUARANTINE_SELECT = f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM quarantine"
_QUARANTINE_ORDER = "ORDER BY run_id, source_file, level, document_id, figure_id, failed_check"
_FAILED_CHECKS = """SELECT run_id, suite, table_name, severity, expectation_type, unexpected_count, element_count,
                           kwargs, unexpected_ids
                    FROM dq_results WHERE NOT success"""


def decisions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """figure_id → 'accepted' | 'rejected' for every reviewed figure."""
    return dict(con.execute("SELECT figure_id, decision FROM review_decisions").fetchall())


def _decide(con: duckdb.DuckDBPyConnection, figure_id: str, decision: str, note: str, who: str) -> None:
    known = con.execute("SELECT count(*) FROM quarantine WHERE level = 'figure' AND figure_id = ?",
                        [figure_id]).fetchone()[0]
    if not known:
        raise WarehouseError(f"figure {figure_id} is not in quarantine (see `mubiao review` for the ids)")
    con.execute("INSERT OR REPLACE INTO review_decisions VALUES (?, ?, ?, ?, ?)",
                [figure_id, decision, note, who, utc_now()])
    con.execute("UPDATE quarantine SET status = ? WHERE level = 'figure' AND figure_id = ?", [decision, figure_id])


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
    open_rows = con.execute(f"{_QUARANTINE_SELECT} WHERE status = 'open' {_QUARANTINE_ORDER}").df()
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
