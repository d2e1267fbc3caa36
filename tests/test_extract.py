"""Extraction rules, one family at a time, on short synthetic sentences."""
from __future__ import annotations

import pytest

from transforms.extract import extract
from transforms.models import Figure
from transforms.reference import default_reference


def figures(text: str, year: int | None = 2024) -> list[Figure]:
    return extract(text, year, default_reference()).figures


def one(text: str, year: int | None = 2024) -> Figure:
    found = figures(text, year)
    assert len(found) == 1, [(f.value_text, f.unit) for f in found]
    return found[0]


def values(text: str, year: int | None = 2024) -> list[tuple[float, float, str]]:
    return [(f.value_low, f.value_high, f.unit) for f in figures(text, year)]


# --- numbers and units -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "low", "unit"), [
    ("全县完成营业收入1,234.5万元。", 1234.5, "万元"),
    ("新增城镇就业１２．５万人。", 12.5, "万人"),
    ("城镇登记失业率控制在３．５％以内。", 3.5, "％"),
    ("人口自然增长率为4.2‰。", 4.2, "‰"),
    ("经济总量达到5.3万亿元。", 5.3, "万亿元"),
    ("新引进企业1.6万家。", 1.6, "万家"),
    ("人均收入达到6.8万元/人。", 6.8, "万元/人"),
    ("细颗粒物平均浓度降至28微克/立方米。", 28.0, "微克/立方米"),
    ("服务游客320万人次。", 320.0, "万人次"),
    ("开展巡查1.3万次。", 1.3, "万次"),
    ("办理时限压缩到15分钟。", 15.0, "分钟"),
    ("新建住房800套。", 800.0, "套"),
    ("改造农田2000亩。", 2000.0, "亩"),
    ("新增发电装机30万千瓦。", 30.0, "万千瓦"),
])
def test_numbers_and_units(text: str, low: float, unit: str) -> None:
    f = one(text)
    assert (f.value_low, f.unit) == (low, unit)
    assert f.value_text in f.sentence


@pytest.mark.parametrize("classifier", list("家个座所套项宗条处场件支名株张种栋"))
def test_count_classifiers(classifier: str) -> None:
    f = one(f"新建示范单位12{classifier}。")
    assert (f.value_low, f.unit) == (12.0, classifier)


def test_chinese_numeral_with_comparator() -> None:
    assert values("引进项目投资破千亿元。") == [(1000.0, 1000.0, "亿元")]
    assert values("协调解决问题超百项。") == [(100.0, 100.0, "项")]


def test_bare_chinese_numerals_are_not_figures() -> None:
    assert figures("推进三大平台建设，打造一批示范项目，落实十大行动，统筹国内国际两个大局，推动三次产业融合，扶持三元乳业。") == []


def test_base_values_come_from_units_csv() -> None:
    f = one("一般公共预算收入完成53.2亿元。")
    assert (f.value_base_low, f.base_unit) == (53.2e8, "元")
    f = one("新增就业2.5万人。")
    assert (f.value_base_low, f.base_unit) == (25000.0, "人")


def test_people_noun_after_magnitude_means_people() -> None:
    f = one("惠及45万沿线居民。")
    assert (f.value_low, f.unit) == (45.0, "万人")


def test_unitless_ratio() -> None:
    f = one("新建厂房平均容积率超2.5的工业园区。")
    assert (f.value_low, f.unit, f.comparator) == (2.5, "", "at_least")


# --- ranges and comparators ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "low", "high", "unit"), [
    ("地区生产总值增长4.5%—5%。", 4.5, 5.0, "%"),
    ("地区生产总值增长4.5-5%。", 4.5, 5.0, "%"),
    ("培育科创载体2-3家。", 2.0, 3.0, "家"),
    ("社会消费品零售总额1.2万亿元至1.5万亿元。", 1.2, 1.5, "万亿元"),
    ("每个园区推出1至2个试点。", 1.0, 2.0, "个"),
    ("新增就业1-2万人。", 1.0, 2.0, "万人"),
])
def test_ranges_share_their_unit(text: str, low: float, high: float, unit: str) -> None:
    f = one(text)
    assert (f.value_low, f.value_high, f.unit, f.comparator) == (low, high, unit, "range")


