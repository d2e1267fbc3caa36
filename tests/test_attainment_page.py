"""The attainment page in a real headless Chromium, and `mubiao attainment` on the same warehouse."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from expectations.attainment_page import render_attainment
from flows.cli import app
from tests.attainment_rows import national_history
from tests.browser_support import chromium, console_errors, screenshot_on_failure
from warehouse import attainment, db
from warehouse.publish import publish


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("attainment") / "w.duckdb"
    with db.connect(path) as con:
        national_history(con)
    publish(path, timeout_s=10)  # the analysts' copy a run leaves, which `mubiao attainment` opens
    return path


def _query(path: Path, sql: str) -> list[tuple]:
    with db.connect(path, read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_page_renders_one_chart_per_region_and_metric_with_a_mark_per_pair(warehouse: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    with db.connect(warehouse, read_only=True) as con:
        page = render_attainment("r-test", attainment.attainment(con), attainment.series_actuals(con), "r-test.html")
    path = tmp_path / "attainment.html"
    path.write_text(page, encoding="utf-8")
    pairs = dict(((r, m), n) for r, m, n in _query(warehouse, """
        SELECT region_name, metric_code, count(*) FILTER (WHERE status IN ('met', 'missed'))
        FROM target_attainment WHERE basis = 'annual' GROUP BY ALL"""))
    pairs.update({(r, m): 0 for r, m in _query(warehouse, "SELECT DISTINCT region_name, metric_code FROM series")
                  if (r, m) not in pairs})

    with chromium() as browser, screenshot_on_failure(browser, "attainment_page"):
        browser.get(path.as_uri())
        assert browser.title == "mubiao run r-test: targets and outcomes"
        charts = browser.find_elements(By.CSS_SELECTOR, "svg.attainment-chart")
        drawn = {(c.get_attribute("data-region"), c.get_attribute("data-metric")): c for c in charts}
        assert set(drawn) == set(pairs) == {("全国", m) for m in ("cpi_growth", "gdp_growth", "grain_output",
                                                                   "new_urban_jobs")}
        for key, chart in drawn.items():
            assert chart.is_displayed() and chart.size["width"] > 0 and chart.size["height"] > 0
            assert len(chart.find_elements(By.CSS_SELECTOR, "circle.pair")) == pairs[key], key
        assert sum(pairs.values()) == 9
        missed = drawn[("全国", "cpi_growth")].find_elements(By.CSS_SELECTOR, "circle.pair.status-missed")
        assert len(missed) == 1  # 2007: CPI 4.8% against 3%以内
        assert len(drawn[("全国", "grain_output")].find_elements(By.CSS_SELECTOR, "circle.actual-only")) == 3
        assert len(drawn[("全国", "gdp_growth")].find_elements(By.CSS_SELECTOR, "text.absent")) == 1
        # the hostile sentence is shown as text, never run
        assert browser.find_elements(By.TAG_NAME, "script") == []
        assert "没有提出经济增速具体目标<script>alert(1)</script>" in browser.find_element(By.TAG_NAME, "body").text
        assert "<b>2005年</b>gdp_growth目标8%" in browser.find_element(By.TAG_NAME, "body").text
        # a mark links to its target's row
        browser.find_element(By.CSS_SELECTOR, "svg[data-metric=gdp_growth] a").click()
        assert browser.current_url.split("#")[1].startswith("t-")
        assert console_errors(browser) == []


def test_the_page_without_figures_says_so() -> None:
    import pandas as pd

    page = render_attainment("r0", pd.DataFrame(), pd.DataFrame())
    assert "No figures with a catalog metric" in page and "<svg" not in page


def test_mubiao_attainment_prints_each_target_with_status_actual_and_gap(warehouse: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["attainment", "--warehouse", str(warehouse), "--metric", "cpi_growth",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["period_year"], r["target"], r["status"], r["actual"], r["gap"]) for r in rows] == [
        ("2005", "4%", "met", "1.8%", "-2.2"), ("2006", "3%", "met", "1.5%", "-1.5"),
        ("2007", "≤3%", "missed", "4.8%", "1.8"), ("2008", "≈4.8%", "unknown", "", "")]
    assert rows[2]["target_file"] == "national-2007.txt" and rows[2]["actual_file"] == "national-2008.txt"
    assert rows[2]["actual_sentence"] == "2007年cpi_growth实际为4.8%"
    assert rows[3]["reason"] == "no actual stated in the later reports loaded (up to 2009)"

    result = runner.invoke(app, ["attainment", "--warehouse", str(warehouse), "--region", "全国", "--format", "json"])
    statuses = [(r["metric_code"], r["period_year"], r["status"]) for r in json.loads(result.output)]
    assert ("gdp_growth", 2009, "no target set") in statuses and ("new_urban_jobs", 2007, "met") in statuses
    assert len(statuses) == 13

    table = runner.invoke(app, ["attainment", "--warehouse", str(warehouse), "--metric", "gdp_growth"])
    assert table.exit_code == 0 and "no target set" in table.output and "national-2006.txt" in table.output
    nothing = runner.invoke(app, ["attainment", "--warehouse", str(warehouse), "--region", "广州"])
    assert nothing.exit_code == 0 and "no targets match region '广州'" in nothing.output
    bad = runner.invoke(app, ["attainment", "--warehouse", str(warehouse), "--format", "xml"])
    assert bad.exit_code == 2 and "unknown format 'xml'" in bad.output


def test_targets_without_year_region_or_metric_are_listed_not_drawn(tmp_path: Path) -> None:
    from tests.attainment_rows import add_document, add_figure

    with db.connect(tmp_path / "w.duckdb") as con:
        undated = add_document(con, "undated.txt", None)
        add_figure(con, undated, "target", "gdp_growth", 6.0, comparator="approx", sentence="增长6%<i>左右</i>")
        add_figure(con, add_document(con, "nowhere.txt", 2020, region=(None, None)), "target", "gdp_growth", 5.0)
        add_figure(con, add_document(con, "2021.txt", 2021), "target", None, 3.0)
        page = render_attainment("r1", attainment.attainment(con), attainment.series_actuals(con))
    assert "2 targets without a region or a catalog metric are not shown." in page
    assert "增长6%&lt;i&gt;左右&lt;/i&gt;" in page and "<i>左右" not in page
    assert "<h2>全国 · gdp_growth</h2>" in page and "<td>?</td>" in page  # listed with an unknown year
    assert 'class="attainment-chart"' not in page and 'class="mark' not in page
