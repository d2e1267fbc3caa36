"""Read-side queries of the attainment views for `mubiao attainment` and the run report's attainment page."""
from __future__ import annotations

import duckdb
import pandas as pd

# Targets with their status, plus the explicit absences of a target (status 'no target set') with the actual.
_ATTAINMENT = """
WITH rows AS (
    SELECT coalesce(region_name, region_code) AS region, region_code, metric_code, basis, period_start_year,
           period_year, report_year, target_label AS target, comparator, target_low, target_high, unit, status,
           actual_label AS actual, actual_value, gap, status_reason AS reason, source_file AS target_file,
           actual_source_file AS actual_file, sentence AS target_sentence, actual_sentence, figure_id,
           actual_figure_id, target_base_low, target_base_high, actual_value_base, tolerance, bound, headline_code
    FROM target_attainment
    UNION ALL
    SELECT coalesce(s.region_name, s.region_code), s.region_code, s.metric_code, s.basis, s.period_start_year,
           s.period_year, s.report_year, 'none', NULL, NULL, NULL, NULL, 'no target set', a.value_label,
           (a.value_low + a.value_high) / 2, NULL, 'the report explicitly sets no numeric target', s.source_file,
           a.source_file, s.sentence, a.sentence, s.figure_id, a.figure_id, NULL, NULL,
           (a.value_base_low + a.value_base_high) / 2, NULL, NULL, s.headline_code
    FROM series s
    LEFT JOIN series a
      ON a.kind = 'actual' AND NOT a.absent AND a.region_key = s.region_key AND a.metric_code = s.metric_code
     AND a.basis = s.basis AND a.period_start_year = s.period_start_year AND a.period_year = s.period_year
    WHERE s.kind = 'target' AND s.absent
)
SELECT * FROM rows
WHERE (CAST(? AS VARCHAR) IS NULL OR region_code = ? OR region = ? OR contains(region, ?))
  AND (CAST(? AS VARCHAR) IS NULL OR metric_code = ?)
ORDER BY region, metric_code, period_year, basis, period_start_year, report_year, target_file, figure_id
"""

# Columns `mubiao attainment` prints, in order.
ATTAINMENT_COLUMNS: tuple[str, ...] = (
    "region", "metric_code", "basis", "period_start_year", "period_year", "report_year", "target", "status",
    "actual", "gap", "reason", "target_file", "actual_file", "target_sentence", "actual_sentence",
)

_SERIES_ACTUALS = """
SELECT coalesce(region_name, region_code) AS region, metric_code, period_year, value_label AS actual,
       (value_base_low + value_base_high) / 2 AS actual_value_base, base_unit, source_file, sentence, figure_id,
       headline_code
FROM series
WHERE kind = 'actual' AND basis = 'annual' AND NOT absent
  AND (CAST(? AS VARCHAR) IS NULL OR region_code = ? OR coalesce(region_name, region_code) = ?)
  AND (CAST(? AS VARCHAR) IS NULL OR metric_code = ?)
ORDER BY region, metric_code, period_year
"""

# Region and metric pairs with targets, with their counts by status (the desk's list of charts).
_PAIRS = """
SELECT coalesce(region_name, region_code) AS region, metric_code, count(*) AS targets,
       count(*) FILTER (WHERE status = 'met') AS met, count(*) FILTER (WHERE status = 'missed') AS missed,
       count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'unknown') AS unknown
FROM target_attainment
WHERE coalesce(region_name, region_code) IS NOT NULL AND metric_code IS NOT NULL
GROUP BY ALL ORDER BY region, metric_code
"""


def attainment(con: duckdb.DuckDBPyConnection, region: str | None = None, metric: str | None = None) -> pd.DataFrame:
    """Every target (and explicit absence of one) with its status, optionally for one region and metric."""
    return con.execute(_ATTAINMENT, [region, region, region, region, metric, metric]).df()


def series_actuals(con: duckdb.DuckDBPyConnection, region: str | None = None,
                   metric: str | None = None) -> pd.DataFrame:
    """The annual actual of every region, metric and year (the series' chosen statement), optionally of one pair."""
    return con.execute(_SERIES_ACTUALS, [region, region, region, metric, metric]).df()


def attainment_pairs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every region and metric with targets: how many, and how many met, missed, pending and unknown."""
    return con.execute(_PAIRS).df()
