"""The review desk: decisions and corrections kept as history and applied by the views (on frames), the desk's
pages (in process), and a reviewer's session in headless Chromium against `mubiao desk` and a real flow run."""
from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from browser_support import chromium, click_and_wait, console_errors, screenshot_on_failure
from desk.app import create_app
from flows.cli import app as cli
from test_warehouse_content import doc_frames, fig, hold, make_doc
from flows.runlock import run_lock
from warehouse import corrections, db, load, review_queue, runs
from warehouse.errors import WarehouseError
from warehouse.publish import publish, published_path

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


def test_the_attainment_page_charts_a_region_and_metric(warehouse: Path) -> None:
    client = TestClient(create_app(warehouse), base_url="http://127.0.0.1")
    listing = client.get("/attainment")
    assert listing.status_code == 200 and 'href="/attainment"' in listing.text  # in the nav
    assert 'class="pair" href="/attainment?region=%E5%B9%BF%E5%B7%9E%E5%B8%82&amp;metric=gdp_growth"' in listing.text
    chart = client.get("/attainment", params={"region": "广州市", "metric": "gdp_growth"})
    assert '<svg role="img" class="attainment-chart" data-region="广州市" data-metric="gdp_growth"' in chart.text
    assert 'class="band"' in chart.text and 'class="mark pair status-met"' in chart.text
    assert '<td class="status-met">met</td><td>5.2%</td>' in chart.text  # the table of rows under the chart
    assert "cpi_growth" not in chart.text.split("<h2>", 1)[1]  # only the chosen metric


# --- the desk served by `mubiao desk` (a real server, real locks) ------------------------------------------------


