"""The outline step: sections from a report's own headings and openers give figures their kind, period and basis."""
from __future__ import annotations

from pathlib import Path

import pytest

from transforms.clean import clean_document
from transforms.extract import extract
from transforms.metadata import infer_metadata
from transforms.models import Figure
from transforms.kinds import plan_years
from transforms.outline import outline, report_year_from_outline
from transforms.read import read_document
from transforms.reference import default_reference

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
REF = default_reference()

# A provincial 2026 report in the usual shape (written for this test, not taken from any report).
PROVINCE_2026 = """各位代表：
现在，我代表省人民政府，向大会报告工作，请予审议。
一、“十四五”时期和2025年工作回顾
五年来，全省地区生产总值年均增长5.6%，五年累计完成固定资产投资12.5万亿元，常住人口城镇化率达到66.2%。
刚刚过去的2025年，全省地区生产总值增长5.3%，城镇新增就业65万人。
二、“十五五”时期主要目标任务
未来五年，全省地区生产总值年均增长5%左右，累计新增城镇就业300万人以上，常住人口城镇化率达到70%左右。
三、2026年重点工作
今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%左右。
"""

# A district report without numbered parts: unnumbered headings and openers only.
DISTRICT_2026 = """区政府工作报告
过去一年工作回顾
过去一年，全区地区生产总值增长4.8%，新建学校3所。
“十五五”时期总体要求和目标任务
到2030年，全区地区生产总值突破800亿元，年均增长6%。
今年，全区新建学校5所。
"""


def _by_value(figures: list[Figure]) -> dict[float, Figure]:
    return {f.value_low: f for f in figures}


def _meaning(f: Figure) -> tuple:
    return f.kind, f.period_start_year, f.period_year, f.basis


@pytest.mark.parametrize(("heading", "kind", "first", "last"), [
    ("一、2023年工作回顾", "actual", 2023, 2023),
    ("一、过去一年工作回顾", "actual", 2023, 2023),
    ("一、“十四五”时期和2025年工作回顾", "actual", 2021, 2025),
    ("二、2024年经济社会发展总体要求和政策取向", "target", 2024, 2024),
    ("二、2024年主要任务", "target", 2024, 2024),
    ("三、2024年重点工作（安排）", "target", 2024, 2024),
    ("二、“十五五”时期主要目标任务", "target", 2026, 2030),
    ("“十五五”时期总体要求和目标任务", "target", 2026, 2030),
    ("二、今年主要任务", "target", 2024, 2024),
    ("一、去年工作回顾", "actual", 2023, 2023),
    ("一、过去五年政府工作的回顾", "actual", 2019, 2023),
    ("首先报告２０２３年的工作", "actual", 2023, 2023),
    ("一、2022年工作回顾和2023年工作的总体要求", "actual", 2022, 2022),
])
def test_headings_open_sections(heading: str, kind: str, first: int, last: int) -> None:
    section = outline(f"各位代表：\n{heading}\n正文。", 2024)[-1]
    assert (section.kind, section.first_year, section.last_year) == (kind, first, last)


def test_neutral_and_sub_headings_keep_the_section() -> None:
    text = "各位代表：\n一、2023年工作回顾\n（一）全面完成年度目标任务\n三、加强政府自身建设\n正文。"
    assert {(s.kind, s.last_year) for s in outline(text, 2024) if s.start > 5} == {("actual", 2023)}


def test_plan_periods() -> None:
    assert (plan_years("九五"), plan_years("十五"), plan_years("十一五"), plan_years("十五五")) == (
        (1996, 2000), (2001, 2005), (2006, 2010), (2026, 2030))
    assert plan_years("五") is None


def test_provincial_2026_report_with_plan_outline() -> None:
    found = _by_value(extract(PROVINCE_2026, 2026, REF).figures)
    assert _meaning(found[5.6]) == ("actual", 2021, 2025, "average_annual")
    assert _meaning(found[12.5]) == ("actual", 2021, 2025, "cumulative")
    assert _meaning(found[66.2]) == ("actual", 2025, 2025, "annual")
    assert _meaning(found[5.3]) == ("actual", 2025, 2025, "annual")
    assert _meaning(found[300]) == ("target", 2026, 2030, "cumulative")
    assert _meaning(found[70]) == ("target", 2030, 2030, "annual")  # a level target: annual, at its end year
    assert [_meaning(f) for f in extract(PROVINCE_2026, 2026, REF).figures if f.value_low == 5.0] == [
        ("target", 2026, 2030, "average_annual"), ("target", 2026, 2026, "annual")]
    assert report_year_from_outline(PROVINCE_2026) == 2026


