"""Read-side queries of the review desk and `mubiao status`: figures with facets and search, one figure with its
context, documents, the quarantine queue and the warehouse's status. Every value is a bound parameter."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from . import review

# Facet name → column of DESK_FIGURES (the keys are the URL parameters).
FACETS: dict[str, str] = {"region": "region_name", "level": "region_level", "metric": "metric_code",
                          "year": "period_year", "kind": "kind", "basis": "basis", "status": "review_status"}
FACET_VALUES = 12  # values listed per facet, most frequent first
PAGE_SIZE = 50
CONTEXT_CHARS = 240  # characters of the paragraph shown before and after a figure's sentence

DESK_FIGURES = "SELECT * FROM figures"
_FIGURE_COLUMNS = ("figure_id", "region_name", "period_year", "kind", "metric_code", "metric_name", "value_low",
                   "value_high", "unit", "comparator", "basis", "sentence", "value_text", "review_status",
                   "source_file", "document_id")


def _where(filters: Mapping[str, str], query: str, skip: str | None = None) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for name, column in FACETS.items():
        value = filters.get(name)
        if value in (None, "") or name == skip:
            continue
        if value == "(none)":
            clauses.append(f"{column} IS NULL")
        else:
            clauses.append(f"CAST({column} AS VARCHAR) = ?")
            params.append(value)
    for term in query.split():
        clauses.append("(sentence ILIKE ? OR metric_name ILIKE ? OR figure_id = ?)")
        params += [f"%{term}%", f"%{term}%", term]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def facet_counts(con: duckdb.DuckDBPyConnection, filters: Mapping[str, str], query: str = "") -> dict[str, list]:
    """Per facet: (value, count) of the figures matching every other filter, most frequent first."""
    out = {}
    for name, column in FACETS.items():
        where, params = _where(filters, query, skip=name)
        out[name] = con.execute(
            f"SELECT CAST({column} AS VARCHAR) AS v, count(*) AS n FROM ({DESK_FIGURES}){where} "
            f"GROUP BY 1 ORDER BY n DESC, v NULLS LAST LIMIT {FACET_VALUES}", params).fetchall()
    return out


def find_figures(con: duckdb.DuckDBPyConnection, filters: Mapping[str, str], query: str = "",
                 page: int = 0) -> tuple[int, pd.DataFrame]:
    """(how many figures match, one page of them)."""
    where, params = _where(filters, query)
    total = con.execute(f"SELECT count(*) FROM ({DESK_FIGURES}){where}", params).fetchone()[0]
    rows = con.execute(
        f"SELECT {', '.join(_FIGURE_COLUMNS)} FROM ({DESK_FIGURES}){where} "
        f"ORDER BY region_name NULLS LAST, period_year DESC NULLS LAST, source_file, figure_id "
        f"LIMIT {PAGE_SIZE} OFFSET ?", [*params, max(page, 0) * PAGE_SIZE]).df()
    return total, rows


def figure(con: duckdb.DuckDBPyConnection, figure_id: str) -> dict | None:
    """One figure as the views show it, else as loaded (rejected) or as quarantined; with `where` saying which."""
    for where, sql in (
        ("loaded", f"SELECT * FROM ({DESK_FIGURES}) WHERE figure_id = ? LIMIT 1"),
        ("rejected", "SELECT f.*, NULL AS title FROM figure_rows f WHERE figure_id = ? LIMIT 1"),
        ("quarantined", "SELECT q.*, NULL AS title FROM quarantine q WHERE level = 'figure' AND figure_id = ? "
                        "ORDER BY quarantined_at DESC LIMIT 1"),
    ):
        cursor = con.execute(sql, [figure_id])
        row = cursor.fetchone()
        if row is not None:
            return {"where": where, **dict(zip([d[0] for d in cursor.description], row))}
    return None


def context(con: duckdb.DuckDBPyConnection, document_id: str, sentence_offset: int | None,
            sentence: str | None) -> tuple[str, str]:
    """The text before and after a figure's sentence in its document (up to CONTEXT_CHARS each)."""
    if sentence_offset is None or not sentence:
        return "", ""
    row = con.execute("SELECT substr(text, greatest(?, 1), ?), substr(text, ?, ?) FROM documents "
                      "WHERE document_id = ?",
                      [sentence_offset + 1 - CONTEXT_CHARS, min(CONTEXT_CHARS, sentence_offset),
                       sentence_offset + 1 + len(sentence), CONTEXT_CHARS, document_id]).fetchone()
    return (row[0] or "", row[1] or "") if row else ("", "")