@contextmanager
def _desk(warehouse: Path, **env: str) -> Iterator[str]:
    """`mubiao desk` on a free port; yields its base URL."""
    port = _free_port()
    desk = subprocess.Popen([sys.executable, "-m", "flows.cli", "desk", "--warehouse", str(warehouse),
                             "--port", str(port)], cwd=PROJECT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/status", desk)
        yield base
    finally:
        desk.terminate()
        desk.wait(timeout=30)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode("utf-8")


def _until(condition: Callable[[], bool], what: str, timeout_s: float = 180) -> None:
    """Wait for a condition that does not depend on timing, only on the machine getting to it."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def _waiting_on(path: Path) -> bool:
    """Some process is blocked waiting for the OS lock of path (a `->` line of /proc/locks)."""
    inode = f":{os.stat(path).st_ino} "
    return any("->" in line and inode in line for line in Path("/proc/locks").read_text().splitlines())


def test_an_action_queued_while_a_run_holds_the_warehouse_is_applied_when_it_ends(warehouse: Path) -> None:
    publish(warehouse, 10)  # the analysts' copy the desk reads
    with db.connect(warehouse, read_only=True) as con:
        target = _ids(con)["target"]
    copy = published_path(warehouse)
    with _desk(warehouse) as base:
        run = run_lock(warehouse, 10)
        run.__enter__()  # as a run: the run lock and an open writer connection on the warehouse
        writer = duckdb.connect(str(warehouse))
        queue = review_queue.queue_path(warehouse)
        queue.touch()
        with queue.open("a") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # the action will wait for this lock while it queues
            answer: dict[str, str] = {}
            form = urllib.parse.urlencode({"decision": "rejected", "note": "not a goal", "reviewer": "ana"}).encode()
            post = threading.Thread(target=lambda: answer.update(
                page=urllib.request.urlopen(f"{base}/figures/{target}/decide", form, timeout=600).read().decode()))
            post.start()
            _until(lambda: _waiting_on(queue), "the action to wait for the queue's lock")
            assert '<b id="total">' in _get(f"{base}/figures")  # a page answers while the action waits
            assert post.is_alive()
        post.join(120)
        assert "queued; applied when the current run ends" in answer["page"]
        assert [a.target_id for a in review_queue.queued(warehouse)] == [target]  # on disk, not in memory
        assert "queued; applied when the current run ends" in _get(f"{base}/status")
        with duckdb.connect(str(copy), read_only=True) as con:  # not applied yet
            assert con.execute("SELECT count(*) FROM figures WHERE figure_id = ?", [target]).fetchone() == (1,)
        writer.close()
        run.__exit__(None, None, None)  # the run ends: the desk applies the queue and refreshes the copy
        _until(lambda: not review_queue.queued(warehouse), "the desk to apply the queue")
        _until(lambda: "rejected: not in the views" in _get(f"{base}/figures/{target}"), "the copy to show it")
        assert "queued;" not in _get(f"{base}/figures/{target}")
    with duckdb.connect(str(copy), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM figures WHERE figure_id = ?", [target]).fetchone() == (0,)
        assert con.execute("SELECT reviewer, action, note FROM review_log WHERE target_id = ?",
                           [target]).fetchall() == [("ana", "reject", "not a goal")]


def test_the_cli_queues_an_action_while_a_run_holds_the_warehouse_and_the_next_refresh_applies_it(
        warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MUBIAO_LOCK_TIMEOUT", "0")
    publish(warehouse, 10)
    with db.connect(warehouse, read_only=True) as con:
        actual = _ids(con)["actual"]
    with run_lock(warehouse, 10):
        result = CliRunner().invoke(cli, ["review", "correct", actual, "--value", "5.3", "--note", "typo",
                                          "--warehouse", str(warehouse)])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("queued; applied when the current run ends")
        publish(warehouse, 10)  # the run's own refresh of the copy at its end applies the queue
    with duckdb.connect(str(published_path(warehouse)), read_only=True) as con:
        assert con.execute("SELECT value_low FROM figures WHERE figure_id = ?", [actual]).fetchone() == (5.3,)
    assert review_queue.queued(warehouse) == []


def test_a_queued_action_that_no_longer_applies_is_kept_with_its_reason(warehouse: Path) -> None:
    gone = review_queue.ReviewAction("decide", "no-such-figure", "x", "ana", {"decision": "rejected"})
    review_queue.enqueue(warehouse, gone)
    with review_queue.queue_path(warehouse).open("a") as f:
        f.write('{"kind": "decide", "target_id"')  # a line cut short by a killed desk
    with db.connect(warehouse) as con:
        assert review_queue.apply_queued(con, warehouse) == (0, 1)
    assert review_queue.queued(warehouse) == []
    [failed] = review_queue.failed(warehouse)
    assert failed["target_id"] == "no-such-figure" and "neither loaded nor in quarantine" in failed["error"]
    page = TestClient(create_app(warehouse), base_url="http://127.0.0.1").get("/status")
    assert "Queued actions not applied" in page.text and "no-such-figure" in page.text


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
    run = ExitStack()
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
            click_and_wait(driver, find(By.CSS_SELECTOR, 'header a[href="/attainment"]'))
            click_and_wait(driver, find(By.CSS_SELECTOR, "a.pair"))
            chart = find(By.CSS_SELECTOR, "svg.attainment-chart")
            assert chart.size["width"] > 0 and chart.find_elements(By.CSS_SELECTOR, "rect.band")
            assert find(By.CSS_SELECTOR, "main table tbody tr")
            assert console_errors(driver) == []
            run.enter_context(run_lock(wh, 10))  # a run holds the warehouse: the next action is queued
            driver.get(f"{base}/figures?region=海珠区")
            click_and_wait(driver, find(By.CSS_SELECTOR, "a.figure"))
            queued_id = driver.current_url.rsplit("/", 1)[-1]
            driver.find_element(By.CSS_SELECTOR, 'form[action$="/decide"] input[name="note"]').send_keys("dup")
            click_and_wait(driver, find(By.ID, "reject"))
            assert "queued; applied when the current run ends" in find(By.ID, "queued").text
            assert console_errors(driver) == []
    finally:
        desk.terminate()  # the desk is closed before the run ends: the next run applies the queued action
        desk.wait(timeout=30)
        run.close()

    ingest(inbox=str(sample_inbox), warehouse=str(wh), full_refresh=True)  # reloads every document
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM figures WHERE figure_id = ?", [figure_id]).fetchone() == (0,)
        years = con.execute("SELECT DISTINCT report_year FROM figures WHERE document_id = ?", [document_id]).fetchall()
        assert years == [(2019,)]
        assert con.execute("SELECT count(*) FROM target_attainment WHERE figure_id = ?", [figure_id]).fetchone() == (0,)
        assert queued_id != figure_id
        assert con.execute("SELECT count(*) FROM figures WHERE figure_id = ?", [queued_id]).fetchone() == (0,)
        assert con.execute("SELECT reviewer <> '', action FROM review_log WHERE target_id = ?",
                           [queued_id]).fetchall() == [(True, "reject")]