def test_district_report_with_unnumbered_headings() -> None:
    figures = extract(DISTRICT_2026, None, REF).figures  # the year comes from the outline
    assert [(f.value_low, *_meaning(f)) for f in figures] == [
        (4.8, "actual", 2025, 2025, "annual"), (3, "actual", 2025, 2025, "annual"),
        (800, "target", 2030, 2030, "annual"), (6, "target", 2026, 2030, "average_annual"),
        (5, "target", 2026, 2026, "annual")]


def test_local_cues_override_the_section() -> None:
    text = ("各位代表：\n二、2026年重点工作\n去年全市粮食产量120万吨，今年力争达到125万吨，比上年增加5万吨。"
            "\n常住人口城镇化率由65%提高到68%。")
    found = _by_value(extract(text, 2026, REF).figures)
    assert (found[120].kind, found[120].period_year) == ("actual", 2025)
    assert (found[125].kind, found[125].period_year) == ("target", 2026)
    assert (found[5].kind, found[5].period_year) == ("target", 2026)  # 比上年 is a comparison base, not a cue
    assert (found[65].kind, found[65].period_year) == ("actual", 2025)  # the level before the plan year
    review = "各位代表：\n一、2025年工作回顾\n全年完成投资80亿元，到2030年建成公园30个。"
    found = _by_value(extract(review, 2026, REF).figures)
    assert (found[80].kind, found[80].period_year) == ("actual", 2025)  # 全年: the year reviewed
    assert (found[30].kind, found[30].period_year) == ("target", 2030)


def test_a_change_since_a_base_year_beside_its_average_is_cumulative_over_its_years() -> None:
    text = ("各位代表：\n一、“十四五”时期工作回顾\n2025年，全市地区生产总值达到3200亿元，比2020年增长31.5%，年均增长5.6%；"
            "财政收入比上年增长4.2%。")
    found = _by_value(extract(text, 2026, REF).figures)
    assert _meaning(found[31.5]) == ("actual", 2021, 2025, "cumulative")
    assert _meaning(found[5.6]) == ("actual", 2021, 2025, "average_annual")
    assert _meaning(found[4.2]) == ("actual", 2025, 2025, "annual")  # 比上年: one year
    one_year = "各位代表：\n一、2025年工作回顾\n全市扶贫标准比2023年提高30%。"
    assert _meaning(extract(one_year, 2026, REF).figures[0]) == ("actual", 2025, 2025, "annual")


def test_a_contradicting_opener_holds_for_its_paragraph_only() -> None:
    text = "各位代表：\n二、2026年重点工作\n过去一年，新建学校3所。\n新建学校6所。"
    assert [(f.kind, f.period_year) for f in extract(text, 2026, REF).figures] == [
        ("actual", 2025), ("target", 2026)]


def test_unknown_structure_keeps_cue_based_reading() -> None:
    text = "据悉，全市去年新增企业1200家，明年计划新建公园12个。"
    assert [(f.kind, f.period_year) for f in extract(text, 2024, REF).figures] == [
        ("actual", 2023), ("target", 2025)]


def test_glossary_is_skipped() -> None:
    assert extract("各位代表：\n今年新建学校6所。\n附件\n独角兽：估值超过10亿美元的企业。", 2024, REF).figures[-1].value_low == 6


@pytest.mark.parametrize("year", range(1997, 2013))
def test_every_national_report_knows_its_year(year: int) -> None:
    path = CORPUS / f"national-{year}.txt"
    raw = read_document(path.name, path.read_bytes())[0]
    assert infer_metadata(raw, clean_document(raw), REF).report_year == year


def test_report_year_is_never_guessed_from_an_unrelated_year() -> None:
    raw = read_document("x.txt", "各位代表：\n本届政府1998年3月就职，任期即将结束。\n新建学校6所。".encode())[0]
    meta = infer_metadata(raw, clean_document(raw), REF)
    assert meta.report_year is None
    assert any(f.check == "metadata_unknown" and "report_year" in f.message for f in meta.findings)


def _national(year: int) -> list[Figure]:
    path = CORPUS / f"national-{year}.txt"
    raw = read_document(path.name, path.read_bytes())[0]
    text = clean_document(raw).text
    return extract(text, infer_metadata(raw, clean_document(raw), REF).report_year, REF).figures


@pytest.fixture(scope="module")
def national() -> dict[int, list[Figure]]:
    return {year: _national(year) for year in range(2005, 2013)}


@pytest.mark.parametrize("year", range(2005, 2013))
def test_national_gdp_growth_target_of_the_year(national: dict[int, list[Figure]], year: int) -> None:
    targets = [f for f in national[year] if f.metric_code == "gdp_growth" and f.kind == "target"
               and f.period_year == year and f.basis == "annual"]
    assert [f.value_low for f in targets] == [7.5 if year == 2012 else 8.0], [f.sentence for f in targets]


