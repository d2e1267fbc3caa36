"""The run log: start and finish a run, its data-quality results, and recent history for the report."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from .clock import utc_now
from .errors import WarehouseError
from .insert import insert_frame, to_json
from .transaction import transaction

COUNT_COLUMNS = ("files_seen", "files_loaded", "files_skipped", "files_quarantined", "documents_loaded",
                 "documents_quarantined", "figures_loaded", "figures_quarantined", "warnings", "files_moved",
                 "files_retired")
STATUSES = ("running", "succeeded", "failed")
ABANDONED = "abandoned: its process ended without closing the run (killed, crashed or lost its machine)"
DQ_REQUIRED = ("suite", "expectation_type")


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, inbox: str, options: Mapping[str, Any]) -> None:
    """Record a run as started (status 'running')."""
    with transaction(con, f"run {run_id} not recorded"):
        con.execute("INSERT INTO runs (run_id, started_at, status, inbox, options) VALUES (?, ?, 'running', ?, ?)",
                    [run_id, utc_now(), inbox, to_json(dict(options))])


def fail_abandoned(con: duckdb.DuckDBPyConnection) -> int:
    """Mark runs still 'running' as failed (abandoned); call only while holding the run lock (no other run is alive)."""
    with transaction(con, "abandoned runs not closed"):
        closed = con.execute("UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE status = 'running' "
                             "RETURNING run_id", [utc_now(), ABANDONED]).fetchall()
    return len(closed)


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: Mapping[str, int],
               report_path: str | None, error: str | None = None) -> None:
    """Close a run with its status, counts (keys from COUNT_COLUMNS), report path and, if it failed, why."""
    if status not in STATUSES:
        raise WarehouseError(f"run {run_id}: status must be one of {', '.join(STATUSES)}, not {status!r}")
    if unknown := sorted(set(counts) - set(COUNT_COLUMNS)):
        raise WarehouseError(f"run {run_id}: unknown count(s) {', '.join(unknown)}")
    assignments = ", ".join(f"{c} = ?" for c in counts)
    with transaction(con, f"run {run_id} not closed"):
        updated = con.execute(
            f"UPDATE runs SET finished_at = ?, status = ?, report_path = ?, error = ?{', ' if counts else ''}"
            f"{assignments} WHERE run_id = ? RETURNING run_id",
            [utc_now(), status, report_path, error, *(int(v) for v in counts.values()), run_id]).fetchall()
        if not updated:
            raise WarehouseError(f"run {run_id} was never started")


def record_dq_results(con: duckdb.DuckDBPyConnection, run_id: str, results: pd.DataFrame) -> int:
    """Store a run's expectation results, replacing earlier results of the same run and suites."""
    if results.empty:
        return 0
    if missing := [c for c in DQ_REQUIRED if c not in results.columns]:
        raise WarehouseError(f"dq results frame lacks column(s) {', '.join(missing)}")
    with transaction(con, f"run {run_id}: data-quality results not stored"):
        con.execute("DELETE FROM dq_results WHERE run_id = ? AND list_contains(?, suite)",
                    [run_id, sorted(set(results["suite"].astype(str)))])
        return insert_frame(con, "dq_results", results, {"run_id": run_id})


def recent_runs(con: duckdb.DuckDBPyConnection, n: int) -> pd.DataFrame:
    """The last n runs, oldest first (for trend charts)."""
    return con.execute("SELECT * FROM (SELECT * FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?) "
                       "ORDER BY started_at, run_id", [n]).df()


def run_dq_results(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """A run's expectation results, failures first."""
    return con.execute("""SELECT suite, table_name, severity, expectation_type, kwargs, success, element_count,
                                 unexpected_count, unexpected_ids
                          FROM dq_results WHERE run_id = ?
                          ORDER BY success, suite, severity, expectation_type""", [run_id]).df()


def run_findings(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """Document findings recorded by the documents a run loaded."""
    return con.execute("""SELECT source_file, document_id, check_name, severity, message, detail
                          FROM document_findings WHERE run_id = ?
                          ORDER BY source_file, document_id, check_name""", [run_id]).df()
