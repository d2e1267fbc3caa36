"""Said and not said: explicit refusals to set a numeric target, found in text and carried into the series."""
from __future__ import annotations

from pathlib import Path

import pytest

from transforms.absences import find_absences
from transforms.models import RawDocument
from transforms.pipeline import process_document
from transforms.reference import default_reference

REF = default_reference()


@pytest.mark.parametrize("text, subject, metric, year", [
    # 2020's national report
    ("我们没有提出全年经济增速具体目标，主要考虑是全球疫情和经贸形势不确定性很大。", "经济增速", "gdp_growth", 2020),
    ("今年不设GDP增长目标，着力稳就业保民生。", "GDP", "gdp_growth", 2020),
    ("2021年不再设定地区生产总值增长具体目标。", "地区生产总值增长", "gdp_growth", 2021),
    ("明年全市不设地区生产总值增速目标。", "地区生产总值", "gdp_growth", 2021),
    ("对经济增速不设具体目标，更加注重质量效益。", "经济增速", "gdp_growth", 2020),
    ("今年未设固定资产投资增长目标。", "固定资产投资", "fixed_asset_investment_growth", 2020),
])
def test_a_declined_target_is_found_with_its_subject_metric_and_year(text, subject, metric, year) -> None:
    [found] = find_absences(text, 2020, REF)
    assert (found.subject, found.metric_code, found.period_year, found.kind, found.declines_number) == (
        subject, metric, year, "target", True)
    assert found.sentence in text and text[found.start:found.end] in found.sentence


@pytest.mark.parametrize("text", [
    "今年，各地区、各部门、各单位都要提出杜绝浪费、节省开支的具体目标和措施。",  # a demand, not a refusal
    "不设过高的增长目标，留有余地。",  # a softer target
    "全国没有实现年初确定的单位国内生产总值能耗降低4%左右的目标。",  # a target missed, not declined
    "国内生产总值增长8%左右。",
])
def test_text_that_sets_or_misses_a_target_is_not_an_absence(text) -> None:
    assert find_absences(text, 2020, REF) == []


def test_an_unknown_subject_is_kept_without_a_metric() -> None:
    [found] = find_absences("今年不设夜间经济繁荣指数具体目标。", 2020, REF)
    assert (found.subject, found.metric_code) == ("夜间经济繁荣指数", None)


def test_the_pipeline_loads_an_absence_into_the_series(tmp_path: Path) -> None:
    from tests.attainment_rows import add_document, add_figure
    from tests.test_warehouse_content import doc_frames
    from warehouse import db, load

    text = ("政府工作报告\n——2020年5月22日在第十三届全国人民代表大会第三次会议上\n"
            "今年没有提出全年经济增速具体目标，主要考虑是形势不确定性很大。\n")
    doc = process_document(RawDocument("national-2020.txt", text, "txt"), REF)
    assert [(q.subject, q.period_year, q.declines_number) for q in doc.extraction.qualitative] == [
        ("经济增速", 2020, True)]
    doc.meta.region_code, doc.meta.region_name = "100000", "全国"  # national reports get 全国 with i12-regions
    with db.connect(tmp_path / "w.duckdb") as con:
        load.load_document(con, "r1", **doc_frames(doc))
        add_figure(con, add_document(con, "national-2021.txt", 2021), "actual", "gdp_growth", 2.3, period=2020)
        stored = con.execute("SELECT subject, metric_code, declines_number FROM qualitative_targets").fetchall()
        series = con.execute("SELECT kind, absent, value_low, source_file FROM series WHERE period_year = 2020 "
                             "ORDER BY kind").fetchall()
    assert stored == [("经济增速", "gdp_growth", True)]
    assert series == [("actual", False, 2.3, "national-2021.txt"), ("target", True, None, "national-2020.txt")]