_DOCUMENTS = """
SELECT d.document_id, d.source_file, d.title, coalesce(dc.doc_type, d.doc_type) AS doc_type,
       coalesce(dc.region_code, d.region_code) AS region_code, coalesce(dc.region_name, d.region_name) AS region_name,
       coalesce(dc.region_level, d.region_level) AS region_level,
       coalesce(dc.report_year, d.report_year) AS report_year, d.publish_date, d.source_url, d.issuer, d.fmt,
       d.char_count, d.figure_count, d.duplicate_of, d.duplicate_similarity, d.loaded_at,
       (SELECT count(*) FROM figures f WHERE f.document_id = d.document_id) AS figures_in_views,
       (SELECT count(*) FROM document_findings x WHERE x.document_id = d.document_id) AS findings,
       dc.reviewed_at IS NOT NULL AS corrected
FROM documents d LEFT JOIN document_corrections dc USING (document_id)
"""


def documents(con: duckdb.DuckDBPyConnection, query: str = "") -> pd.DataFrame:
    """Every document with its (corrected) metadata, matching the words of query in file name or title."""
    clauses, params = [], []
    for term in query.split():
        clauses.append("(source_file ILIKE ? OR title ILIKE ? OR region_name ILIKE ? OR document_id = ?)")
        params += [f"%{term}%"] * 3 + [term]
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return con.execute(f"SELECT * FROM ({_DOCUMENTS}){where} ORDER BY region_name NULLS LAST, report_year, "
                       "source_file", params).df()


def document(con: duckdb.DuckDBPyConnection, document_id: str) -> tuple[dict | None, pd.DataFrame]:
    """One document's metadata and its findings."""
    cursor = con.execute(f"SELECT * FROM ({_DOCUMENTS}) WHERE document_id = ?", [document_id])
    row = cursor.fetchone()
    if row is None:
        return None, pd.DataFrame()
    found = dict(zip([d[0] for d in cursor.description], row))  # before the next execute reuses the cursor
    findings = con.execute("SELECT check_name, severity, message, detail FROM document_findings "
                           "WHERE document_id = ? ORDER BY severity, check_name", [document_id]).df()
    return found, findings


def quarantine_queue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Open review items (view open_items), one row per figure (or document or file), newest run first."""
    return con.execute("""
        SELECT item_id AS id, level, any_value(source_file) AS source_file, any_value(region_name) AS region_name,
               any_value(kind) AS kind, any_value(metric_code) AS metric_code, any_value(value_low) AS value_low,
               any_value(unit) AS unit, any_value(value_text) AS value_text, any_value(sentence) AS sentence,
               string_agg(DISTINCT reason, '; ') AS reasons, max(run_id) AS run_id
        FROM quarantine JOIN open_items USING (quarantine_id, level)
        GROUP BY item_id, level ORDER BY run_id DESC, source_file, id""").df()


def status(con: duckdb.DuckDBPyConnection, warehouse: Path, runs: int = 5) -> dict[str, Any]:
    """What `mubiao status` shows: last runs, open items, figures by level and by year, warehouse size."""
    return {
        "warehouse": str(warehouse),
        "size_bytes": warehouse.stat().st_size if warehouse.exists() else 0,
        "runs": con.execute("""SELECT run_id, status, started_at, finished_at, files_seen, files_loaded,
                                      files_quarantined, documents_quarantined, figures_loaded, figures_quarantined,
                                      warnings, error
                               FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?""", [runs]).df(),
        "open_items": review.open_item_counts(con),
        "documents": con.execute("SELECT count(*) FROM documents").fetchone()[0],
        "duplicates": con.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0],
        "decisions": con.execute("SELECT count(*) FROM review_log").fetchone()[0],
        "by_level": con.execute(f"SELECT coalesce(region_level, '(unknown)') AS level, count(*) AS figures "
                                f"FROM ({DESK_FIGURES}) GROUP BY 1 ORDER BY 2 DESC").df(),
        "by_year": con.execute("SELECT coalesce(CAST(report_year AS VARCHAR), '(unknown)') AS report_year, "
                               "count(*) AS figures, count(*) FILTER (WHERE kind = 'target') AS targets, "
                               "count(*) FILTER (WHERE kind = 'actual') AS actuals "
                               "FROM figures GROUP BY 1 ORDER BY 1").df(),
    }
