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


def run_sql(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one user query; return (column names, rows). Use a read-only connection."""
    try:
        cursor = con.execute(sql)
        if cursor.description is None:
            return [], []
        return [d[0] for d in cursor.description], cursor.fetchall()
    except duckdb.Error as e:
        raise WarehouseError(f"query failed: {first_line(e)}") from None