def test_a_dash_between_numbers_is_a_range_never_a_minus() -> None:
    assert values("增长4.5%-5%，新增2-3家，2021-2025年。") == [(4.5, 5.0, "%"), (2.0, 3.0, "家")]


@pytest.mark.parametrize(("text", "comparator"), [
    ("地区生产总值增长6%左右。", "approx"),
    ("全年投资约7亿元。", "approx"),
    ("转运近80万人。", "approx"),
    ("固定资产投资增长10%以上。", "at_least"),
    ("新增企业超30家。", "at_least"),
    ("营收超过90亿元。", "at_least"),
    ("总产值突破1000亿元。", "at_least"),
    ("土地整备不少于180万平方米。", "at_least"),
    ("引入项目20余个。", "at_least"),
    ("服务群众200多万人。", "at_least"),
    ("城镇调查失业率控制在5.5%以内。", "at_most"),
    ("能耗增量不超过3万吨标准煤。", "at_most"),
    ("单体扶持最高5000万元。", "at_most"),
    ("一般公共预算收入完成53.2亿元。", "point"),
])
def test_comparators(text: str, comparator: str) -> None:
    assert one(text).comparator == comparator


# --- sign ------------------------------------------------------------------------------------------------

def test_decrease_of_a_rate_is_negative() -> None:
    f = one("单位地区生产总值能耗下降3.2%。")
    assert (f.value_low, f.value_high, f.metric_code) == (-3.2, -3.2, "energy_intensity_change")


def test_decrease_in_a_list_is_negative_for_each() -> None:
    assert values("二氧化硫、氮氧化物排放量分别降低4%、6.5%。") == [(-4.0, -4.0, "%"), (-6.5, -6.5, "%")]


def test_decrease_range_keeps_low_below_high() -> None:
    f = one("单位产值能耗下降3%-5%。")
    assert (f.value_low, f.value_high) == (-5.0, -3.0)


def test_an_amount_reduced_is_a_negative_change() -> None:
    # SCHEMA: a stated decrease (下降/减少/降低) of a change figure is negative, whatever its unit.
    assert one("垃圾填埋量减少6万吨。").value_low == -6.0
    assert one("赤字规模比上年预算减少1500亿元。").value_low == -1500.0
    assert one("减少区直部门5个。").value_low == -5.0


def test_a_count_of_who_a_decrease_serves_stays_positive() -> None:
    assert one("降低900多万个体工商户税负。").value_low == 900.0
    assert one("垃圾源头减量6.41万吨。").value_low == 6.41


# --- lists and carried subjects ------------------------------------------------------------------------------

def test_urban_rural_list_gives_each_value_its_subject() -> None:
    found = figures("城乡居民人均可支配收入分别增长4.3%、5.5%。")
    assert [(f.value_low, f.metric_name, f.metric_code) for f in found] == [
        (4.3, "城镇居民人均可支配收入", "urban_income_growth"), (5.5, "农村居民人均可支配收入", "rural_income_growth")]


def test_level_then_growth_of_one_subject() -> None:
    level, growth = figures("全年固定资产投资478.02亿元、增长14.8%。")
    assert (level.metric_code, growth.metric_code) == ("fixed_asset_investment", "fixed_asset_investment_growth")
    assert growth.metric_name == "全年固定资产投资" or growth.metric_name == level.metric_name


def test_subject_carried_to_the_next_clause() -> None:
    first, second = figures("地区生产总值增长5%，并力争达到6%以上。")
    assert (first.metric_code, second.metric_code) == ("gdp_growth", "gdp_growth")
    assert (second.value_low, second.comparator) == (6.0, "at_least")


def test_count_subject_after_the_number() -> None:
    assert one("加快推进15所中小学新改扩建。").metric_name == "中小学新改扩建"


