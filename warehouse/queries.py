"""Read-side queries: ad-hoc SQL for `mubiao sql` and the named queries the CLI and report use."""
from __future__ import annotations

from typing import Any

import duckdb

from .errors import WarehouseError
from .transaction import first_line

# Every extracted figure, loaded or still quarantined, in the shape `mubiao eval` scores against gold labels.
EVAL_FIGURES = """
SELECT source_file AS doc, kind, value_low, value_high, unit, comparator, period_year, metric_code, metric_name,
       coalesce(basis, 'annual') AS basis, sentence
FROM figure_rows
UNION ALL
SELECT source_file, kind, value_low, value_high, unit, comparator, period_year, metric_code, metric_name,
       coalesce(basis, 'annual'), sentence
FROM (SELECT q.* FROM quarantine q
      JOIN documents d ON d.document_id = q.document_id AND d.run_id = q.run_id
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


# The metric catalog with how many loaded figures carry each code (`mubiao metrics`). Parameters: domain, search.
METRIC_CATALOG = """
SELECT m.code, m.name_zh AS name, m.name_en, m.domain, m.measure, m.unit, m.headline_code,
       array_to_string(m.aliases, '|') AS aliases, count(f.figure_id) AS figures
FROM metrics m
LEFT JOIN figure_rows f ON f.metric_code = m.code
WHERE ($domain IS NULL OR m.domain = $domain)
  AND ($search IS NULL OR m.code ILIKE '%' || $search || '%' OR m.name_zh LIKE '%' || $search || '%'
       OR m.name_en ILIKE '%' || $search || '%' OR array_to_string(m.aliases, '|') LIKE '%' || $search || '%')
GROUP BY ALL
ORDER BY m.domain, m.code
"""


def metric_catalog(con: duckdb.DuckDBPyConnection, domain: str | None = None, search: str | None = None
                   ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The catalog rows (code, name, measure, unit, headline code, aliases) and each code's loaded figure count."""
    columns = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = 'metrics'").fetchall()}
    if "headline_code" not in columns:
        raise WarehouseError("the warehouse predates the metric catalog columns (migration 005): "
                             "run `mubiao run` once to upgrade it")
    cursor = con.execute(METRIC_CATALOG, {"domain": domain, "search": search})
    return [d[0] for d in cursor.description], cursor.fetchall()
