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
FROM figure_rows WHERE document_id IN (SELECT document_id FROM documents WHERE retired_run_id IS NULL)
UNION ALL
SELECT source_file, kind, value_low, value_high, unit, comparator, period_year, metric_code, metric_name,
       coalesce(basis, 'annual'), sentence
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


# The metric catalog with how many loaded figures carry each code (`mubiao metrics`). Parameters: domain, search.
METRIC_CATALOG = """
SELECT m.code, m.name_zh AS name, m.name_en, m.domain, m.measure, m.unit, m.headline_code,
       array_to_string(m.aliases, '|') AS aliases, count(f.figure_id) AS figures
FROM metrics m
LEFT JOIN figures f ON f.metric_code = m.code  -- current documents only
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