# --- catalog ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    ("全市地区生产总值达到3200亿元。", "gdp"),
    ("GDP增长5.5%。", "gdp_growth"),
    ("全省生产总值增长6%左右。", "gdp_growth"),
    ("地方一般公共预算收入增长3%。", "general_budget_revenue_growth"),
    ("一般公共预算收入完成88亿元。", "general_budget_revenue"),
    ("社会消费品零售总额增长7%。", "retail_sales_growth"),
    ("社会消费品零售总额达到900亿元。", "retail_sales"),
    ("城镇新增就业3.2万人。", "new_urban_jobs"),
    ("城镇调查失业率5.5%左右。", "unemployment_surveyed"),
    ("居民消费价格涨幅3%左右。", "cpi_growth"),
    ("研发投入强度达到3.2%。", "rd_intensity"),
    ("研发经费支出相当于GDP比例达2.8%。", "rd_intensity"),
    ("规上工业增加值增长7%。", "industrial_value_added_growth"),
    ("工业增加值占GDP比重达30%。", "industrial_value_added_share"),
    ("进出口总额增长8%。", "foreign_trade_growth"),
    ("PM2.5年均浓度降至25微克/立方米。", "pm25"),
    ("空气质量优良天数比例达到92%。", "air_quality_good_days_ratio"),
    ("单位GDP能耗下降3%。", "energy_intensity_change"),
    ("粮食产量稳定在60万吨以上。", "grain_output"),
])
def test_catalog_codes(text: str, code: str) -> None:
    assert one(text).metric_code == code


@pytest.mark.parametrize("text", [
    "“两新”产业增加值占GDP比重达40%。",
    "重点民生支出占一般公共预算支出80%。",
    "GDP增速提高0.5个百分点。",                # percentage points are not a growth rate
])
def test_catalog_does_not_overmatch(text: str) -> None:
    assert one(text).metric_code is None


# --- kind and period -------------------------------------------------------------------------------------

def test_review_and_plan_sections() -> None:
    text = ("一、2023年工作回顾\n全区地区生产总值增长5.2%，新建学校6所。\n"
            "二、2024年工作安排\n地区生产总值增长5%左右，新建学校8所。")
    found = figures(text, 2024)
    assert [(f.value_low, f.kind, f.period_year) for f in found] == [
        (5.2, "actual", 2023), (6.0, "actual", 2023), (5.0, "target", 2024), (8.0, "target", 2024)]


def test_review_paragraph_without_heading() -> None:
    text = "过去一年，地区生产总值增长5.2%。\n新建学校6所，改造道路12条。\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。"
    found = figures(text, 2024)
    assert [(f.kind, f.period_year) for f in found] == [
        ("actual", 2023), ("actual", 2023), ("actual", 2023), ("target", 2024)]


@pytest.mark.parametrize(("text", "kind", "period"), [
    ("力争到2026年GDP突破1000亿元。", "target", 2026),
    ("今年新建5G基站300座。", "target", 2024),
    ("明年新建公园12个。", "target", 2025),
    ("到二〇二七年建成充电桩500个。", "target", 2027),
    ("“十五五”期间地区生产总值年均增长6%。", "target", 2030),
    ("未来5年将基金规模扩充到2亿元。", "target", 2029),
    ("分三年推动实施62个重点项目。", "target", 2026),
    ("1-10月，全市规上工业增加值同比增长5.2%。", "actual", 2024),
    ("去年全市新增企业1200家。", "actual", 2023),
    ("今年以来，全市规上工业增加值同比增长6%。", "actual", 2024),
    ("1-9月，全市完成年度目标的80.5%。", "actual", 2024),
    ("到2027年，全区建成区面积扩大到70平方公里。", "target", 2027),
])
def test_kind_and_period_cues(text: str, kind: str, period: int) -> None:
    f = one(text)
    assert (f.kind, f.period_year) == (kind, period)


def test_target_cue_carries_across_a_paragraph() -> None:
    found = figures("2024年，本区将新建学校6所。改造道路12条。", 2024)
    assert [(f.kind, f.period_year) for f in found] == [("target", 2024), ("target", 2024)]


def test_a_target_year_carries_to_the_next_sentences_of_its_paragraph() -> None:
    found = figures("到2030年，全市森林覆盖率稳定在45%以上；城镇化率达到75%。五年新增高新技术企业2500家，"
                    "累计改造老旧小区800个。", 2025)
    assert [(f.kind, f.period_year) for f in found] == [("target", 2030)] * 4


def test_a_plan_name_does_not_carry_to_this_years_targets() -> None:
    found = figures("今年是“十五五”规划开局之年。今年全市地区生产总值增长5%左右；城镇新增就业5万人。", 2026)
    assert [(f.kind, f.period_year) for f in found] == [("target", 2026)] * 2


def test_a_past_plan_period_is_reviewed() -> None:
    found = figures("“十四五”时期，全市建成5G基站2.6万个。五年累计完成固定资产投资1.8万亿元。", 2025)
    assert [(f.kind, f.period_year) for f in found] == [("actual", 2025)] * 2


