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
    """Loaded documents extracted by another extractor version, with their raw text and metadata to re-extract."""
    return con.execute("""
        SELECT document_id, source_file, part, content_hash, fmt, encoding, title, doc_type, region_code,
               region_name, region_level, report_year, publish_date, source_url, issuer, extractor_version, text,
               raw_text, raw_meta
        FROM documents WHERE extractor_version IS DISTINCT FROM ?
        ORDER BY source_file, part""", [extractor_version]).df()


def cross_check_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every loaded figure (the figures view) with cross-document context for warehouse-wide checks.

    Adds: attainment_status (targets only, from target_attainment); key_value_count, the number of distinct
    base values loaded for the same region, metric_code, kind and period_year (1 = consistent); and
    content_duplicates, the number of other loaded documents with the same content_hash.
    """
    return con.execute("""
        WITH docs AS (
            SELECT document_id, count(*) OVER (PARTITION BY content_hash) - 1 AS content_duplicates FROM documents
        ),
        keyed AS (
            SELECT coalesce(region_code, region_name) AS region_key, metric_code, kind, period_year,
                   count(DISTINCT (value_base_low, value_base_high)) AS key_value_count
            FROM figures WHERE metric_code IS NOT NULL AND period_year IS NOT NULL
            GROUP BY ALL
        )
        SELECT f.*, ta.status AS attainment_status, k.key_value_count, docs.content_duplicates
        FROM figures f
        LEFT JOIN target_attainment ta ON ta.document_id = f.document_id AND ta.figure_id = f.figure_id
        LEFT JOIN keyed k ON k.region_key = coalesce(f.region_code, f.region_name) AND k.metric_code = f.metric_code
                         AND k.kind = f.kind AND k.period_year = f.period_year
        LEFT JOIN docs ON docs.document_id = f.document_id
        ORDER BY f.source_file, f.document_id, f.figure_id""").df()
