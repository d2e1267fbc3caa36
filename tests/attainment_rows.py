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
    con.execute("""INSERT INTO qualitative_targets (qualitative_id, document_id, source_file, kind, subject,
                   period_year, sentence, run_id, loaded_at, metric_code, declines_number)
                   VALUES (?, ?, ?, 'target', ?, ?, ?, 'r', ?, ?, true)""",
                [_id(document_id, sentence), document_id, source_file, metric_code, period, sentence, _NOW,
                 metric_code])


# Headline targets and outcomes of the national reports 2005–2012 (as the reports state them), for pages and CLI.
NATIONAL_TARGETS = {  # report year: (metric, low, high, unit, comparator)
    2005: [("gdp_growth", 8, 8, "%", "approx"), ("cpi_growth", 4, 4, "%", "point"),
           ("new_urban_jobs", 900, 900, "万人", "point")],
    2006: [("gdp_growth", 8, 8, "%", "approx"), ("cpi_growth", 3, 3, "%", "point"),
           ("new_urban_jobs", 900, 900, "万人", "point")],
    2007: [("gdp_growth", 8, 8, "%", "approx"), ("cpi_growth", 3, 3, "%", "at_most"),
           ("new_urban_jobs", 900, 900, "万人", "at_least")],
    2008: [("gdp_growth", 8, 8, "%", "approx"), ("cpi_growth", 4.8, 4.8, "%", "approx"),
           ("new_urban_jobs", 1000, 1000, "万人", "point")],
}
NATIONAL_ACTUALS = {  # report year: (metric, value, unit, period year)
    2006: [("gdp_growth", 9.9, "%", 2005), ("cpi_growth", 1.8, "%", 2005), ("new_urban_jobs", 970, "万人", 2005),
           ("grain_output", 48401, "万吨", 2005)],
    2007: [("gdp_growth", 10.7, "%", 2006), ("cpi_growth", 1.5, "%", 2006), ("new_urban_jobs", 1184, "万人", 2006),
           ("grain_output", 49746, "万吨", 2006)],
    2008: [("gdp_growth", 11.4, "%", 2007), ("cpi_growth", 4.8, "%", 2007), ("new_urban_jobs", 1204, "万人", 2007),
           ("grain_output", 50150, "万吨", 2007)],
}
_FACTOR = {"%": (1.0, "%"), "万人": (10000.0, "人"), "万吨": (10000.0, "吨")}


def national_history(con: duckdb.DuckDBPyConnection) -> None:
    """Load NATIONAL_TARGETS and NATIONAL_ACTUALS as documents national-YYYY.txt, plus a declined 2009 target."""
    docs = {year: add_document(con, f"national-{year}.txt", year) for year in range(2005, 2010)}
    for year, targets in NATIONAL_TARGETS.items():
        for metric, low, high, unit, comparator in targets:
            factor, base = _FACTOR[unit]
            add_figure(con, docs[year], "target", metric, low, high, unit=unit, factor=factor, base_unit=base,
                       comparator=comparator, sentence=f"<b>{year}年</b>{metric}目标{low}{unit}")
    for year, actuals in NATIONAL_ACTUALS.items():
        for metric, value, unit, period in actuals:
            factor, base = _FACTOR[unit]
            add_figure(con, docs[year], "actual", metric, value, unit=unit, factor=factor, base_unit=base,
                       period=period, sentence=f"{period}年{metric}实际为{value}{unit}")
    add_absence(con, docs[2009], "gdp_growth", 2009, "今年没有提出经济增速具体目标<script>alert(1)</script>")
