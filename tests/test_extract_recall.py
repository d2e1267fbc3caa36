"""What a review says about last year's targets, per-year series in one sentence, and subjects that name the measure."""
from __future__ import annotations

import pytest

from transforms.extract import extract
from transforms.models import Figure
from transforms.reference import default_reference

REVIEW = "政府工作报告\n一、2013年工作回顾\n"


def figures(body: str, year: int = 2014) -> list[Figure]:
    return extract(REVIEW + body, year, default_reference()).figures


def by_value(body: str, year: int = 2014) -> dict[str, Figure]:
    return {f.value_text: f for f in figures(body, year)}


# --- targets recalled in a review ----------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "value"), [
    ("全区地区生产总值增长12%，高于年初确定的11%的预期目标。", "11%"),
    ("地方财政总收入完成28.8亿元，超额完成年初人代会确定的26亿元的目标。", "26亿元"),
    ("国内生产总值比上年增长7.8％，虽然略低于8％的预定目标，但成绩来之不易。", "8％"),
    ("城镇新增就业980万人，超过900万人的预期目标。", "900万人"),
    ("城镇登记失业率3.2%，控制在4.5%的目标以内。", "4.5%"),
    ("但是，全国没有实现年初确定的单位国内生产总值能耗降低4%左右、主要污染物排放总量减少2%的目标。", "4%左右"),
    ("但是，全国没有实现年初确定的单位国内生产总值能耗降低4%左右、主要污染物排放总量减少2%的目标。", "2%"),
])
def test_a_target_recalled_in_a_review_is_the_target_of_the_year_reviewed(body: str, value: str) -> None:
    f = by_value(body)[value]
    assert (f.kind, f.period_year) == ("target", 2013)


def test_a_target_the_review_says_was_met_is_the_level_reached() -> None:
    # SCHEMA.md: 实现/完成/达到 in a review of a past year is an actual
    found = by_value("提前一年实现农村中小学生人均公用经费500元和300元的目标。全年实现了年初确定的地区生产总值增长10%的目标。")
    assert [(f.kind, f.period_year) for f in found.values()] == [("actual", 2013)] * 3


def test_a_met_target_after_the_actual_of_the_same_measure_is_the_target() -> None:
    found = by_value("全区地区生产总值增长9.2%，实现了年初确定的增长8%的目标。")
    assert [(f.kind, f.period_year, f.metric_code) for f in found.values()] == [
        ("actual", 2013, "gdp_growth"), ("target", 2013, "gdp_growth")]


def test_a_recalled_target_takes_the_subject_of_what_it_is_compared_with() -> None:
    found = by_value("全区地区生产总值增长12%，高于年初确定的11%的预期目标。地方财政总收入完成28.8亿元，"
                     "超额完成年初人代会确定的26亿元的目标。城镇新增就业980万人，超过900万人的预期目标。")
    assert (found["11%"].metric_code, found["11%"].comparator) == ("gdp_growth", "point")
    assert found["26亿元"].metric_name == "地方财政总收入"
    assert found["900万人"].metric_code == "new_urban_jobs"


def test_a_recalled_target_keeps_the_measure_it_names() -> None:
    found = by_value("全年实现了年初确定的地区生产总值增长10%的目标。但是，没有实现年初确定的单位地区生产总值能耗降低4%左右的目标。")
    assert found["10%"].metric_code == "gdp_growth"
    assert found["4%左右"].metric_name == "单位地区生产总值能耗"


def test_a_figure_compared_with_no_target_is_still_an_actual() -> None:
    found = by_value("粮食产量达到1.2万吨，高于上年。城镇新增就业980万人，完成全年计划的120%。")
    assert {f.kind for f in found.values()} == {"actual"}


# --- per-year series -----------------------------------------------------------------------------------------

def test_values_of_successive_years_named_before_them() -> None:
    found = figures("2011年、2012年和2013年，全区地区生产总值分别增长8%、9%和10%。")
    assert [(f.value_low, f.period_year, f.kind) for f in found] == [
        (8.0, 2011, "actual"), (9.0, 2012, "actual"), (10.0, 2013, "actual")]


