"""GX suites on real DataFrames: loading, severities, failing checks named with their parameters."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from expectations.suites import REFERENCE_SET_TYPE, SUITES_DIR, SuiteError, committed_suites
from expectations.outcome import combine_results
from expectations.validate import ValidationRunError, Validator
from transforms.frames import DOCUMENT_COLUMNS, FIGURE_COLUMNS
from transforms.reference import Metric, Reference, Region, Unit, default_reference

REF = Reference(
    metrics=(
        Metric("gdp_growth", "地区生产总值增长", "GDP growth", "growth", "%", ("地区生产总值",), -10.0, 30.0),
        Metric("urban_unemployment_rate", "城镇调查失业率", "Urban unemployment", "rate", "%", ("城镇调查失业率",), 0.0, 30.0),
        Metric("new_urban_jobs", "城镇新增就业", "New urban jobs", "level", "万人", ("城镇新增就业",), 0.0, 2000.0),
    ),
    units={"%": Unit("%", "%", 1.0, "percent"), "万人": Unit("万人", "人", 10000.0, "people"),
           "亿元": Unit("亿元", "元", 1e8, "currency")},
    regions=(Region("440105", "海珠区", "district", "440100", ("海珠",)),),
)
INT_COLUMNS = ("report_year", "period_year", "char_count", "figure_count", "start_offset", "end_offset",
               "sentence_offset", "mention_count")


def _typed(rows: list[dict], columns) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(columns))
    for col in INT_COLUMNS:
        if col in df.columns:
            df[col] = df[col].astype("Int64")
    return df


def figure(figure_id: str, sentence: str, value_text: str, metric: str | None, value: float, unit: str = "%",
           **overrides) -> dict:
    """A figure row as transforms.frames builds it, plausible range from the test reference."""
    m = next((x for x in REF.metrics if x.code == metric), None)
    factor = REF.units[unit].factor if unit in REF.units else None
    scale = REF.units[m.unit].factor if m else 1.0
    row = {
        "figure_id": figure_id, "document_id": "doc1", "source_file": "report.txt", "region_code": "440105",
        "region_name": "海珠区", "report_year": 2023, "kind": "target", "metric_code": metric,
        "metric_name": m.name_zh if m else None, "value_low": value, "value_high": value, "unit": unit,
        "value_base_low": value * factor if factor else None, "value_base_high": value * factor if factor else None,
        "base_unit": REF.units[unit].base_unit if unit in REF.units else None, "comparator": "approx",
        "period_year": 2023, "sentence": sentence, "value_text": value_text,
        "start_offset": 0, "end_offset": len(value_text), "sentence_offset": 0, "mention_count": 1,
        "plausible_base_min": m.plausible_min * scale if m else None,
        "plausible_base_max": m.plausible_max * scale if m else None,
    }
    row.update(overrides)
    return row


NORMAL_FIGURES = [
    figure("f_gdp", "地区生产总值增长5%左右", "5%", "gdp_growth", 5.0),
    figure("f_unemp", "城镇调查失业率控制在5.5%以内", "5.5%", "urban_unemployment_rate", 5.5, comparator="at_most"),
    figure("f_jobs", "城镇新增就业1.8万人", "1.8万人", "new_urban_jobs", 1.8, unit="万人", kind="actual",
           period_year=2022),
    figure("f_range", "规模以上工业增加值增长4.5%—5%", "4.5%—5%", None, 4.5, value_high=5.0, value_base_high=5.0,
           comparator="range"),
    figure("f_neg", "单位GDP能耗下降3.2%", "3.2%", None, -3.2, comparator="point", kind="actual", period_year=2022),
]


@pytest.fixture(scope="module")
def validator(tmp_path_factory) -> Validator:
    return Validator(tmp_path_factory.mktemp("dq") / "gx", ref=REF, run_name="test")


def failing_checks(outcome, row_id: str) -> pd.DataFrame:
    return outcome.failures[outcome.failures["id"] == row_id]


def test_each_committed_suite_loads_with_all_its_expectations(validator):
    counts = validator.expectation_counts()
    for suite in committed_suites(REF).values():
        written = json.loads(suite.path.read_text(encoding="utf-8"))
        assert counts[suite.name] == len(written["expectations"]) > 0, suite.name
    assert {p.stem for p in SUITES_DIR.glob("*.json")} == {
        "documents.critical", "documents.warning", "figures.critical", "figures.warning", "figures_warehouse.warning"}


def test_reference_placeholders_are_resolved_from_the_reference():
    figures = committed_suites(REF)["figures.critical"].definition
    value_sets = {e["kwargs"]["column"]: e["kwargs"]["value_set"]
                  for e in figures["expectations"] if "value_set" in e["kwargs"]}
    assert value_sets["kind"] == ["target", "actual"]


def test_large_reference_sets_are_named_and_versioned_not_listed():
    def in_reference(ref: Reference) -> dict[str, dict]:
        suites = committed_suites(ref)
        return {e["kwargs"]["column"]: e["kwargs"] for s in suites.values() for e in s.definition["expectations"]
                if e["type"] == REFERENCE_SET_TYPE}

    small, full = in_reference(REF), in_reference(default_reference())
    assert {c: k["reference_set"] for c, k in small.items()} == {
        "region_code": "region_codes", "metric_code": "metric_codes", "unit": "unit_names"}
    assert all(set(k) == {"column", "reference_set", "set_version"} for k in small.values())  # no value list
    assert small["metric_code"]["set_version"] != full["metric_code"]["set_version"]


def test_reference_set_membership_uses_the_validators_own_reference(validator, tmp_path):
    Validator(tmp_path / "full", run_name="full")  # a second validator on the full catalog in the same process
    rows = NORMAL_FIGURES + [figure("f_cpi", "居民消费价格涨幅3%左右", "3%", "cpi", 3.0)]  # cpi: not in REF
    outcome = validator.validate("figures", _typed(rows, FIGURE_COLUMNS), "figure_id")
    assert outcome.critical_ids() == {"f_cpi"}
    assert "not in the metric catalog" in failing_checks(outcome, "f_cpi")["reason"].iloc[0]


def test_normal_figures_pass(validator):
    outcome = validator.validate("figures", _typed(NORMAL_FIGURES, FIGURE_COLUMNS), "figure_id")
    assert outcome.failures.empty, outcome.failures["reason"].tolist()
    assert outcome.results["success"].all()
    assert set(outcome.results["suite"]) == {"figures.critical", "figures.warning"}


def test_implausible_growth_and_unemployment_are_critical_and_named(validator):
    rows = NORMAL_FIGURES + [
        figure("f_gdp500", "地区生产总值增长500%左右", "500%", "gdp_growth", 500.0),
        figure("f_unemp150", "城镇调查失业率控制在150%以内", "150%", "urban_unemployment_rate", 150.0,
               comparator="at_most"),
    ]
    outcome = validator.validate("figures", _typed(rows, FIGURE_COLUMNS), "figure_id")
    assert outcome.critical_ids() == {"f_gdp500", "f_unemp150"}
    for row_id, metric, value in (("f_gdp500", "gdp_growth", "500"), ("f_unemp150", "urban_unemployment_rate", "150")):
        hits = failing_checks(outcome, row_id)
        assert hits["expectation_type"].tolist() == ["expect_column_pair_values_a_to_be_greater_than_b"]
        assert json.loads(hits["kwargs"].iloc[0])["column_A"] == "plausible_base_max"
        assert hits["reason"].iloc[0] == (f"value_base_high {value} above plausible max 30 for {metric} "
                                          "(expect_column_pair_values_a_to_be_greater_than_b)")
    failed = outcome.results[~outcome.results["success"]]
    assert failed["severity"].tolist() == ["critical"]
    assert json.loads(failed["unexpected_ids"].iloc[0]) == ["f_gdp500", "f_unemp150"]


def test_a_figure_id_may_repeat_across_documents_but_not_within_one(validator):
    gdp = NORMAL_FIGURES[0]
    copy_of_report = {**gdp, "document_id": "doc2", "source_file": "report (copy).txt"}
    twice_in_one = {**NORMAL_FIGURES[1]}
    rows = [gdp, copy_of_report, NORMAL_FIGURES[1], twice_in_one]
    outcome = validator.validate("figures", _typed(rows, FIGURE_COLUMNS), "figure_id")
    assert outcome.critical_ids() == {"f_unemp"}
    reasons = failing_checks(outcome, "f_unemp")["reason"]
    assert "figure f_unemp appears more than once in document doc1" in reasons.iloc[0]


def test_low_above_high_and_value_text_missing_from_sentence_fail_critically(validator):
    rows = [figure("f_inverted", "增长6%—5%", "6%—5%", None, 6.0, value_high=5.0, value_base_high=5.0,
                   comparator="range"),
            figure("f_lost", "地区生产总值稳步增长", "5%", "gdp_growth", 5.0),
            figure("f_far", "到2060年增长5%", "5%", None, 5.0, period_year=2060)]
    outcome = validator.validate("figures", _typed(rows, FIGURE_COLUMNS), "figure_id")
    assert outcome.critical_ids() == {"f_inverted", "f_lost", "f_far"}
    assert "value_low 6 above value_high 5" in failing_checks(outcome, "f_inverted")["reason"].iloc[0]
    assert failing_checks(outcome, "f_lost")["expectation_type"].tolist() == ["expect_value_text_in_sentence"]
    assert "period_year 2060 outside [report_year-10, report_year+15]" in failing_checks(outcome, "f_far")["reason"].iloc[0]


def test_unknown_unit_and_backward_target_are_warnings_only(validator):
    rows = [figure("f_unit", "新建学校3所", "3所", None, 3.0, unit="所"),
            figure("f_past_target", "2020年预期增长6%", "6%", None, 6.0, period_year=2020)]
    outcome = validator.validate("figures", _typed(rows, FIGURE_COLUMNS), "figure_id")
    assert outcome.critical_ids() == set()
    assert outcome.warning_ids() == {"f_unit", "f_past_target"}


def test_spam_sentence_figure_is_quarantined(validator):
    rows = [figure("f_spam", "加微信领取红包，日赚500元", "500元", None, 500.0, unit="元")]
    outcome = validator.validate("figures", _typed(rows, FIGURE_COLUMNS), "figure_id")
    assert "expect_column_values_to_not_match_regex" in failing_checks(outcome, "f_spam")["expectation_type"].tolist()
    assert outcome.critical_ids() == {"f_spam"}



@pytest.mark.parametrize("sentence", ["QQ群：１２３４５６７领取资料", "qq\u300012345678", "月入３万不是梦", "加QQ 𝟏𝟐𝟑𝟒𝟓𝟔"])
def test_spam_pattern_meets_full_width_digits_and_spaces(validator, sentence):
    outcome = validator.validate("figures", _typed([figure("f", sentence, "1", None, 1.0)], FIGURE_COLUMNS), "figure_id")
    assert outcome.critical_ids() == {"f"}


def test_spam_pattern_runs_in_arrow_not_row_by_row():
    """Python-only regex syntax (\\s, \\d, lookarounds) makes pandas match a whole chunk's sentences in Python's re."""
    from expectations.suites import SPAM_PATTERN
    assert not pd.Series(["x"], dtype="str").array._needs_python_regex(SPAM_PATTERN)

def document(document_id: str, text: str, **overrides) -> dict:
    from transforms.frames import cjk_ratio
    row = {c: None for c in DOCUMENT_COLUMNS}
    row.update(document_id=document_id, source_file=f"{document_id}.txt", text=text, char_count=len(text),
               cjk_ratio=cjk_ratio(text), figure_count=3, region_code="440105", report_year=2023,
               doc_type="government_work_report")
    row.update(overrides)
    return row


def test_documents_mojibake_is_critical_and_spam_or_missing_metadata_warn(validator):
    good = "今年主要预期目标是：地区生产总值增长5%左右，城镇新增就业1.8万人。" * 5
    mojibake = good.encode("utf-8").decode("latin-1")
    rows = [document("good", good),
            document("garbled", mojibake),
            document("spammy", good + "详情请访问 http://spam.example 加微信"),
            document("anonymous", good, region_code=None, report_year=None, doc_type=None)]
    outcome = validator.validate("documents", _typed(rows, DOCUMENT_COLUMNS), "document_id")
    assert outcome.critical_ids() == {"garbled"}
    assert "cjk_ratio" in failing_checks(outcome, "garbled")["reason"].iloc[0]
    assert {"spammy", "anonymous"} <= outcome.warning_ids()
    assert "good" not in outcome.warning_ids() | outcome.critical_ids()
    assert len(failing_checks(outcome, "anonymous")) == 3


def test_warehouse_checks_report_the_views_conflicts_duplicates_and_attainment(validator, tmp_path):
    from tests.attainment_rows import add_document, add_figure
    from warehouse import db, state

    with db.connect(tmp_path / "w.duckdb") as con:
        d1, d2 = add_document(con, "a-2023.txt", 2023, ("440105", "海珠区")), add_document(
            con, "b-2023.txt", 2023, ("440105", "海珠区"))
        copy = add_document(con, "copy-2023.txt", 2023, ("440105", "海珠区"))
        review = add_document(con, "2024.txt", 2024, ("440105", "海珠区"))
        t_gdp = add_figure(con, d1, "target", "gdp_growth", 6.0, comparator="approx", sentence="地区生产总值增长6%左右")
        t_gdp_other = add_figure(con, d2, "target", "gdp_growth", 6.5, comparator="approx",
                                 sentence="地区生产总值增长6.5%左右")
        add_figure(con, review, "actual", "gdp_growth", 3.2, period=2023)
        jobs = dict(unit="万人", factor=10000, base_unit="人", comparator="at_least", sentence="城镇新增就业1.8万人以上")
        t_jobs, t_jobs_copy = add_figure(con, d1, "target", "new_urban_jobs", 1.8, **jobs), add_figure(
            con, copy, "target", "new_urban_jobs", 1.8, **jobs)
        add_figure(con, review, "actual", "new_urban_jobs", 2.1, unit="万人", factor=10000, base_unit="人", period=2023)
        frame = state.cross_check_frame(con, "r")
    outcome = validator.validate("figures_warehouse", frame, "figure_id")
    assert outcome.critical_ids() == set()
    by_type = outcome.failures.groupby("expectation_type")["id"].apply(set).to_dict()
    assert by_type["expect_column_values_to_be_null"] == {t_gdp, t_gdp_other}
    assert by_type["expect_figures_not_duplicated_across_documents"] == {t_jobs, t_jobs_copy}
    reasons = outcome.failures.set_index(["expectation_type", "id"])["reason"]
    conflict = reasons[("expect_column_values_to_be_null", t_gdp)]
    assert "a-2023.txt conflicts with" in conflict and "6.5% (b-2023.txt, 2023): 地区生产总值增长6.5%左右" in conflict
    info = outcome.failures[outcome.failures["severity"] == "info"].set_index("id")["reason"]
    assert set(info.index) == {t_gdp, t_gdp_other, t_jobs, t_jobs_copy}
    assert "missed: actual 3.2 %, gap -2.8 %" in info[t_gdp] and "met: actual 2.1 万人, gap 0.3 万人" in info[t_jobs]
    assert outcome.results.set_index("expectation_type").loc["expect_column_values_to_not_be_in_set", "success"]


def test_a_table_validated_in_chunks_reports_what_one_batch_would(tmp_path):
    first = [*NORMAL_FIGURES[:3], figure("f_500", "地区生产总值增长500%左右", "500%", "gdp_growth", 500.0)]
    second = [*NORMAL_FIGURES[3:], figure("f_150", "城镇调查失业率控制在150%以内", "150%", "urban_unemployment_rate",
                                          150.0, comparator="at_most")]
    chunked = Validator(tmp_path / "chunked", ref=REF, run_name="chunked")
    parts = [chunked.validate("figures", _typed(rows, FIGURE_COLUMNS), "figure_id") for rows in (first, second)]
    one_batch = Validator(tmp_path / "whole", ref=REF, run_name="whole")
    whole = one_batch.validate("figures", _typed(first + second, FIGURE_COLUMNS), "figure_id")

    pd.testing.assert_frame_equal(combine_results([p.results for p in parts]), whole.results)
    assert not stored_results(tmp_path / "chunked")  # stored once, when the run builds its Data Docs
    chunked.build_data_docs()
    one_batch.build_data_docs()
    stored, expected = stored_results(tmp_path / "chunked"), stored_results(tmp_path / "whole")
    assert set(stored) == {"figures.critical", "figures.warning"}  # one result per suite, not one per chunk
    counted = ("element_count", "missing_count", "unexpected_count", "unexpected_percent", "missing_percent")
    for suite, result in stored.items():
        assert (result["success"], result["statistics"]) == (expected[suite]["success"], expected[suite]["statistics"])
        for got, want in zip(result["results"], expected[suite]["results"], strict=True):
            assert got["success"] == want["success"]
            assert {k: got["result"].get(k) for k in counted} == {k: want["result"].get(k) for k in counted}
    [failed] = [r for r in stored["figures.critical"]["results"] if not r["success"]]
    assert sorted(i["figure_id"] for i in failed["result"]["unexpected_index_list"]) == ["f_150", "f_500"]


def stored_results(gx_dir: Path) -> dict[str, dict]:
    """The validation results a GX project stored for Data Docs, by suite."""
    return {r["suite_name"]: r for r in (json.loads(p.read_text(encoding="utf-8"))
                                         for p in gx_dir.rglob("validations/**/*.json"))}


def test_hostile_values_are_escaped_in_data_docs(validator):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    rows = [figure("f_hostile", hostile, "9%", None, 9.0)]
    validator.validate("figures", _typed(rows, FIGURE_COLUMNS), "figure_id")
    index = validator.build_data_docs()
    assert index.name == "index.html" and index.exists()
    pages = "".join(p.read_text(encoding="utf-8") for p in index.parent.rglob("*.html"))
    assert "&lt;script&gt;alert(1)" in pages
    assert "<script>alert(1)" not in pages and "<img src=x" not in pages


def test_unknown_expectation_type_raises_count_error(tmp_path):
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "figures.critical.json").write_text(json.dumps({"name": "figures.critical", "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "figure_id"}},
        {"type": "expect_column_values_to_be_shiny", "kwargs": {"column": "figure_id"}},
    ]}), encoding="utf-8")
    with pytest.raises(SuiteError, match=r"has 2 expectations but GX loaded 1; not loaded: "
                                         r"expect_column_values_to_be_shiny"):
        Validator(tmp_path / "gx", ref=REF, suites_dir=suites)


def test_suite_file_named_unlike_its_suite_is_rejected(tmp_path):
    (tmp_path / "figures.critical.json").write_text(json.dumps({"name": "figures.warning", "expectations": []}))
    with pytest.raises(SuiteError, match="does not match the file name"):
        committed_suites(REF, tmp_path)


def test_unknown_table_is_rejected(validator):
    with pytest.raises(ValueError, match="no committed suite for table 'nope'"):
        validator.validate("nope", pd.DataFrame({"id": []}), "id")


def test_missing_column_stops_validation_instead_of_passing(validator):
    df = _typed(NORMAL_FIGURES, FIGURE_COLUMNS).drop(columns=["value_text"])
    with pytest.raises(ValidationRunError, match="figures.critical: .* could not run"):
        validator.validate("figures", df, "figure_id")
