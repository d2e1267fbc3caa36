"""Loading, incremental state, runs, review and the analyst views, on real DuckDB files built from frames."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from transforms import frames
from transforms.models import DocumentMeta, Extraction, Figure, Finding, QualitativeTarget
from transforms.documents import ProcessedDocument, document_id_for, sha256_hex
from transforms.reference import default_reference
from warehouse import db, load, queries, review, runs, state

DOC_TABLES = ("documents", "figure_rows", "qualitative_targets", "document_findings")


def fig(start: int, kind: str, metric_code: str | None, low: float, high: float | None = None, *, unit: str = "%",
        factor: float = 1.0, base_unit: str | None = None, comparator: str = "point", period: int | None = 2024) -> Figure:
    """A figure whose sentence and offsets are derived from its position."""
    high = low if high is None else high
    sentence = f"第{start}句：{metric_code}为{low}{unit}"
    return Figure(start=start, end=start + 5, sentence=sentence, sentence_start=start, value_text=f"{low}{unit}",
                  metric_name=metric_code, metric_code=metric_code, kind=kind, value_low=low,  # type: ignore[arg-type]
                  value_high=high, unit=unit, comparator=comparator, period_year=period,  # type: ignore[arg-type]
                  value_base_low=low * factor, value_base_high=high * factor, base_unit=base_unit or unit)


def make_doc(source_file: str, figures: list[Figure], *, part: str = "", text: str = "正文", year: int = 2024,
             region: tuple[str, str] = ("440100", "广州市")) -> ProcessedDocument:
    """A processed document as the pipeline would hand it over."""
    meta = DocumentMeta(title=f"{region[1]}{year}年政府工作报告", doc_type="work_report", region_code=region[0],
                        region_name=region[1], region_level="city", report_year=year)
    qualitative = [QualitativeTarget(0, 2, "居民收入增长与经济增长同步", 0, "居民收入", "target", year)]
    return ProcessedDocument(
        document_id=document_id_for(sha256_hex(text), part, source_file), source_file=source_file, part=part,
        content_hash=sha256_hex(text), fmt="txt", encoding="utf-8", text=text, raw_text=text, raw_meta={},
        meta=meta, extraction=Extraction(figures, qualitative), extractor_version="v1",
        findings=[Finding("spam_removed", "info", "removed 1 line")])


def doc_frames(doc: ProcessedDocument) -> dict[str, pd.DataFrame]:
    """The frames load_document takes, with nothing quarantined."""
    figures = frames.figures_frame([doc], default_reference())
    return {"document": frames.documents_frame([doc]), "figures": figures,
            "qualitative": frames.qualitative_frame([doc]), "findings": frames.findings_frame([doc]),
            "quarantine": figures.iloc[0:0].assign(level=[], reason=[], failed_check=[], check_params=[])}


def hold(parts: dict[str, pd.DataFrame], figure_index: int, check: str = "expect_plausible") -> dict[str, pd.DataFrame]:
    """The same frames with one figure moved to quarantine, as the flow does for a critical failure."""
    figures = parts["figures"]
    held = figures.iloc[[figure_index]].assign(level="figure", reason=f"failed {check}", failed_check=check,
                                               check_params=[{"max_value": 30}])
    return {**parts, "figures": figures.drop(figures.index[figure_index]), "quarantine": held}


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with db.connect(tmp_path / "w.duckdb") as connection:
        yield connection


def _snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {t: con.execute(f"SELECT * EXCLUDE (run_id, loaded_at) FROM {t} ORDER BY ALL").fetchall()
            for t in DOC_TABLES}


def _figure_ids(con: duckdb.DuckDBPyConnection, source_file: str | None = None) -> list[str]:
    return [r[0] for r in con.execute("SELECT figure_id FROM figures WHERE ? IS NULL OR source_file = ? ORDER BY 1",
                                      [source_file, source_file]).fetchall()]


def test_reloading_the_same_frames_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    parts = doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 5), fig(10, "actual", "gdp_growth", 5.2)]))
    loaded = load.load_document(con, "r1", **parts)
    assert loaded == load.Loaded(figures=2, released=0, quarantined=0)
    before = _snapshot(con)
    assert len(before["figure_rows"]) == 2 and len(before["documents"]) == 1

    load.load_document(con, "r2", **parts)
    assert _snapshot(con) == before
    assert con.execute("SELECT DISTINCT run_id FROM figure_rows").fetchall() == [("r2",)]


def test_loading_a_document_replaces_only_its_rows(con: duckdb.DuckDBPyConnection) -> None:
    load.load_document(con, "r1", **doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 5),
                                                                   fig(10, "target", "cpi_growth", 3)])))
    load.load_document(con, "r1", **doc_frames(make_doc("b.txt", [fig(0, "target", "gdp_growth", 6)])))
    other = _figure_ids(con, "b.txt")

    changed = make_doc("a.txt", [fig(20, "target", "gdp_growth", 5.5)], text="正文（修订）")
    load.load_document(con, "r2", **doc_frames(changed))
    rows = con.execute("SELECT value_low, run_id FROM figures WHERE source_file = 'a.txt'").fetchall()
    assert rows == [(5.5, "r2")]
    assert _figure_ids(con, "b.txt") == other
    assert con.execute("SELECT count(*) FROM qualitative_targets").fetchone() == (2,)


def test_a_failed_load_keeps_the_previous_version(con: duckdb.DuckDBPyConnection) -> None:
    parts = doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 5)]))
    load.load_document(con, "r1", **parts)
    before = _snapshot(con)

    bad = doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 7), fig(9, "target", "cpi_growth", 3)]))
    bad["figures"] = pd.concat([bad["figures"], bad["figures"].iloc[[0]]], ignore_index=True)  # duplicate key
    with pytest.raises(db.WarehouseError, match="a.txt.*previous version is kept.*duplicate key") as raised:
        load.load_document(con, "r2", **bad)
    assert "\n" not in str(raised.value)
    assert _snapshot(con) == before
    assert con.execute("SELECT run_id FROM documents").fetchall() == [("r1",)]


def test_frames_of_another_document_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    parts = doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 5)]))
    parts["figures"] = doc_frames(make_doc("b.txt", [fig(0, "target", "gdp_growth", 5)]))["figures"]
    with pytest.raises(db.WarehouseError, match="figures frame has rows of documents not being loaded"):
        load.load_document(con, "r1", **parts)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def test_a_bundle_that_lost_a_row_loses_its_document(con: duckdb.DuckDBPyConnection) -> None:
    first, second = (make_doc("bundle.csv", [fig(0, "target", "gdp_growth", 5)], part=p, text=p) for p in ("1", "2"))
    for d in (first, second):
        load.load_document(con, "r1", **doc_frames(d))
    load.load_document(con, "r1", **doc_frames(make_doc("c.txt", [fig(0, "target", "gdp_growth", 5)])))

    assert load.remove_file_documents(con, ["bundle.csv"], [first.document_id]) == 1
    docs = con.execute("SELECT document_id FROM documents ORDER BY source_file").fetchall()
    assert docs == [(first.document_id,), (document_id_for(sha256_hex("正文"), "", "c.txt"),)]
    assert con.execute("SELECT count(*) FROM figure_rows WHERE document_id = ?", [second.document_id]).fetchone() == (0,)


def test_file_state_drives_the_incremental_plan(con: duckdb.DuckDBPyConnection) -> None:
    load.record_file(con, "r1", "a.txt", "h1", 10, "loaded", None, 1)
    load.record_file_quarantine(con, "r1", "bad.txt", "h2", "bad.txt: file is empty", 0)
    assert state.file_hashes(con) == {"a.txt": "h1", "bad.txt": "h2"}
    held = con.execute("SELECT level, reason, status FROM quarantine WHERE source_file = 'bad.txt'").fetchall()
    assert held == [("file", "bad.txt: file is empty", "open")]

    load.record_file(con, "r2", "a.txt", "h1", 10, "skipped", "unchanged since last load", None)
    load.record_file(con, "r2", "bad.txt", "h3", 20, "loaded", None, 1)
    assert state.file_hashes(con) == {"a.txt": "h1", "bad.txt": "h3"}
    assert con.execute("SELECT outcome, document_count, last_run_id FROM source_files WHERE source_file = 'a.txt'"
                       ).fetchall() == [("loaded", 1, "r2")]
    assert con.execute("SELECT count(*) FROM quarantine WHERE status = 'open'").fetchone() == (0,)
    outcomes = con.execute("SELECT run_id, source_file, outcome FROM run_files ORDER BY ALL").fetchall()
    assert outcomes == [("r1", "a.txt", "loaded"), ("r1", "bad.txt", "quarantined"),
                        ("r2", "a.txt", "skipped"), ("r2", "bad.txt", "loaded")]
    with pytest.raises(db.WarehouseError, match="outcome must be one of"):
        load.record_file(con, "r2", "a.txt", "h1", 10, "lost", None, 1)


def test_stale_documents_are_those_of_another_extractor(con: duckdb.DuckDBPyConnection) -> None:
    load.load_document(con, "r1", **doc_frames(make_doc("a.txt", [], text="原文")))
    assert state.stale_documents(con, "v1").empty
    stale = state.stale_documents(con, "v2")
    assert stale[["source_file", "content_hash"]].values.tolist() == [["a.txt", sha256_hex("原文")]]
    raw = state.raw_documents(con, list(stale["document_id"]))
    assert raw[["source_file", "fmt", "raw_text"]].values.tolist() == [["a.txt", "txt", "原文"]]


def test_warehouse_checks_read_a_runs_figures_and_only_their_peers(con: duckdb.DuckDBPyConnection) -> None:
    earlier = [make_doc("a.txt", [fig(0, "target", "gdp_growth", 5)], text="甲"),
               make_doc("b.txt", [fig(0, "target", "cpi_growth", 3)], text="乙"),
               make_doc("c.txt", [fig(0, "actual", "gdp_growth", 4.8)], text="丙", region=("440105", "海珠区")),
               make_doc("copy_of_e.txt", [fig(0, "target", None, 7, period=None)], text="戊")]
    for doc in earlier:
        load.load_document(con, "r1", **doc_frames(doc))
    for doc in (make_doc("d.txt", [fig(0, "actual", "gdp_growth", 5.2)], text="丁"),
                make_doc("e.txt", [fig(0, "target", None, 7, period=None)], text="戊")):
        load.load_document(con, "r2", **doc_frames(doc))

    frame = state.cross_check_frame(con, "r2")
    # a.txt: same region, metric and year as d.txt; copy_of_e.txt: the same figure as e.txt
    assert sorted(frame["source_file"]) == ["a.txt", "copy_of_e.txt", "d.txt", "e.txt"]
    assert list(frame.columns) == [*state.CROSS_CHECK_COLUMNS, *state.VIEW_CHECK_COLUMNS]
    assert len(state.cross_check_frame(con, "r1")) == 6  # r1's own four, and their peers d.txt and e.txt


def test_accept_releases_a_figure_and_the_decision_survives_reloads(con: duckdb.DuckDBPyConnection) -> None:
    parts = hold(doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 500), fig(9, "target", "cpi_growth", 3)])), 0)
    held_id = parts["quarantine"]["figure_id"].iloc[0]
    assert load.load_document(con, "r1", **parts) == load.Loaded(figures=1, released=0, quarantined=1)
    assert held_id not in _figure_ids(con)
    runs.start_run(con, "r1", "inbox", {})
    load.record_file(con, "r1", "a.txt", "hash", 10, "loaded", None, 1)  # open items are those of current files
    items = review.review_items(con)
    assert items["quarantine"][["figure_id", "failed_check", "status"]].values.tolist() == \
        [[held_id, "expect_plausible", "open"]]

    assert review.accept(con, held_id, "typo in source, keep", "ana") == 1
    assert con.execute("SELECT released, value_base_low FROM figures WHERE figure_id = ?", [held_id]).fetchall() == \
        [(True, 500.0)]
    assert review.decisions(con) == {held_id: "accepted"}
    assert con.execute("SELECT status FROM quarantine WHERE figure_id = ?", [held_id]).fetchall() == [("accepted",)]

    assert load.load_document(con, "r2", **parts) == load.Loaded(figures=2, released=1, quarantined=0)
    assert con.execute("SELECT released FROM figures WHERE figure_id = ?", [held_id]).fetchall() == [(True,)]

    assert review.reject(con, held_id, "no, a typo", "ana") == 1
    assert held_id not in _figure_ids(con)
    assert load.load_document(con, "r3", **parts).released == 0
    assert held_id not in _figure_ids(con)


def test_deciding_on_an_unknown_figure_is_a_clear_error(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(db.WarehouseError, match="figure nope is not in quarantine"):
        review.accept(con, "nope", "", "ana")
    assert review.decisions(con) == {}


def test_runs_are_recorded_with_counts_and_dq_results(con: duckdb.DuckDBPyConnection) -> None:
    runs.start_run(con, "r1", "seeds/reports", {"full_refresh": False})
    results = pd.DataFrame({"suite": ["figures", "figures"], "table_name": "figures", "severity": "critical",
                            "expectation_type": ["expect_a", "expect_b"], "kwargs": [{"column": "x"}, {}],
                            "success": [True, False], "element_count": 10, "unexpected_count": [0, 2],
                            "unexpected_ids": [[], ["f1", "f2"]]})
    runs.record_dq_results(con, "r1", results)
    runs.record_dq_results(con, "r1", results)
    runs.finish_run(con, "r1", "succeeded", {"files_seen": 3, "figures_loaded": 12}, "r1.html")
    runs.start_run(con, "r2", "seeds/reports", {})

    assert runs.recent_runs(con, 5)["run_id"].tolist() == ["r1", "r2"]
    assert runs.recent_runs(con, 1)["run_id"].tolist() == ["r2"]
    assert con.execute("SELECT status, files_seen, figures_loaded FROM runs WHERE run_id = 'r1'").fetchone() == \
        ("succeeded", 3, 12)
    dq = runs.run_dq_results(con, "r1")
    assert dq["expectation_type"].tolist() == ["expect_b", "expect_a"]
    failed = review.review_items(con, "r1")["failed_checks"]
    assert [json.loads(ids) for ids in failed["unexpected_ids"]] == [["f1", "f2"]]
    with pytest.raises(db.WarehouseError, match="unknown count"):
        runs.finish_run(con, "r2", "succeeded", {"figures": 1}, None)


def test_abandoned_runs_are_closed_as_failed_and_finished_runs_are_left_alone(
        con: duckdb.DuckDBPyConnection) -> None:
    runs.start_run(con, "r1", "inbox", {})
    runs.finish_run(con, "r1", "succeeded", {}, None)
    runs.start_run(con, "r2", "inbox", {})
    runs.finish_run(con, "r2", "failed", {}, None, error="load failed")
    runs.start_run(con, "r3", "inbox", {})  # killed: never finished

    assert runs.fail_abandoned(con) == 1
    assert runs.fail_abandoned(con) == 0
    rows = con.execute("SELECT run_id, status, finished_at IS NOT NULL, error FROM runs ORDER BY run_id").fetchall()
    assert rows == [("r1", "succeeded", True, None), ("r2", "failed", True, "load failed"),
                    ("r3", "failed", True, runs.ABANDONED)]


def test_run_sql_returns_columns_and_rows_and_one_line_errors(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with db.connect(path):
        pass
    with db.connect(path, read_only=True) as con:
        assert queries.run_sql(con, "SELECT 1 AS one, 'x' AS two") == (["one", "two"], [(1, "x")])
        with pytest.raises(db.WarehouseError, match="query failed") as raised:
            queries.run_sql(con, "SELECT * FROM nowhere")
        assert "\n" not in str(raised.value)
        with pytest.raises(db.WarehouseError, match="read-only"):
            queries.run_sql(con, "DELETE FROM runs")


def test_target_attainment_statuses(con: duckdb.DuckDBPyConnection) -> None:
    targets = make_doc("2024.txt", [
        fig(0, "target", "gdp_growth", 5, comparator="approx"),
        fig(10, "target", "urban_unemployment_rate", 5.5, comparator="at_most"),
        fig(20, "target", "energy_intensity_change", -3),
        fig(30, "target", "retail_sales_growth", 4.5, 5, comparator="range"),
        fig(40, "target", "new_urban_jobs", 1.8, unit="万人", factor=10000, base_unit="人", comparator="at_least"),
        fig(50, "target", "grain_output", 100, unit="万吨", factor=10000, base_unit="吨"),
        fig(60, "target", "cpi_growth", 3, comparator="approx"),
        fig(70, "target", "pm25", 30, unit="微克/立方米", comparator="at_most", period=2025),
    ], text="2024", year=2024)
    actuals = make_doc("2025.txt", [
        fig(0, "actual", "gdp_growth", 5.2),
        fig(10, "actual", "urban_unemployment_rate", 5.8),
        fig(20, "actual", "energy_intensity_change", -3.5),
        fig(30, "actual", "retail_sales_growth", 4.4),
        fig(40, "actual", "new_urban_jobs", 18000, unit="人"),
        fig(60, "actual", "cpi_growth", 0.2, unit="个百分点"),
        fig(70, "actual", "pm25", 25, unit="微克/立方米"),
        fig(80, "target", "gdp_growth", 5, comparator="approx", period=2025),
    ], text="2025", year=2025)
    for d in (targets, actuals):
        load.load_document(con, "r1", **doc_frames(d))
    status = dict(con.execute("SELECT metric_code || ':' || period_year, status FROM target_attainment").fetchall())
    assert status == {
        "gdp_growth:2024": "met", "urban_unemployment_rate:2024": "missed", "energy_intensity_change:2024": "met",
        "retail_sales_growth:2024": "missed", "new_urban_jobs:2024": "met", "grain_output:2024": "unknown",
        "cpi_growth:2024": "unknown", "pm25:2025": "pending", "gdp_growth:2025": "pending",  # no report after 2025
    }
    reason = con.execute("SELECT status_reason FROM target_attainment WHERE metric_code = 'cpi_growth'").fetchone()
    assert reason == ("actual is in 个百分点, target in %",)


def test_a_batch_of_documents_loads_atomically_even_when_early_rows_have_no_warnings(
        con: duckdb.DuckDBPyConnection) -> None:
    docs = [make_doc(f"d{i}.txt", [fig(j, "target", "gdp_growth", 5) for j in range(600)], text=f"正文{i}")
            for i in range(3)]
    figures = frames.figures_frame(docs, default_reference())
    figures["released"] = False
    # a long run of empty warning lists, then one warning: a sampled type guess would reject the late value
    figures["warnings"] = [[] for _ in range(len(figures) - 1)] + [["expect_period_in_window"]]
    loaded = load.load_documents(con, "r1", frames.documents_frame(docs), figures, frames.qualitative_frame(docs),
                                 frames.findings_frame(docs), figures.iloc[0:0])
    assert loaded.figures == 1800
    assert con.execute("SELECT count(*) FROM figure_rows WHERE len(warnings) > 0").fetchone() == (1,)

    broken = frames.documents_frame(docs[:2])
    twice = pd.concat([figures[figures["document_id"] == docs[0].document_id]] * 2)  # duplicate primary keys
    with pytest.raises(db.WarehouseError, match="2 documents .* not loaded"):
        load.load_documents(con, "r2", broken, twice, frames.qualitative_frame(docs[:2]),
                            frames.findings_frame(docs[:2]), figures.iloc[0:0])
    assert con.execute("SELECT count(*), count(DISTINCT run_id) FROM figure_rows").fetchone() == (1800, 1)