def test_values_of_the_years_before_and_what_they_turned_into() -> None:
    found = figures("2013年，单位地区生产总值能耗由前三年分别上升4.9％、5.5％、0.2％，转为下降1.2%；"
                    "化学需氧量、二氧化硫排放量由上年分别增长5.6％和13.1％，减为增长1.2%和1.8%。")
    assert [(f.value_low, f.period_year) for f in found] == [
        (4.9, 2010), (5.5, 2011), (0.2, 2012), (-1.2, 2013), (5.6, 2012), (13.1, 2012), (1.2, 2013), (1.8, 2013)]
    assert {f.metric_name for f in found[:4]} == {"单位地区生产总值能耗"}
    assert [f.metric_name for f in found[4:]] == ["化学需氧量", "二氧化硫排放量"] * 2


@pytest.mark.parametrize("years", ["2013年，", "近两年，", "2012年和2013年，"])
def test_a_list_of_values_of_as_many_subjects_is_per_subject_not_per_year(years: str) -> None:
    found = figures(years + "城镇居民人均可支配收入和农村居民人均纯收入分别增长12%和14%。")
    assert [(f.metric_name, f.period_year) for f in found] == [
        ("城镇居民人均可支配收入", 2013), ("农村居民人均纯收入", 2013)]


# --- subjects name the measure -------------------------------------------------------------------------------

def test_levels_then_their_growths_in_order_without_a_respectively() -> None:
    found = figures("城镇居民人均可支配收入17175元，农村居民人均纯收入5153元，实际增长9.8%和8.5%。")
    assert [f.metric_name for f in found] == ["城镇居民人均可支配收入", "农村居民人均纯收入"] * 2


def test_on_the_basis_then_an_average_is_no_last_year() -> None:
    text = "二、“十二五”时期的主要目标和任务\n今后五年，我国经济增长预期目标是在明显提高质量和效益的基础上年均增长7%。"
    f = extract(text, 2011, default_reference()).figures[0]
    assert (f.kind, f.period_year, f.basis, f.period_start_year) == ("target", 2015, "average_annual", 2011)


def test_respectively_compared_takes_the_subjects_before() -> None:
    found = figures("2000年进出口总额达4743亿美元，其中出口2492亿美元，分别比1995年增长69％和67％。")
    assert [f.metric_name for f in found] == ["进出口总额", "出口", "进出口总额", "出口"]


@pytest.mark.parametrize(("body", "value", "name"), [
    ("全国共完成技术改造投资2.66万亿元，比前五年增长67%。", "67%", "全国共完成技术改造投资"),
    ("粮食产量达到49250万吨，比五年前增加5000万吨。", "5000万吨", "粮食产量"),
    ("年底国家外汇储备达4033亿美元，比年初增加1168亿美元。", "1168亿美元", "国家外汇储备"),
    ("实际利用外资2894亿美元，比“八五”时期增长79.6％。", "79.6％", "实际利用外资"),
    ("社区办公用房面积要达到300平方米以上。", "300平方米以上", "社区办公用房面积"),
    ("今年中央财政用于教育的投入，将由去年的1076亿元增加到1562亿元。", "1076亿元", "中央财政用于教育的投入"),
    ("其中用于城市居民最低生活保障的补助资金由上年46亿元增加到92亿元。", "46亿元", "用于城市居民最低生活保障的补助资金"),
    ("今年要把城镇居民基本医保和新农合的财政补助标准提高到120元。", "120元", "城镇居民基本医保和新农合的财政补助标准"),
    ("组建城市合作银行的大中城市，由35个增加到100个。", "35个", "组建城市合作银行的大中城市"),
    ("全区“三公经费”较2010年下降65.6%。", "65.6%", "全区“三公经费”"),
])
def test_subject_words_that_are_not_the_measure_are_dropped(body: str, value: str, name: str) -> None:
    assert by_value(body)[value].metric_name == name
