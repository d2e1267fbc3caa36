"""Hand-written documents and figure rows inserted straight into a real warehouse file, for the attainment views."""
from __future__ import annotations

import hashlib
from datetime import datetime

import duckdb

NATIONAL = ("100000", "全国")
_NOW = datetime(2026, 1, 1)


def _id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def add_document(con: duckdb.DuckDBPyConnection, source_file: str, report_year: int | None,
                 region: tuple[str | None, str | None] = NATIONAL) -> str:
    """A loaded document of a region and year; returns its id."""
    document_id = _id(source_file)
    con.execute("""INSERT INTO documents (document_id, source_file, content_hash, region_code, region_name,
                   report_year, extractor_version, run_id, loaded_at) VALUES (?, ?, ?, ?, ?, ?, 'v', 'r', ?)""",
                [document_id, source_file, _id("content", source_file), region[0], region[1], report_year, _NOW])
    return document_id


def add_figure(con: duckdb.DuckDBPyConnection, document_id: str, kind: str, metric_code: str | None,
               low: float, high: float | None = None, *, unit: str = "%", factor: float = 1.0,
               base_unit: str | None = None, comparator: str = "point", period: int | None = None,
               basis: str = "annual", start: int | None = None, sentence: str | None = None) -> str:
    """A loaded figure of a document (region and report year from the document); returns its id."""
    high = low if high is None else high
    source_file, region_code, region_name, report_year = con.execute(
        "SELECT source_file, region_code, region_name, report_year FROM documents WHERE document_id = ?",
        [document_id]).fetchone()
    period = report_year if period is None else period
    sentence = sentence or f"{metric_code} {kind} {period}: {low}{unit}"
    figure_id = _id(document_id, kind, metric_code, low, high, unit, period, basis, start, sentence)
    con.execute("""INSERT INTO figure_rows (figure_id, document_id, source_file, region_code, region_name, report_year,
                   kind, metric_code, metric_name, value_low, value_high, unit, value_base_low, value_base_high,
                   base_unit, comparator, period_year, sentence, value_text, run_id, loaded_at, basis,
                   period_start_year)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'r', ?, ?, ?)""",
                [figure_id, document_id, source_file, region_code, region_name, report_year, kind, metric_code,
                 metric_code, low, high, unit, low * factor, high * factor, base_unit or unit, comparator, period,
                 sentence, f"{low}{unit}", _NOW, basis, start])
    return figure_id


def add_absence(con: duckdb.DuckDBPyConnection, document_id: str, metric_code: str, period: int,
                sentence: str) -> None:
    """An explicit 'no numeric target' statement of a document."""
    source_file = con.execute("SELECT source_file FROM documents WHERE document_id = ?", [document_id]).fetchone()[0]
    con.execute("""INSERT INTO qualitative_targets (qualitative_id, document_id, source_file, kind, subject, period_year,
                   sentence, run_id, loaded_at, metric_code, declines_number)
                   VALUES (?, ?, ?, 'target', ?, ?, ?, 'r', ?, ?, true)""",
                [_id(document_id, sentence), document_id, source_file, metric_code, period, sentence, _NOW,
                 metric_code])
