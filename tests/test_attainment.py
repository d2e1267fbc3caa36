"""The attainment rule, the series and explicit absences: SQL views on a real DuckDB file with hand-written rows."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.attainment_rows import add_absence, add_document, add_figure
from warehouse import corrections, db, duplicates, lifecycle


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with db.connect(tmp_path / "w.duckdb") as connection:
        yield connection


def attainment(con: duckdb.DuckDBPyConnection, figure_id: str) -> dict:
    cursor = con.execute("SELECT * FROM target_attainment WHERE figure_id = ?", [figure_id])
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return dict(zip(columns, rows[0]))


def judged(con, target_doc, actual_doc, metric, target, actual, **kw) -> dict:
    """Status row of one target (low, high, comparator, ...) against one actual value of the same year."""
    low, high, comparator = target
    unit, factor, base = kw.get("unit", "%"), kw.get("factor", 1.0), kw.get("base_unit")
    fid = add_figure(con, target_doc, "target", metric, low, high, comparator=comparator, unit=unit, factor=factor,
                     base_unit=base)
    year = con.execute("SELECT report_year FROM documents WHERE document_id = ?", [target_doc]).fetchone()[0]
    add_figure(con, actual_doc, "actual", metric, actual, unit=kw.get("actual_unit", unit),
               factor=kw.get("actual_factor", factor), base_unit=kw.get("actual_base_unit", base), period=year)
    return attainment(con, fid)


@pytest.mark.parametrize("metric, target, actual, status, gap", [
    # approx floor: 7%左右 is met from 7 × (1 − 0.05) = 6.65
    ("gdp_growth", (7.0, None, "approx"), 6.9, "met", -0.1),
    ("gdp_growth", (7.0, None, "approx"), 6.6, "missed", -0.4),
    # point: no tolerance
    ("industrial_value_added_growth", (6.0, None, "point"), 5.9, "missed", -0.1),
    # approx on a lower-is-better metric is a ceiling: 3%左右 up to 3.15
    ("cpi_growth", (3.0, None, "approx"), 1.4, "met", -1.6),
    ("cpi_growth", (3.0, None, "approx"), 3.3, "missed", 0.3),
    # a finer code whose headline metric is lower-is-better: 城镇调查失业率5.5%左右 is a ceiling too
    ("unemployment_surveyed", (5.5, None, "approx"), 5.9, "missed", 0.4),
    # at_most ceiling (以内)
    ("urban_unemployment_rate", (4.5, None, "at_most"), 4.05, "met", -0.45),
    ("urban_unemployment_rate", (4.5, None, "at_most"), 4.6, "missed", 0.1),
    # at_least floor (以上)
    ("foreign_trade_growth", (6.0, None, "at_least"), 6.0, "met", 0.0),
    # range: the less ambitious end (the low end of a floor)
    ("retail_sales_growth", (10.0, 11.0, "range"), 10.7, "met", 0.7),
    ("retail_sales_growth", (10.0, 11.0, "range"), 9.9, "missed", -0.1),
    # a stated decrease (下降3.1% stored -3.1): -5.6 is met, -2 is not
    ("energy_intensity_change", (-3.1, None, "point"), -5.6, "met", -2.5),
    ("energy_intensity_change", (-3.1, None, "point"), -2.0, "missed", 1.1),
    # 下降3%以上 (at_least a fall of 3): -2.5 is missed; 下降不超过3% (at_most): -2.5 is met
    ("energy_intensity_change", (-3.0, None, "at_least"), -2.5, "missed", 0.5),
    ("energy_intensity_change", (-3.0, None, "at_most"), -2.5, "met", 0.5),
])
def test_every_branch_of_the_rule(con, metric, target, actual, status, gap) -> None:
    t, a = add_document(con, "2015.txt", 2015), add_document(con, "2016.txt", 2016)
    row = judged(con, t, a, metric, target, actual)
    assert (row["status"], row["status_reason"]) == (status, None)
    assert row["gap"] == pytest.approx(gap)
    assert row["actual_document_id"] == a and row["actual_sentence"]


def test_gap_is_in_the_target_unit_and_levels_compare_in_base_units(con) -> None:
    t, a = add_document(con, "2015.txt", 2015), add_document(con, "2016.txt", 2016)
    row = judged(con, t, a, "new_urban_jobs", (1000.0, None, "at_least"), 13120000.0, unit="万人", factor=10000,
                 base_unit="人", actual_unit="人", actual_factor=1, actual_base_unit="人")
    assert row["status"] == "met" and row["gap"] == pytest.approx(312.0) and row["unit"] == "万人"


def test_level_vs_growth_and_unit_mismatch_are_unknown_with_the_reason(con) -> None:
    t, a = add_document(con, "2015.txt", 2015), add_document(con, "2016.txt", 2016)
    row = judged(con, t, a, "cpi_growth", (3.0, None, "approx"), 0.2, actual_unit="个百分点", actual_base_unit="个百分点")
    assert (row["status"], row["status_reason"]) == ("unknown", "actual is in 个百分点, target in %")
    assert row["gap"] is None


def test_pending_until_the_year_is_over_and_its_review_is_loaded(con) -> None:
    this_year = con.execute("SELECT year(current_date)").fetchone()[0]
    guangzhou = ("440100", "广州市")
    running = add_figure(con, add_document(con, f"gz-{this_year}.txt", this_year, region=guangzhou), "target",
                         "gdp_growth", 5.0, comparator="approx")
    unreviewed = add_figure(con, add_document(con, "2017.txt", 2017), "target", "gdp_growth", 6.5,
                            comparator="approx")
    no_grain = add_figure(con, add_document(con, "gz-2016.txt", 2016, region=guangzhou), "target", "grain_output",
                          60.0, unit="万吨", factor=10000, base_unit="吨")
    assert (attainment(con, running)["status"], attainment(con, running)["status_reason"]) == (
        "pending", "the year is not over")
    # the review of 2017 (a national report after 2017) is not loaded; another region's later report does not count
    add_figure(con, add_document(con, "gz-2018.txt", 2018, region=guangzhou), "actual", "gdp_growth", 6.2, period=2017)
    row = attainment(con, unreviewed)
    assert (row["status"], row["status_reason"]) == (
        "pending", "its review is not loaded: no report after 2017 for this region yet")
    # later Guangzhou reports are loaded but none states 2016's grain output: unknown, not pending
    row = attainment(con, no_grain)
    assert row["status"] == "unknown" and row["status_reason"].startswith("no actual stated in the later reports")


def test_an_average_annual_target_pairs_only_with_an_average_over_the_same_span(con) -> None:
    plan = add_document(con, "2016.txt", 2016)
    target = add_figure(con, plan, "target", "gdp_growth", 6.5, comparator="at_least", period=2020,
                        basis="average_annual", start=2016)
    annual_2016 = add_figure(con, plan, "target", "gdp_growth", 6.5, 7.0, comparator="range")
    review = add_document(con, "2021.txt", 2021)
    add_figure(con, review, "actual", "gdp_growth", 2.3, period=2020)
    # only the annual actual of 2020 is loaded: no pair for the five-year average
    row = attainment(con, target)
    assert row["status"] == "unknown" and row["actual_figure_id"] is None
    assert "no average_annual actual for 2016–2020" in row["status_reason"]
    assert "annual 2020–2020" in row["status_reason"]
    average = add_figure(con, review, "actual", "gdp_growth", 5.7, period=2020, basis="average_annual", start=2016)
    row = attainment(con, target)
    assert (row["status"], row["actual_figure_id"], row["basis"], row["period_start_year"]) == (
        "missed", average, "average_annual", 2016)
    assert row["gap"] == pytest.approx(-0.8)
    # an average over another span (2011–2015) or a cumulative figure never pairs with it
    add_figure(con, review, "actual", "gdp_growth", 7.8, period=2020, basis="average_annual", start=2011)
    add_figure(con, review, "actual", "gdp_growth", 33.0, period=2020, basis="cumulative", start=2016)
    assert attainment(con, target)["actual_figure_id"] == average
    # the annual 2016 target is still judged against the annual actual of 2016 only (not loaded: unknown)
    assert attainment(con, annual_2016)["status"] == "unknown"


def test_a_later_report_revises_an_earlier_actual(con) -> None:
    t = add_document(con, "2015.txt", 2015)
    target = add_figure(con, t, "target", "gdp_growth", 7.0, comparator="approx")
    first = add_document(con, "2016.txt", 2016)
    add_figure(con, first, "actual", "gdp_growth", 6.9, period=2015, sentence="2015年国内生产总值增长6.9%")
    revision = add_document(con, "2017.txt", 2017)
    revised = add_figure(con, revision, "actual", "gdp_growth", 7.0, period=2015, sentence="经修订，2015年增长7.0%")
    series = con.execute("""SELECT value_low, figure_id, document_id, document_count, value_count, revised,
                                   revised_from, conflict
                            FROM series WHERE kind = 'actual' AND metric_code = 'gdp_growth'""").fetchall()
    assert series == [(7.0, revised, revision, 2, 2, True, "6.9% (2016.txt, 2016)", False)]
    row = attainment(con, target)
    assert (row["actual_value"], row["actual_report_year"], row["actual_document_count"]) == (7.0, 2017, 2)
    assert row["actual_revised_from"] == "6.9% (2016.txt, 2016)"
    assert con.execute("SELECT count(*) FROM figures WHERE kind = 'actual'").fetchone() == (2,)  # both kept


def test_statements_of_equal_standing_that_disagree_conflict_with_both_sentences(con) -> None:
    one, other = add_document(con, "a-2016.txt", 2016), add_document(con, "b-2016.txt", 2016)
    a = add_figure(con, one, "actual", "cpi_growth", 1.4, period=2015, sentence="居民消费价格上涨1.4%")
    b = add_figure(con, other, "actual", "cpi_growth", 1.5, period=2015, sentence="居民消费价格上涨1.5%")
    add_figure(con, add_document(con, "c-2016.txt", 2016), "actual", "cpi_growth", 1.4, period=2015)
    conflicts = dict(con.execute(
        "SELECT figure_id, conflicts_with FROM series_statements WHERE metric_code = 'cpi_growth'").fetchall())
    assert conflicts[a] == "1.5% (b-2016.txt, 2016): 居民消费价格上涨1.5%"
    assert "1.4% (a-2016.txt, 2016): 居民消费价格上涨1.4%" in conflicts[b]
    assert con.execute("SELECT conflict, document_count FROM series WHERE metric_code = 'cpi_growth'").fetchone() == (
        True, 3)


def test_an_explicit_absence_is_in_the_series_and_a_missed_target_is_not(con) -> None:
    report = add_document(con, "2020.txt", 2020)
    add_absence(con, report, "gdp_growth", 2020, "我们没有提出全年经济增速具体目标")
    add_figure(con, add_document(con, "2021.txt", 2021), "actual", "gdp_growth", 2.3, period=2020)
    rows = con.execute("""SELECT metric_code, kind, absent, value_low, sentence FROM series
                          WHERE period_year = 2020 ORDER BY kind""").fetchall()
    assert rows == [("gdp_growth", "actual", False, 2.3, "gdp_growth actual 2020: 2.3%"),
                    ("gdp_growth", "target", True, None, "我们没有提出全年经济增速具体目标")]
    assert con.execute("SELECT count(*) FROM target_attainment").fetchone() == (0,)


def test_the_tolerance_is_one_documented_setting(con) -> None:
    tolerance = con.execute("SELECT value FROM attainment_settings WHERE setting = 'approx_tolerance'").fetchall()
    assert tolerance == [(0.05,)]
    comment = con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'target_attainment'").fetchone()[0]
    assert "approx_tolerance" in comment and "lower_is_better" in comment and "pending" in comment


REPORT_TEXT = ("政府工作报告。过去一年，国内生产总值增长7%，城镇新增就业1300万人，居民消费价格上涨2%。"
               "今年主要预期目标是：国内生产总值增长7%左右，城镇调查失业率控制在5.5%以内。") * 6


def _series_keys(con) -> list[tuple]:
    return con.execute("SELECT metric_code, kind, period_year, region_code, report_year FROM series "
                       "ORDER BY ALL").fetchall()


def test_retired_and_near_duplicate_documents_add_nothing_to_series_or_attainment(con) -> None:
    plan = add_document(con, "2015.txt", 2015)
    target = add_figure(con, plan, "target", "gdp_growth", 7.0, comparator="approx")
    before = (_series_keys(con), attainment(con, target))
    assert before[1]["status_reason"] == "its review is not loaded: no report after 2015 for this region yet"
    # a later report whose file left the inbox: its absence and its year must not count
    gone = add_document(con, "2016.txt", 2016)
    add_absence(con, gone, "cpi_growth", 2016, "今年不设居民消费价格具体目标")
    lifecycle.retire_files(con, "r2", ["2016.txt"])
    # a scrape of the 2015 report, its year misread as 2017: a near-duplicate, only the clean copy counts
    scrape = add_document(con, "scrape.html", 2017)
    add_absence(con, scrape, "new_urban_jobs", 2017, "今年不设城镇新增就业具体目标")
    con.execute("UPDATE documents SET text = ?, cjk_ratio = 0.9 WHERE document_id = ?", [REPORT_TEXT, plan])
    con.execute("UPDATE documents SET text = ?, cjk_ratio = 0.5 WHERE document_id = ?",
                ["首页 > 政务公开\n" + REPORT_TEXT + "\n版权所有", scrape])
    assert duplicates.mark_near_duplicates(con)["source_file"].tolist() == ["scrape.html"]
    assert (_series_keys(con), attainment(con, target)) == before
    assert con.execute("SELECT count(*) FROM series_statements").fetchone() == (1,)


def test_document_corrections_apply_to_absences_and_to_the_last_report(con) -> None:
    plan = add_document(con, "2015.txt", 2015)
    target = add_figure(con, plan, "target", "gdp_growth", 7.0, comparator="approx")
    misdated = add_document(con, "misdated.txt", 2016)  # really the 2015 report's twin from another region
    add_absence(con, misdated, "cpi_growth", 2016, "今年不设居民消费价格具体目标")
    assert attainment(con, target)["status"] == "unknown"  # a 2016 national report is loaded, stating no actual
    corrections.set_document(con, misdated, "report of Guangzhou, 2015", "tester", region="440100", report_year=2015)
    assert attainment(con, target)["status"] == "pending"
    assert con.execute("SELECT region_code, region_name, report_year FROM series WHERE absent").fetchall() == [
        ("440100", "广州市", 2015)]