def test_from_year_to_year_values_are_actuals_of_those_years() -> None:
    found = figures("五年来，全市地区生产总值从2020年的4520亿元增加到2025年预计的6100亿元，年均增长6.2%。", 2025)
    assert [(f.kind, f.period_year, f.metric_code) for f in found] == [
        ("actual", 2020, "gdp"), ("actual", 2025, "gdp"), ("actual", 2025, "gdp_growth")]


def test_a_comparison_base_year_is_not_the_period() -> None:
    f = figures("一、2022年工作回顾\nPM2.5年均浓度降至35微克/立方米，较2017年下降27%。", 2023)[-1]
    assert (f.value_low, f.period_year) == (-27.0, 2022)


def test_unknown_report_year_is_read_from_the_outline_never_guessed() -> None:
    f = one("各位代表：\n一、2023年工作回顾\n二、2024年工作安排\n今年新建学校6所。", None)
    assert (f.kind, f.period_year) == ("target", 2024)
    assert one("本届政府1998年3月就职。\n今年新建学校6所。", None).period_year is None


def test_glossary_is_not_read() -> None:
    assert figures("今年新建学校6所。\n附件\n名词解释\n独角兽：估值超过10亿美元的企业。") != []
    assert all(f.value_low == 6.0 for f in figures("今年新建学校6所。\n附件\n名词解释\n独角兽：估值超过10亿美元的企业。"))


# --- not figures ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "会议于6月24日召开。",
    "2022年是关键之年。",
    "第十七届人民代表大会第二次会议。",
    "（一）推进产业发展。",
    "实施“十四五”规划和“3+2”产业体系。",
    "建设5G网络和3D打印产业园，1906科技园提质。",
    "全面复盘“10·22”疫情防控。",
    "拨打12345热线，联系电话020-87006626。",
    "创建国家5a级旅游景区。",
    "推动PM2.5、PM10全面达标。",
    "连续3年全市第一，未来5年持续发力。",
    "面向3岁以下婴幼儿家庭。",
    "打造“15分钟生活圈”。",
    "地铁10号线建成通车。",
    "提供7×24小时服务。",
    "落实促进外资高质量发展20条。",
    "出台稳增长若干措施30条，制定稳外贸10条措施。",
    "严格落实自治区28条配套规定，出台10条具体措施。",
    "为65岁以上老年人免费体检，60岁及以上人群优先。",
    "营商环境评价位列全省第2位。",
    "开通民生热线2345678。",
    "公报共分为六个部分。",
    "二级以上公立医院推行结果互认。",
    "2025年1月14日在江淮省第十四届人民代表大会第三次会议上",
    "1.产业发展提质增效。",
])
def test_not_figures(text: str) -> None:
    assert figures(text) == [], [(f.value_text, f.unit) for f in figures(text)]


# --- offsets, duplicates, qualitative ----------------------------------------------------------------------

def test_offsets_point_into_the_text() -> None:
    text = "一、工作回顾\n全区新增就业2.21万人；空气质量优良率80.3%。"
    for f in figures(text):
        assert text[f.sentence_start:f.sentence_start + len(f.sentence)] == f.sentence
        assert f.value_text in text[f.start:f.end]
        assert f.value_text in f.sentence
        assert f.sentence_start <= f.start < f.end <= f.sentence_start + len(f.sentence)


def test_sentences_split_at_semicolons_and_newlines() -> None:
    a, b = figures("新建学校6所；改造道路12条\n新增公园3个", 2024)[:2]
    assert (a.sentence, b.sentence) == ("新建学校6所", "改造道路12条")


def test_same_figure_repeated_is_one_with_mention_count() -> None:
    found = figures("到2026年GDP突破1000亿元。\n桂城提出，到2026年GDP突破1000亿元。", 2022)
    assert len(found) == 1 and found[0].mention_count == 2


def test_same_value_for_different_subjects_is_kept() -> None:
    assert len(figures("新建学校6所，新建医院6所。")) == 2


def test_robust_to_html_tags() -> None:
    f = one("<p>新建<strong>学校</strong>6所。</p>")
    assert (f.value_low, f.unit) == (6.0, "所")


