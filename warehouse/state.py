"""Incremental state: which file versions are already processed, which documents need re-extraction."""
from __future__ import annotations

import duckdb
import pandas as pd


def file_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """source_file → file_hash of every file whose last processing loaded or quarantined it."""
    rows = con.execute("SELECT source_file, file_hash FROM source_files "
                       "WHERE outcome IN ('loaded', 'quarantined') AND file_hash IS NOT NULL").fetchall()
    return dict(rows)


def stale_documents(con: duckdb.DuckDBPyConnection, extractor_version: str) -> pd.DataFrame:
    """Loaded documents extracted by another extractor version (ids only: raw_documents fetches their text)."""
    return con.execute("""
        SELECT document_id, source_file, part, content_hash, extractor_version
        FROM documents WHERE extractor_version IS DISTINCT FROM ? AND retired_run_id IS NULL
        ORDER BY source_file, part""", [extractor_version]).df()


def document_holders(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, str]:
    """document_id → source_file of the given ids among current (not retired) documents."""
    return dict(con.execute("SELECT document_id, source_file FROM documents WHERE list_contains(?, document_id) "
                            "AND retired_run_id IS NULL", [document_ids]).fetchall())


def raw_documents(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> pd.DataFrame:
    """The stored raw text, format and reader metadata of the given documents, to re-extract them without the files."""
    return con.execute("""
        SELECT document_id, source_file, part, fmt, encoding, raw_text, raw_meta
        FROM documents WHERE list_contains(?, document_id)
        ORDER BY source_file, part""", [document_ids]).df()


CROSS_CHECK_COLUMNS = ("figure_id", "document_id", "source_file", "region_code", "metric_code", "kind", "period_year",
                       "comparator", "value_low", "value_high", "unit", "value_base_low", "value_base_high", "base_unit")
# What the views say of each figure: its conflicts (series_statements) and, for a target, its attainment.
VIEW_CHECK_COLUMNS = ("conflicts_with", "attainment", "attainment_actual", "attainment_unit", "attainment_gap",
                      "attainment_reason")


def cross_check_frame(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    """A run's loaded figures and their peers (same region, metric and year, or same id), with the views' verdicts."""
    columns = ", ".join(f"f.{c}" for c in CROSS_CHECK_COLUMNS)
    return con.execute(f"""
        WITH loaded AS (SELECT figure_id, region_code, metric_code, period_year FROM figures WHERE run_id = ?),
        peers AS (
            SELECT * FROM figures
            WHERE run_id = ?
               OR figure_id IN (SELECT figure_id FROM loaded)
               OR (region_code, metric_code, period_year) IN (
                    SELECT (region_code, metric_code, period_year) FROM loaded
                    WHERE region_code IS NOT NULL AND metric_code IS NOT NULL AND period_year IS NOT NULL))
        SELECT {columns}, s.conflicts_with, a.status AS attainment, a.actual_value AS attainment_actual,
               a.actual_unit AS attainment_unit, a.gap AS attainment_gap, a.status_reason AS attainment_reason
        FROM peers f
        LEFT JOIN series_statements s ON s.document_id = f.document_id AND s.figure_id = f.figure_id
        LEFT JOIN target_attainment a ON a.document_id = f.document_id AND a.figure_id = f.figure_id
        ORDER BY f.source_file, f.document_id, f.figure_id""", [run_id, run_id]).df()


def figure_sentences(con: duckdb.DuckDBPyConnection, figure_ids: list[str]) -> pd.DataFrame:
    """figure_id and sentence of the given loaded figures."""
    return con.execute("SELECT DISTINCT figure_id, sentence FROM figures WHERE list_contains(?, figure_id)",
                       [figure_ids]).df()
