"""The review desk: decisions and corrections kept as history and applied by the views (on frames), the desk's
pages (in process), and a reviewer's session in headless Chromium against `mubiao desk` and a real flow run."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from browser_support import chromium, click_and_wait, console_errors, screenshot_on_failure
from desk.app import create_app
from flows.cli import app as cli
from test_warehouse_content import doc_frames, fig, hold, make_doc
from warehouse import corrections, db, load, runs
from warehouse.errors import WarehouseError

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """Two loaded figures and one quarantined, in a warehouse built from frames."""
    path = tmp_path / "w.duckdb"
    parts = hold(doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 5), fig(9, "actual", "gdp_growth", 5.2),
                                               fig(20, "target", "cpi_growth", 300)])), 2)
    with db.connect(path) as con:
        runs.start_run(con, "r1", "inbox", {})
        load.load_document(con, "r1", **parts)
        runs.finish_run(con, "r1", "succeeded", {}, None)
    return path


def _ids(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {kind: fid for fid, kind in con.execute("SELECT figure_id, kind FROM figure_rows").fetchall()}


def test_rejecting_a_loaded_figure_takes_it_out_of_the_views_and_keeps_the_history(warehouse: Path) -> None:
    with db.connect(warehouse) as con:
        target = _ids(con)["target"]
        assert corrections.decide(con, target, "rejected", "not a goal", "ana") == "loaded"
        assert con.execute("SELECT count(*) FROM figures WHERE figure_id = ?", [target]).fetchone() == (0,)
        assert corrections.decide(con, target, "accepted", "it is, after all", "bo") == "loaded"
        assert con.execute("SELECT review_status FROM figures WHERE figure_id = ?", [target]).fetchone() == ("accepted",)
        history = corrections.history(con, "figure", target)
    assert history[["reviewer", "action", "note"]].values.tolist() == [
        ["ana", "reject", "not a goal"], ["bo", "accept", "it is, after all"]]  # history, not last-wins


def test_a_correction_shows_in_the_views_with_base_values_and_survives_a_reload(warehouse: Path) -> None:
    fix = corrections.FigureCorrection(value_low=1.15, unit="亿元", kind="target", period_year=2025)
    parts = doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 5), fig(9, "actual", "gdp_growth", 5.2)]))
    with db.connect(warehouse) as con:
        actual = _ids(con)["actual"]
        corrections.correct(con, actual, fix, "read the table", "ana")
        load.load_document(con, "r2", **parts)  # a re-run reloads the document
        row = con.execute("SELECT kind, value_low, value_high, unit, value_base_low, base_unit, period_year, "
                          "review_status FROM figures WHERE figure_id = ?", [actual]).fetchone()
    assert row == ("target", 1.15, 1.15, "亿元", 115000000.0, "元", 2025, "corrected")


def test_bad_corrections_are_refused_in_one_line(warehouse: Path) -> None:
    with db.connect(warehouse) as con:
        actual = _ids(con)["actual"]
        for fix, message in ((corrections.FigureCorrection(kind="goal"), "kind must be target or actual"),
                             (corrections.FigureCorrection(unit="furlongs"), "not in the unit catalog"),
                             (corrections.FigureCorrection(metric_code="nope"), "not in the metric catalog"),
                             (corrections.FigureCorrection(), "nothing to correct")):
            with pytest.raises(WarehouseError, match=message):
                corrections.correct(con, actual, fix, "x", "ana")
        with pytest.raises(WarehouseError, match="neither loaded nor in quarantine"):
            corrections.decide(con, "nope", "rejected", "x", "ana")
        assert con.execute("SELECT count(*) FROM review_log").fetchone() == (0,)


def test_a_document_correction_applies_to_its_figures(warehouse: Path) -> None:
    with db.connect(warehouse) as con:
        [(doc,)] = con.execute("SELECT document_id FROM documents").fetchall()
        changes = corrections.set_document(con, doc, "title says 2023", "ana", region="110000", report_year=2023,
                                           doc_type="government_work_report")
        assert changes["region_code"] == "110000"
        rows = set(con.execute("SELECT region_code, region_name, report_year, doc_type FROM figures").fetchall())
        region_name = con.execute("SELECT name FROM regions WHERE code = '110000'").fetchone()[0]
    assert rows == {("110000", region_name, 2023, "government_work_report")}


def test_cli_rejects_corrects_and_sets_documents(warehouse: Path) -> None:
    with db.connect(warehouse, read_only=True) as con:
        ids = _ids(con)
        [(doc,)] = con.execute("SELECT document_id FROM documents").fetchall()
    runner = CliRunner()
    for args in (["review", "reject", ids["target"], "--note", "dup"],
                 ["review", "correct", ids["actual"], "--value", "5.3", "--note", "typo"],
                 ["review", "set-document", doc, "--year", "2022", "--note", "title"]):
        result = runner.invoke(cli, [*args, "--warehouse", str(warehouse)])
        assert result.exit_code == 0, result.output
    status = runner.invoke(cli, ["status", "--warehouse", str(warehouse)])
    assert "review decisions: 3" in status.output and "== figures by report year" in status.output
    with db.connect(warehouse, read_only=True) as con:
        assert con.execute("SELECT figure_id, value_low, report_year FROM figures").fetchall() == \
            [(ids["actual"], 5.3, 2022)]


def test_desk_pages_render_and_escape(warehouse: Path) -> None:
    client = TestClient(create_app(warehouse), base_url="http://127.0.0.1")
    listing = client.get("/figures", params={"metric": "gdp_growth", "q": "gdp_growth"})
    assert listing.status_code == 200 and '<b id="total">2</b>' in listing.text
    with db.connect(warehouse, read_only=True) as con:
        actual = _ids(con)["actual"]
    page = client.get(f"/figures/{actual}")
    assert "<mark>5.2%</mark>" in page.text
    for url in ("/documents", "/quarantine", "/status"):
        assert client.get(url).status_code == 200, url
    refused = client.post(f"/figures/{actual}/correct", data={"kind": "goal", "note": "x", "reviewer": "<b>x</b>"})
    assert refused.status_code == 409 and "kind must be target or actual" in refused.text
    other_site = client.post(f"/figures/{actual}/decide", data={"decision": "reject", "note": "x"},
                             headers={"origin": "http://example.org"})
    assert other_site.status_code == 403  # a page of another site cannot act through the reviewer's browser
    rebound = TestClient(create_app(warehouse), base_url="http://desk.example.org").get("/figures")
    assert rebound.status_code == 403  # nor can a name that resolves to 127.0.0.1 (DNS rebinding)
    with db.connect(warehouse, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM figures WHERE figure_id = ?", [actual]).fetchone() == (1,)


# --- a reviewer's session in a real browser -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"mubiao desk exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"mubiao desk did not answer at {url}")


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_server")
def test_a_reviewer_filters_rejects_and_corrects_in_the_browser(sample_inbox: Path, tmp_path: Path) -> None:
    from flows.ingest import ingest

    wh = tmp_path / "w.duckdb"
    ingest(inbox=str(sample_inbox), warehouse=str(wh))
    port = _free_port()
    desk = subprocess.Popen([sys.executable, "-m", "flows.cli", "desk", "--warehouse", str(wh), "--port", str(port)],
                            cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/status", desk)
        with chromium(allow_local_http=True) as driver, screenshot_on_failure(driver, "desk_session"):
            from selenium.webdriver.common.by import By

            driver.get(f"{base}/figures")
            find = driver.find_element
            click_and_wait(driver, find(By.CSS_SELECTOR, 'a.facet[data-facet="region"][data-value="海珠区"]'))
            click_and_wait(driver, find(By.CSS_SELECTOR, 'a.facet[data-facet="metric"][data-value="gdp_growth"]'))
            assert driver.find_element(By.ID, "total").text != "0"
            regions = {td.text for td in driver.find_elements(By.CSS_SELECTOR, "tbody tr td:nth-child(2)")}
            assert regions == {"海珠区"}
            click_and_wait(driver, find(By.CSS_SELECTOR, "a.figure"))
            figure_id = driver.current_url.rsplit("/", 1)[-1]
            assert driver.find_element(By.CSS_SELECTOR, ".sentence mark").text
            driver.find_element(By.CSS_SELECTOR, 'form[action$="/decide"] input[name="note"]').send_keys("not a goal")
            click_and_wait(driver, find(By.ID, "reject"))
            assert "rejected" in driver.find_element(By.TAG_NAME, "main").text
            click_and_wait(driver, find(By.CSS_SELECTOR, 'a[href^="/documents/"]'))
            document_id = driver.current_url.rsplit("/", 1)[-1]
            year = driver.find_element(By.CSS_SELECTOR, 'input[name="report_year"]')
            year.clear()
            year.send_keys("2019")
            driver.find_element(By.CSS_SELECTOR, 'form[action$="/correct"] input[name="note"]').send_keys("cover page")
            click_and_wait(driver, find(By.ID, "save-document"))
            assert "2019" in driver.find_element(By.TAG_NAME, "main").text
            assert console_errors(driver) == []
    finally:
        desk.terminate()
        desk.wait(timeout=30)

    ingest(inbox=str(sample_inbox), warehouse=str(wh), full_refresh=True)  # reloads every document
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM figures WHERE figure_id = ?", [figure_id]).fetchone() == (0,)
        years = con.execute("SELECT DISTINCT report_year FROM figures WHERE document_id = ?", [document_id]).fetchall()
        assert years == [(2019,)]
        assert con.execute("SELECT count(*) FROM target_attainment WHERE figure_id = ?", [figure_id]).fetchone() == (0,)