def test_qualitative_targets() -> None:
    ex = extract("今年主要预期目标是：地区生产总值增长5%；居民收入增长与经济增长同步；完成节能减排目标任务。",
                 2024, default_reference())
    assert [f.metric_code for f in ex.figures] == ["gdp_growth"]
    assert [(q.subject, q.kind, q.period_year) for q in ex.qualitative] == [
        ("居民收入增长与经济增长同步", "target", 2024), ("完成节能减排目标任务", "target", 2024)]


def test_a_past_year_in_news_is_an_actual() -> None:
    f = one("2023年，全市实现地区生产总值1200亿元。", 2024)
    assert (f.kind, f.period_year, f.metric_code) == ("actual", 2023, "gdp")


def test_a_level_reached_is_not_a_growth_rate() -> None:
    f = one("粮食产量增长到60万吨。")
    assert (f.metric_code, f.value_low) == ("grain_output", 60.0)


def test_a_change_of_a_level_is_not_the_level() -> None:
    level, change = figures("细颗粒物平均浓度28微克/立方米，比上年下降2微克/立方米。")
    assert (level.metric_code, change.metric_code, change.value_low) == ("pm25", None, -2.0)


def test_units_for_trains_and_ages() -> None:
    assert values("中欧班列开行1860列。") == [(1860.0, 1860.0, "列")]
    assert values("人均预期寿命达到82岁。") == [(82.0, 82.0, "岁")]


@pytest.mark.parametrize(("text", "code"), [
    ("一般公共预算收入同口径增长5.6%。", "general_budget_revenue_growth"),
    ("研发经费投入强度力争达到2.5%。", "rd_intensity"),
    ("地区生产总值从2017年的286亿元增加到2022年的425亿元。", "gdp"),
])
def test_cue_words_and_years_inside_the_subject(text: str, code: str) -> None:
    assert {f.metric_code for f in figures(text)} == {code}


@pytest.mark.parametrize(("text", "name", "code"), [
    ("着力提高全社会研发经费投入强度达到2.8%。", "全社会研发经费投入强度", "rd_intensity"),
    ("持续巩固提升空气质量优良天数比例达到90%以上。", "空气质量优良天数比例", "air_quality_good_days_ratio"),
    ("深入实施提振消费专项行动力争社会消费品零售总额突破5400亿元。", "社会消费品零售总额", "retail_sales"),
    ("全省生产总值迈上5万亿元台阶。", "全省生产总值", "gdp"),
])
def test_segmenter_trims_leading_verbs_to_the_catalog_noun(text: str, name: str, code: str) -> None:
    f = one(text)
    assert (f.metric_name, f.metric_code) == (name, code)
    assert text[f.start:f.end].startswith(name)


def test_segmenter_dictionary_loads_once_per_reference() -> None:
    from transforms.segment import segmenter
    ref = default_reference()
    assert segmenter(ref) is segmenter(ref)


@pytest.mark.parametrize(("text", "name"), [
    ("审批材料压缩率34.2%。", "审批材料压缩率"),
    ("排水单元达标比例87%。", "排水单元达标比例"),
])
def test_segmenter_keeps_the_heuristic_subject_without_a_catalog_match(text: str, name: str) -> None:
    f = one(text)
    assert f.metric_name == name and f.metric_code is None


# --- number forms seen in real text (issue 10) --------------------------------------------------------------

@pytest.mark.parametrize(("text", "low", "high"), [
    ("国内生产总值增长-2.1%。", -2.1, -2.1),
    ("居民消费价格涨幅为−0.3%。", -0.3, -0.3),
    ("出口增长－0.5%。", -0.5, -0.5),
    ("工业品出厂价格下降-1.2%。", -1.2, -1.2),  # a minus as written is the sign; 下降 does not flip it back
    ("利润增幅在-1%至2%之间。", -1.0, 2.0),
    ("价格指数变动-1%～-0.5%。", -1.0, -0.5),
])
def test_a_minus_after_a_word_is_a_sign(text: str, low: float, high: float) -> None:
    f = one(text)
    assert (f.value_low, f.value_high) == (low, high)
    assert f.value_text in f.sentence and f.value_text.lstrip("-−－")[0].isdigit()


def test_a_signed_growth_keeps_its_catalog_code() -> None:
    f = one("全市地区生产总值增长-2.1%。")
    assert (f.metric_code, f.value_low, f.value_text) == ("gdp_growth", -2.1, "-2.1%")


