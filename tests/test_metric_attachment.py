"""Subjects that reach their figures and the measure the words state: lists, breakdowns, carried subjects, scope
prefixes, and level vs growth vs share vs change; plus code coverage of the national reports' target paragraphs."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from transforms.extract import extract
from transforms.models import Figure
from transforms.reference import default_reference

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
REF = default_reference()


def figures(text: str, year: int = 2024) -> list[Figure]:
    return extract(text, year, REF).figures


def coded(text: str, year: int = 2024) -> list[tuple[float, str | None, str | None]]:
    return [(f.value_low, f.metric_name, f.metric_code) for f in figures(text, year)]


# --- lists: one figure per (subject, value), in order ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("城乡居民人均可支配收入分别增长5.3%、7%。",
     [(5.3, "城镇居民人均可支配收入", "urban_income_growth"), (7.0, "农村居民人均可支配收入", "rural_income_growth")]),
    ("一产、二产、三产增加值分别增长5%左右、5%以上、5%左右。",
     [(5.0, "一产增加值", "primary_industry_value_added_growth"), (5.0, "二产增加值", "secondary_industry_value_added_growth"),
      (5.0, "三产增加值", "tertiary_industry_value_added_growth")]),
    ("城镇和农村常住居民人均可支配收入分别达35512元、25689元。",
     [(35512.0, "城镇常住居民人均可支配收入", "urban_disposable_income"),
      (25689.0, "农村常住居民人均可支配收入", "rural_disposable_income")]),
    ("城镇居民人均可支配收入和农村居民人均纯收入实际增长8.4％和11.4％。",
     [(8.4, "城镇居民人均可支配收入", "urban_income_growth"), (11.4, "农村居民人均纯收入", "rural_net_income_growth")]),
    ("第一产业、第二产业和第三产业增加值分别增长3.5%、6%和7.2%。",
     [(3.5, "第一产业增加值", "primary_industry_value_added_growth"),
      (6.0, "第二产业增加值", "secondary_industry_value_added_growth"),
      (7.2, "第三产业增加值", "tertiary_industry_value_added_growth")]),
    ("固定资产投资、社会消费品零售总额分别增长10%、8%。",
     [(10.0, "固定资产投资", "fixed_asset_investment_growth"), (8.0, "社会消费品零售总额", "retail_sales_growth")]),
])
def test_a_list_gives_each_value_its_own_subject(text: str, expected: list) -> None:
    assert coded(text) == expected


def test_a_second_list_repeats_the_subjects_of_the_first() -> None:
    assert [(v, c) for v, _, c in coded("城镇、农村居民人均可支配收入分别达到52000元、23000元，分别增长5.1%和6.8%。")] == [
        (52000.0, "urban_disposable_income"), (23000.0, "rural_disposable_income"),
        (5.1, "urban_income_growth"), (6.8, "rural_income_growth")]


def test_fenbie_after_figures_of_different_subjects_takes_them_in_order() -> None:
    assert [(v, c) for v, _, c in coded("全年接待游客3200万人次，实现旅游总收入380亿元，分别增长15%和18%。")] == [
        (3200.0, "tourist_arrivals"), (380.0, "tourism_revenue"), (15.0, "tourist_arrivals_growth"),
        (18.0, "tourism_revenue_growth")]
    assert [c for _, _, c in coded("一般公共预算收入20亿元、税收收入15亿元，分别增长6%、8%。")] == [
        "general_budget_revenue", "tax_revenue", "general_budget_revenue_growth", "tax_revenue_growth"]


def test_values_of_one_subject_are_not_split() -> None:
    assert [c for _, _, c in coded("地区生产总值分别增长5.2%、5.5%。")] == ["gdp_growth", "gdp_growth"]


# --- carried subjects, breakdowns, scope --------------------------------------------------------------------------

def test_one_subject_with_a_level_and_a_growth() -> None:
    assert coded("城镇居民人均可支配收入完成25852元，同比增长11.1%。") == [
        (25852.0, "城镇居民人均可支配收入", "urban_disposable_income"),
        (11.1, "城镇居民人均可支配收入", "urban_income_growth")]


def test_a_breakdown_names_the_part_not_the_whole() -> None:
    assert [c for _, _, c in coded("一般公共预算收入20.5亿元，增长6%，其中税收收入15亿元。")] == [
        "general_budget_revenue", "general_budget_revenue_growth", "tax_revenue"]
    assert [c for _, _, c in coded("地区生产总值增长6%，其中第三产业增长8%。")] == [
        "gdp_growth", "tertiary_industry_value_added_growth"]
    assert [c for _, _, c in coded("今年拟安排财政赤字8000亿元，其中中央财政赤字5500亿元。")] == [
        "deficit_amount", "central_deficit_amount"]


@pytest.mark.parametrize(("text", "name", "code"), [
    ("全区地区生产总值增长6%。", "全区地区生产总值", "gdp_growth"),
    ("全县城镇调查失业率控制在5.5%以内。", "全县城镇调查失业率", "unemployment_surveyed"),
    ("全省粮食产量稳定在1.3万亿斤以上。", "全省粮食产量", "grain_output"),
    ("全市常住人口城镇化率达到72%。", "全市常住人口城镇化率", "urbanization_rate"),
    ("区本级固定资产投资增长20%。", "区本级固定资产投资", "fixed_asset_investment_growth"),
    ("农村居民人均可支配收入增长7%。", "农村居民人均可支配收入", "rural_income_growth"),
    ("城镇居民人均可支配收入增长6%。", "城镇居民人均可支配收入", "urban_income_growth"),
    ("全体居民人均可支配收入增长6.5%。", "全体居民人均可支配收入", "resident_income_growth"),
])
def test_the_scope_prefix_stays_in_the_name_and_chooses_the_code(text: str, name: str, code: str) -> None:
    assert coded(text) == [(coded(text)[0][0], name, code)]


def test_cue_words_before_the_catalog_name_are_not_the_subject() -> None:
    assert coded("中央提出今年经济增长预期目标为8%左右。") == [(8.0, "经济", "gdp_growth")]


def test_a_share_of_a_whole_takes_the_whole_named_before() -> None:
    assert coded("全国财政赤字合计9500亿元，占国内生产总值比重在3%以内。") == [
        (9500.0, "全国财政赤字", "deficit_amount"), (3.0, "全国财政赤字占国内生产总值比重", "deficit_ratio")]


def test_a_comparison_clause_keeps_the_subject_of_the_sentence() -> None:
    found = coded("拟安排中央财政赤字3000亿元，比上年预算减少198亿元；拟发行长期建设国债800亿元，比上年减少300亿元。")
    assert [(v, c) for v, _, c in found] == [
        (3000.0, "central_deficit_amount"), (-198.0, "central_deficit_amount_change"),
        (800.0, "construction_treasury_bonds"), (-300.0, "construction_treasury_bonds_change")]  # SCHEMA: 减少 is -


def test_a_catalog_noun_after_an_amount_names_it() -> None:
    assert coded("今年拟发行1500亿元长期建设国债。") == [(1500.0, "长期建设国债", "construction_treasury_bonds")]
    assert coded("提出8%左右的国内生产总值增长目标。") == [(8.0, "国内生产总值", "gdp_growth")]


# --- the measure comes from the words, never from distance -------------------------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    ("城镇化率增长5%。", None),                                           # a rate does not grow by 5%
    ("常住人口城镇化率达到65%。", "urbanization_rate"),                   # 达到 of a rate is the level
    ("常住人口城镇化率提高1.2个百分点。", "urbanization_rate_change"),    # percentage points are a change
    ("森林覆盖率提高0.5个百分点。", "forest_coverage_change"),
    ("森林覆盖率达到45%。", "forest_coverage"),
    ("数字经济核心产业增加值占比达到10%。", "digital_economy_core_share"),  # 占比 is a share
    ("高技术制造业增加值增长12%。", "high_tech_manufacturing_growth"),
    ("高技术制造业增加值占规上工业增加值比重达到20%。", "high_tech_manufacturing_share"),
    ("单位GDP二氧化碳排放降低3.9%。", "co2_intensity_change"),
    ("地表水优良水体比例达到90%。", "surface_water_good_ratio"),
    ("赤字率拟按3%左右安排。", "deficit_ratio"),
    ("赤字率为3%。", "deficit_ratio"),
    ("广义货币M2增长目标为12%左右。", "m2_growth"),
    ("社会融资规模增长9.5%。", "social_financing_growth"),
    ("人均预期寿命达到79岁。", "life_expectancy"),
    ("粮食产量1.3万亿斤以上。", "grain_output"),
    ("粮食总产量保持在6.5亿吨。", "grain_output"),
    ("旅游总收入突破500亿元。", "tourism_revenue"),
    ("实际使用外资150亿美元。", "fdi_utilized_usd"),
    ("进出口总额3.2万亿元。", "foreign_trade"),
    ("规模以上工业增加值1200亿元，增长7%。", "industrial_value_added"),
    ("新开工保障性住房8万套。", "affordable_housing"),
    ("常住人口达到1200万人。", "resident_population"),
])
def test_measure_follows_the_words(text: str, code: str | None) -> None:
    assert figures(text)[0].metric_code == code


def test_a_growth_word_before_a_level_amount_is_a_change_not_the_level() -> None:
    assert [f.metric_code for f in figures("赤字规模比上年预算减少1500亿元。")] == ["deficit_amount_change"]
    assert [f.metric_code for f in figures("拟安排地方政府专项债券3.9万亿元，比上年增加1000亿元。")] == [
        "special_bonds", "special_bonds_change"]
    assert [f.metric_code for f in figures("人均预期寿命提高1岁，达到79岁。")] == [None, "life_expectancy"]


# --- the national reports: codes in the main-targets and budget paragraphs ---------------------------------------

# Main targets: "今年…主要预期目标/预期目标/调控目标/增长预期…" or "2006年国民经济和社会发展的主要预期目标"; a heading line
# ending with "：" brings the next line. Budget: a line planning the deficit or treasury bonds (拟安排…赤字, 赤字率,
# 今年拟发行…国债).
_MAIN = re.compile(r"今年[^。；]{0,40}?(?:主要预期目标|预期目标|主要目标|调控目标|增长预期)"
                   r"|(?:19|20)\d\d年(?:国民经济和社会发展|经济社会发展)的?主要(?:预期)?目标")
_BUDGET = re.compile(r"(?:拟|安排)[^。]{0,30}赤字|赤字[^。]{0,30}(?:拟|安排)|赤字率|今年拟发行[^。；]{0,12}国债")


def _target_paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos, lines = [], 0, text.split("\n")
    for i, line in enumerate(lines):
        start, pos = pos, pos + len(line) + 1
        if _MAIN.search(line) or _BUDGET.search(line):
            end = pos + (len(lines[i + 1]) + 1 if line.rstrip().endswith(("：", ":")) and i + 1 < len(lines) else 0)
            spans.append((start, end))
    return spans


def test_main_target_and_budget_paragraphs_of_national_reports_carry_codes() -> None:
    total = with_code = years = 0
    missing = []
    for year in range(1997, 2013):
        text = (CORPUS / f"national-{year}.txt").read_text(encoding="utf-8")
        spans = _target_paragraphs(text)
        years += bool(spans)  # 2000 and 2002 state no year target in these words
        for f in extract(text, year, REF).figures:
            if any(lo <= f.start < hi for lo, hi in spans):
                total += 1
                with_code += f.metric_code is not None
                if f.metric_code is None:
                    missing.append(f"{year} {f.value_text} {f.metric_name}")
    assert years >= 14 and total >= 90
    assert with_code / total >= 0.90, missing