# The GDP growth each year's report gives for the year before (2008's report, a five-year review, gives 2007 only
# as the 2003–2007 average).
ACTUALS = {2004: 9.5, 2005: 9.9, 2006: 10.7, 2007: 10.6, 2008: 9.0, 2009: 8.7, 2010: 10.3, 2011: 9.2}


@pytest.mark.parametrize("year", range(2005, 2012))
def test_national_gdp_growth_actual_in_the_next_report(national: dict[int, list[Figure]], year: int) -> None:
    actuals = [f for f in national[year + 1] if f.metric_code == "gdp_growth" and f.kind == "actual"
               and f.period_year == year and f.value_low == ACTUALS[year]]
    basis = ("average_annual", 2003) if year == 2007 else ("annual", year)
    assert [(f.basis, f.period_start_year) for f in actuals] == [basis], [f.sentence for f in national[year + 1]
                                                                          if f.period_year == year][:5]


def test_words_outweigh_a_wrong_year_and_slogans_do_not_open_sections() -> None:
    assert outline("各位代表：\n一、2024年工作回顾\n正文。", 2024)[-1].kind == "actual"
    text = "各位代表：\n一、2023年工作回顾\n主要目标任务圆满完成\n新建学校6所。\n力争到2026年GDP破千亿元\n新建公园3个。"
    assert [(f.kind, f.period_year) for f in extract(text, 2024, REF).figures] == [
        ("actual", 2023), ("target", 2026), ("actual", 2023)]


def test_mid_year_review_and_past_horizon() -> None:
    text = ("一、上半年工作回顾\n上半年，全市地区生产总值增长5.1%，今年新增企业800家。\n二、下半年工作安排\n"
            "全年新建学校4所。\n到2025年底，全市累计建成公园120个。")
    assert [(f.value_low, f.kind, f.period_year) for f in extract(text, 2026, REF).figures] == [
        (5.1, "actual", 2026), (800, "actual", 2026), (4, "target", 2026), (120, "actual", 2025)]


def test_five_year_and_plan_spans_from_the_sentence() -> None:
    text = "各位代表：\n一、2025年工作回顾\n“十四五”以来，全市地区生产总值年均增长6.1%，三年来累计新增就业30万人。"
    found = _by_value(extract(text, 2026, REF).figures)
    assert _meaning(found[6.1]) == ("actual", 2021, 2025, "average_annual")
    assert _meaning(found[30]) == ("actual", 2023, 2025, "cumulative")


def test_a_total_opening_its_sentence_covers_counts_not_levels_or_rates() -> None:
    text = "各位代表：\n一、过去五年工作回顾\n五年累计投资5.1亿元，建成公路31条，总里程达到79.46公里，达标率93.5%。"
    assert [(f.value_low, f.basis) for f in extract(text, 2016, REF).figures] == [
        (5.1, "cumulative"), (31, "cumulative"), (79.46, "annual"), (93.5, "annual")]


def test_a_noisy_scrape_of_a_national_report_keeps_its_outline() -> None:
    path = CORPUS / "noisy-national-2011.txt"
    raw = read_document(path.name, path.read_bytes())[0]
    clean = clean_document(raw)
    year = infer_metadata(raw, clean, REF).report_year
    found = {(f.kind, f.period_year, f.value_low) for f in extract(clean.text, year, REF).figures
             if f.metric_code == "gdp_growth" and f.basis == "annual"}
    assert year == 2011 and {("actual", 2010, 10.3), ("target", 2011, 8.0)} <= found


def test_sub_headings_open_sections_only_when_they_name_a_time() -> None:
    text = "（一）2023年工作回顾\n新建学校6所。\n（二）圆满完成全年目标任务\n新建公园3个。\n（三）2024年工作安排\n新建学校8所。"
    assert [(f.kind, f.period_year) for f in extract(text, 2024, REF).figures] == [
        ("actual", 2023), ("actual", 2023), ("target", 2024)]


def test_plan_period_amounts_and_past_ranges_in_this_years_tasks() -> None:
    text = ("各位代表：\n二、2027年重点工作\n“十五五”时期省级财政将投入80亿元支持乡村振兴。\n五年改造老旧小区900个。"
            "从2023年到2026年年均新增企业3000家。补助资金由上年12亿元增加到20亿元。连续两年累计减税60亿元。")
    found = _by_value(extract(text, 2027, REF).figures)
    assert _meaning(found[80]) == ("target", 2026, 2030, "cumulative")
    assert _meaning(found[900]) == ("target", 2027, 2031, "cumulative")
    assert found[3000].kind == "actual" and found[3000].period_year == 2026
    assert (found[12].kind, found[12].period_year) == ("actual", 2026)
    assert (found[20].kind, found[20].period_year) == ("target", 2027)
    assert found[60].basis == "cumulative"