@pytest.mark.parametrize("text", [
    "2023-05-08召开会议。", "编号A-5号。", "实施2021-2025年行动计划。", "4.5%-5%", "新增2-3家。",
])
def test_a_dash_after_a_number_or_letter_is_no_minus(text: str) -> None:
    assert all(f.value_low >= 0 for f in figures(text))


@pytest.mark.parametrize("plan", ["十五", "“十五”", "九五", "“九五”", "八五", "十一五", "“十一五”", "十二五", "\"十二五\"",
                                  "十三五", "十四五", "“十五五”", "十五五"])
@pytest.mark.parametrize("rest", ["计划顺利完成。", "期间经济平稳增长。", "时期主要任务全面完成。", "规划纲要提出明确要求。",
                                  "期末基本实现目标。"])
def test_plan_names_are_never_figures(plan: str, rest: str) -> None:
    assert figures(plan + rest) == []


@pytest.mark.parametrize("text", [
    "“十二五”时期地区生产总值年均增长9%。", "十五期间新建学校15所。", "较十一五末提高5个百分点。", "十二五期间完成投资5000亿元。",
])
def test_a_plan_name_beside_a_figure_is_not_read(text: str) -> None:
    f = one(text)
    assert not any(c in f.value_text for c in "十九八")


@pytest.mark.parametrize(("text", "low", "unit"), [
    ("建设两所学校。", 2.0, "所"),
    ("新建两所中学，改扩建3所小学。", 2.0, "所"),
    ("成立四家金融资产管理公司。", 4.0, "家"),
    ("建成三个产业园区。", 3.0, "个"),
    ("落实十个全覆盖工程。", 10.0, "个"),
    ("完成二十三项改革任务。", 23.0, "项"),
    ("启动金星村等四个村的改造。", 4.0, "个"),
    ("超十五个项目开工。", 15.0, "个"),
    ("新增就业二十多万人。", 20.0, "万人"),
    ("占比提高两个百分点。", 2.0, "个百分点"),
    ("教育经费所占比例每年提高一个百分点。", 1.0, "个百分点"),
])
def test_chinese_numerals_counting_things(text: str, low: float, unit: str) -> None:
    f = figures(text)[0]
    assert (f.value_low, f.unit) == (low, unit)
    assert f.value_text in f.sentence


@pytest.mark.parametrize("text", [
    "打造一个中心，建设一批项目，实施一项工程。", "坚持两个毫不动摇，统筹国内国际两个大局。", "严格落实中央八项规定。",
    "从政治、思想、作风、制度、能力五个方面整改。", "推动三次产业融合发展。", "扶持三元、麦福劳等乳业企业。",
    "加强与中山大学、电子七所等大院大所合作。", "我们要用百倍的努力。", "走进千家万户。", "亩产每千克提高。",
    "实施两年，连续三年，压缩到三个月。", "党的十五大和十五届三中全会，区委十四届七次全委会。", "保持两位数增长。",
    "“两个中心”建设，“三个代表”重要思想。",
])
def test_chinese_numerals_that_count_nothing(text: str) -> None:
    assert figures(text) == [], [(f.value_text, f.unit) for f in figures(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("城镇登记失业率为百分之五。", 5.0), ("增长百分之三十五点五。", 35.5), ("不良贷款率千分之五。", 0.5),
    ("内设机构精简四分之一。", 25.0), ("内设机构精简1／4。", 25.0),
])
def test_shares_in_words_are_percent(text: str, value: float) -> None:
    f = one(text)
    assert (f.value_low, f.unit) == (value, "%")


def test_a_fraction_is_a_percent_of_the_whole() -> None:
    f = one("企业、社会、财政各负担三分之一。")
    assert (round(f.value_low, 4), f.unit, f.value_text) == (33.3333, "%", "三分之一")


