"""Read-side queries: ad-hoc SQL for `mubiao sql` and the named queries the CLI and report use."""
from __future__ import annotations

from typing import Any

import duckdb

from .errors import WarehouseError
from .transaction import first_line

# Every extracted figure, loaded or still quarantined, in the shape `mubiao eval` scores against gold labels.
EVAL_FIGURES = """
SELECT source_file AS doc, kind, value_low, value_high, unit, comparator, period_year, metric_code, sentence
FROM figure_rows WHERE document_id IN (SELECT document_id FROM documents WHERE retired_run_id IS NULL)
UNION ALL
SELECT source_file, kind, value_low, value_high, unit, comparator, period_year, metric_code, sentence
FROM (SELECT q.* FROM quarantine q
      JOIN documents d ON d.document_id = q.document_id AND d.run_id = q.run_id AND d.retired_run_id IS NULL
      WHERE q.level = 'figure'
        AND NOT EXISTS (SELECT 1 FROM figure_rows f WHERE f.document_id = q.document_id AND f.figure_id = q.figure_id)
      QUALIFY row_number() OVER (PARTITION BY q.document_id, q.figure_id ORDER BY q.quarantine_id) = 1)
ORDER BY doc
"""


QUERY_ONLY = ("SET enable_external_access = false", "SET lock_configuration = true")
_REFUSED = "query refused: `mubiao sql` only queries the warehouse (no files, ATTACH, INSTALL or settings; " \
           "--allow-files permits files on your own machine)"


def query_only(con: duckdb.DuckDBPyConnection) -> None:
    """Lock a connection to querying: no file reads or writes, no ATTACH, no extension installs, no SET."""
    for statement in QUERY_ONLY:
        con.execute(statement)


def run_sql(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one user query; return (column names, rows). Use a read-only connection."""
    try:
        cursor = con.execute(sql)
        if cursor.description is None:
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()
    except duckdb.PermissionException as e:
        raise WarehouseError(f"{_REFUSED}: {first_line(e).removeprefix('Permission Error: ')}") from None
    except duckdb.Error as e:
        message = first_line(e)
        if "the configuration has been locked" in message:
            raise WarehouseError(f"{_REFUSED}: {message.removeprefix('Invalid Input Error: ')}") from None
        raise WarehouseError(f"query failed: {message}") from None
