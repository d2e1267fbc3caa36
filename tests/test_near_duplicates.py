"""Near-duplicate reports: the pure MinHash detector, and the warehouse keeping one copy's figures in the views."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from test_warehouse_content import doc_frames, fig, make_doc
from transforms.frames import cjk_ratio
from transforms.near_duplicates import Candidate, near_duplicates, signature, similarity
from warehouse import db, duplicates, lifecycle, load, runs

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
REPORT = ("政府工作报告。过去一年，全市地区生产总值增长6.5%，城镇新增就业2.1万人，一般公共预算收入增长8%。"
          "今年主要预期目标是：地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内，居民收入增长与经济增长同步。"
          "我们要坚持稳中求进，推进产业升级，建设现代化基础设施，改善民生，加强生态环境保护。") * 4


def _scrape_of(text: str) -> str:
    """The same text as a web page gives it: navigation, full-width digits, other spacing and punctuation."""
    wide = text.replace("6.5", "６.５").replace("2.1", "２.１").replace("，", ", ").replace("。", ".\n")
    return "首页 > 政务公开 > 政府工作报告\n分享到: 微信 微博\n" + wide + "\n【打印本页】【关闭窗口】 版权所有"


def test_a_scrape_of_a_report_is_similar_and_another_report_is_not() -> None:
    other = ("区人民政府工作报告。一年来，全区粮食总产量达到12万吨，新建农村公路85公里，改造老旧小区16个。"
             "明年全区将新增城镇就业岗位3000个，完成造林绿化面积2万亩，实施民生实事项目十项。"
             "政府工作报告。今年主要预期目标是：地区生产总值增长6%左右。")  # shares a few phrases only
    original, scrape, different = signature(REPORT), signature(_scrape_of(REPORT)), signature(other)
    assert similarity(original, scrape) >= 0.8
    assert similarity(original, different) < 0.5
    assert similarity(original, original) == 1.0


def test_the_corpus_copy_and_its_scrape_are_found_and_nothing_else() -> None:
    names = ["national-2010", "noisy-national-2010", "national-2011", "national-2012", "district-hailar-2014",
             "district-hailar-2015"]
    texts = {n: (CORPUS / f"{n}.txt").read_text(encoding="utf-8") for n in names}
    docs = [Candidate(n, signature(t), cjk_ratio=cjk_ratio(t)) for n, t in texts.items()]
    found = near_duplicates(docs)  # the scrape keeps more markup: a lower share of Chinese text
    assert [(d.document_id, d.duplicate_of) for d in found] == [("noisy-national-2010", "national-2010")]
    assert found[0].similarity >= 0.7


def test_the_clean_copy_stays_whichever_came_first() -> None:
    sig = signature(REPORT)
    scrape_first = [Candidate("a-scrape", sig, findings=2, first_loaded="2026-01-01"),
                    Candidate("b-clean", sig, findings=0, first_loaded="2026-06-01")]
    assert [(d.document_id, d.duplicate_of) for d in near_duplicates(scrape_first)] == [("a-scrape", "b-clean")]
    tie = [Candidate("x", sig, first_loaded="2026-06-01"), Candidate("y", sig, first_loaded="2026-01-01")]
    assert [(d.document_id, d.duplicate_of) for d in near_duplicates(tie)] == [("x", "y")]
    three = [Candidate("p", sig), Candidate("q", sig), Candidate("r", signature(_scrape_of(REPORT)))]
    assert {(d.document_id, d.duplicate_of) for d in near_duplicates(three)} == {("q", "p"), ("r", "p")}


def test_signing_is_fast() -> None:
    text = (CORPUS / "noisy-national-2010.txt").read_text(encoding="utf-8")  # 150k characters
    started = time.process_time()
    for _ in range(5):
        signature(text)
    assert (time.process_time() - started) / 5 < 0.5  # generous: ~15 ms on an idle core


def test_only_one_copy_of_a_report_is_in_the_views(tmp_path: Path) -> None:
    figures = [fig(0, "target", "gdp_growth", 6), fig(9, "actual", "gdp_growth", 6.5)]
    clean = make_doc("report.txt", figures, text=REPORT)
    scrape = make_doc("scrape.html", figures, text=_scrape_of(REPORT))
    scrape.findings.append(scrape.findings[0])  # the scrape had more page furniture removed
    unrelated = make_doc("other.txt", [fig(0, "target", "gdp_growth", 5)], text="另一份报告。" * 200)
    with db.connect(tmp_path / "w.duckdb") as con:
        runs.start_run(con, "r1", "inbox", {})
        for doc in (scrape, clean, unrelated):
            load.load_document(con, "r1", **doc_frames(doc))
        assert con.execute("SELECT count(*) FROM figures").fetchone()[0] == 5
        marked = duplicates.mark_near_duplicates(con)
        assert marked[["source_file", "duplicate_of_file"]].values.tolist() == [["scrape.html", "report.txt"]]
        assert marked["similarity"].iloc[0] >= 0.8
        assert sorted(r[0] for r in con.execute("SELECT DISTINCT source_file FROM figures").fetchall()) == \
            ["other.txt", "report.txt"]
        assert con.execute("SELECT count(*) FROM target_attainment WHERE source_file = 'report.txt'").fetchone() == (1,)
        assert duplicates.mark_near_duplicates(con) is None  # nothing left to compare: a re-run changes nothing
        assert duplicates.duplicates(con).equals(marked)

        load.load_document(con, "r2", **doc_frames(make_doc("scrape.html", figures, text="完全不同的内容。" * 100)))
        assert duplicates.mark_near_duplicates(con).empty  # the file changed: no longer a copy
        assert con.execute("SELECT count(DISTINCT source_file) FROM figures").fetchone() == (3,)


def _copies_loaded_by_a_killed_run(inbox: Path, warehouse: Path, *, marked: bool) -> None:
    """A clean report and its scrape in the inbox, loaded and recorded by a run killed before it finished (before
    comparing them, unless `marked`): the next run finds both files unchanged."""
    from flows.inbox import discover
    from transforms.documents import extractor_version

    figures = [fig(0, "target", "gdp_growth", 6)]
    clean, scrape = make_doc("report.txt", figures, text=REPORT), make_doc("scrape.html", figures, text=_scrape_of(REPORT))
    scrape.findings.append(scrape.findings[0])
    inbox.mkdir()
    with db.connect(warehouse) as con:
        runs.start_run(con, "killed", str(inbox), {})
        for doc in (clean, scrape):
            (inbox / doc.source_file).write_text(doc.text, encoding="utf-8")
            load.load_document(con, "killed", **doc_frames(replace(doc, extractor_version=extractor_version())))
        load.record_files(con, "killed", pd.DataFrame([(f.name, f.file_hash, f.size, "loaded", None, 1)
                                                       for f in discover(inbox)], columns=list(load.FILE_OUTCOME_COLUMNS)))
        if marked:
            duplicates.mark_near_duplicates(con)


def _kept_copies(warehouse: Path) -> list[tuple[str, bool, bool]]:
    with db.connect(warehouse, read_only=True) as con:
        return con.execute("SELECT source_file, retired_run_id IS NULL, duplicate_of IS NULL FROM documents "
                           "ORDER BY 1").fetchall()


def test_a_run_with_nothing_to_load_marks_copies_a_killed_run_loaded_but_never_compared(tmp_path: Path) -> None:
    from flows.runner import run_ingestion

    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    _copies_loaded_by_a_killed_run(inbox, warehouse, marked=False)
    assert _kept_copies(warehouse) == [("report.txt", True, True), ("scrape.html", True, True)]

    outcome = run_ingestion(inbox, warehouse)  # every file unchanged: a run with nothing to do
    assert (outcome.counts["files_skipped"], outcome.counts["documents_loaded"]) == (2, 0)
    assert _kept_copies(warehouse) == [("report.txt", True, True), ("scrape.html", True, False)]


def test_a_run_with_nothing_to_load_keeps_the_copy_whose_kept_copy_a_killed_run_retired(tmp_path: Path) -> None:
    from flows.runner import run_ingestion

    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    _copies_loaded_by_a_killed_run(inbox, warehouse, marked=True)
    (inbox / "report.txt").unlink()
    with db.connect(warehouse) as con:  # a run killed after retiring the file that left, before comparing again
        runs.start_run(con, "killed-2", str(inbox), {})
        lifecycle.retire_files(con, "killed-2", ["report.txt"])
    assert _kept_copies(warehouse) == [("report.txt", False, True), ("scrape.html", True, False)]

    outcome = run_ingestion(inbox, warehouse)
    assert (outcome.counts["files_skipped"], outcome.counts["files_retired"]) == (1, 0)
    assert _kept_copies(warehouse) == [("report.txt", False, True), ("scrape.html", True, True)]