@pytest.mark.parametrize(("text", "low", "unit", "base"), [
    ("人均预期寿命达到78.3岁。", 78.3, "岁", "岁"),
    ("劳动年龄人口平均受教育年限达到10.5年。", 10.5, "年", "年"),
    ("农村土地承包期再延长30年。", 30.0, "年", "年"),
    ("民航起降5.2万架次。", 5.2, "万架次", "架次"),
    ("接待游客320万人次。", 320.0, "万人次", "人次"),
    ("土壤有机质含量达到25克/千克。", 25.0, "克/千克", "克/千克"),
    ("人均每日食盐摄入量控制在5克。", 5.0, "克", "吨"),
    ("粮食亩产450千克。", 450.0, "千克", "吨"),
    ("牧业年度牲畜头数16.4万头（只）。", 16.4, "万头", "头"),
    ("推广高效照明灯具1.5亿只。", 1.5, "亿只", "只"),
    ("为1467位老年人发放补贴。", 1467.0, "位", "名"),
    ("粮食产量达到1.2万亿斤。", 1.2, "万亿斤", "吨"),
    ("审批时限压缩到3个月。", 3.0, "个月", "月"),
])
def test_units_seen_in_real_reports(text: str, low: float, unit: str, base: str) -> None:
    f = one(text)
    assert (f.value_low, f.unit, f.base_unit) == (low, unit, base)


def test_years_of_schooling_are_a_catalog_level_in_years() -> None:
    f = one("劳动年龄人口平均受教育年限达到10.5年。")
    assert (f.metric_code, f.value_low, f.unit) == ("avg_schooling_years", 10.5, "年")


def test_a_unit_in_parentheses_is_an_alternative_name() -> None:
    assert one("牲畜存栏14万头（只）。").value_text == "14万头（只）"


@pytest.mark.parametrize("text", [
    "2024年经济平稳运行。", "实施2021-2025年行动计划。", "连续5年增产，经过25年努力。", "２００２年达到目标。",
    "位居全国前3位。",
])
def test_years_and_ranks_are_not_figures(text: str) -> None:
    assert figures(text) == [], [(f.value_text, f.unit) for f in figures(text)]


@pytest.mark.parametrize(("text", "value"), [
    ("城乡居民收入比缩小到2.1∶1。", 2.1), ("城乡居民收入比为2.5:1。", 2.5), ("出生人口性别比为105∶100。", 1.05),
])
def test_ratios(text: str, value: float) -> None:
    f = one(text)
    assert (f.value_low, f.unit) == (value, "")
    assert f.value_text in f.sentence


@pytest.mark.parametrize("text", ["会议于上午8:30开始。", "按1∶1比例配套资金。", "提供24/7服务。", "2023/2024年度。"])
def test_times_and_unnamed_proportions_are_not_ratios(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(("text", "low", "unit"), [
    ("经济增长８.５％。", 8.5, "％"), ("人口自然增长率为１０．０６‰。", 10.06, "‰"), ("财政收入达到１．５万亿元。", 1.5, "万亿元"),
])
def test_full_width_digits_and_points(text: str, low: float, unit: str) -> None:
    f = one(text)
    assert (f.value_low, f.unit) == (low, unit)


@pytest.mark.parametrize("text", [
    "家庭电视机普及率达到8 5 ％以上。", "人口自然增长率下降到1 0 ．0 6 ‰。", "增长1\u200b0.5%。", "粮食产量4 9 2 5 0 万吨。",
])
def test_a_number_spaced_out_is_never_read_in_pieces(text: str) -> None:
    assert figures(text) == [], [(f.value_text, f.unit) for f in figures(text)]


def test_per_unit_bases_are_not_figures() -> None:
    assert values("小麦最低收购价每50公斤提高7.4元。") == [(7.4, 7.4, "元")]


@pytest.mark.parametrize(("text", "low", "unit"), [
    ("新增510万沼气用户。", 510.0, "万户"), ("降低900多万个体工商户税负。", 900.0, "万户"),
    ("全年组织2100万城乡劳动者参加培训。", 2100.0, "万人"),
])
def test_implicit_households_and_people(text: str, low: float, unit: str) -> None:
    f = one(text)
    assert (f.value_low, f.unit) == (low, unit)


def test_fen_and_mao_are_money_only_in_a_price() -> None:
    assert values("早籼稻、中晚籼稻、粳稻每斤分别提高3分、5分和1毛钱。") == [(3.0, 3.0, "分"), (5.0, 5.0, "分"), (1.0, 1.0, "毛")]
    f = one("小麦每斤提高3分钱。")
    assert (f.value_text, f.value_base_low, f.base_unit) == ("3分钱", 0.03, "元")
    assert figures("考核得分85分，排名全市第一。") == []
