"""Properties of the extractor on random text and random numeric phrases (hypothesis)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.clean import clean_document
from transforms.extract import extract
from transforms.models import Extraction, RawDocument
from transforms.reference import default_reference

REF = default_reference()

_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_NOISE = st.sampled_from(list("，。；、：（）“”《》\n -—%％‰.,0123456789０１２３４５６７８９万亿千百十两〇○<>/"))
_TEXT = st.text(alphabet=st.one_of(_CJK, _NOISE), max_size=200)

_SUBJECTS = st.sampled_from(["地区生产总值", "新增就业", "固定资产投资", "一般公共预算收入", "新建学校", "城镇调查失业率",
                             "单位GDP能耗", "“两新”产业", "PM2.5", "全区"])
_VERBS = st.sampled_from(["", "增长", "下降", "达到", "完成", "力争", "超", "约", "近", "不少于", "控制在", "分别增长"])
_NUMBERS = st.one_of(
    st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}"),
    st.sampled_from(["千", "百", "两", "十五", "三", "１２．５"]),
)
_UNITS = st.sampled_from(["%", "％", "个百分点", "‰", "亿元", "万元", "万亿元", "万人", "家", "个", "所", "平方米", "万平方米",
                          "微克/立方米", "倍", "年", "月", "日", "", "G", "号线"])
_SEPARATORS = st.sampled_from(["", "-", "—", "至", "到", "~", "、"])
_SUFFIXES = st.sampled_from(["", "以上", "以内", "左右", "多", "余", "级"])


@st.composite
def numeric_phrases(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        second = draw(_NUMBERS) if draw(st.booleans()) else ""
        sep = draw(_SEPARATORS) if second else ""
        unit = draw(_UNITS)
        parts.append(draw(_SUBJECTS) + draw(_VERBS) + draw(_NUMBERS) + (unit if sep else "") + sep + second + unit
                     + draw(_SUFFIXES))
    return draw(st.sampled_from(["，", "；", "。", "\n", "、"])).join(parts) + "。"


def _check(text: str, ex: Extraction) -> None:
    for f in ex.figures:
        assert f.value_low <= f.value_high
        assert text[f.sentence_start:f.sentence_start + len(f.sentence)] == f.sentence
        assert f.value_text and f.value_text in f.sentence
        assert 0 <= f.start < f.end <= len(text)
        assert f.value_text in text[f.start:f.end]
        assert f.kind in ("target", "actual")
        assert f.mention_count >= 1
        assert f.basis in ("annual", "average_annual", "cumulative")
        if f.basis == "annual":
            assert f.period_start_year == f.period_year
        elif f.period_start_year is not None and f.period_year is not None:
            assert f.period_start_year <= f.period_year
    for q in ex.qualitative:
        assert text[q.sentence_start:q.sentence_start + len(q.sentence)] == q.sentence
        assert text[q.start:q.end] == q.subject


@settings(max_examples=150, deadline=None)
@given(_TEXT, st.one_of(st.none(), st.integers(min_value=1990, max_value=2040)))
def test_random_text(text: str, year: int | None) -> None:
    _check(text, extract(text, year, REF))


@settings(max_examples=150, deadline=None)
@given(numeric_phrases(), st.one_of(st.none(), st.integers(min_value=1990, max_value=2040)))
def test_random_numeric_phrases(text: str, year: int | None) -> None:
    _check(text, extract(text, year, REF))


_PLAIN_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.decimals(min_value=0, max_value=10**5, places=2, allow_nan=False, allow_infinity=False).map(str),
)
_SPACED_UNITS = st.sampled_from(["%", "％", "‰", "亿元", "万人", "万吨", "平方米", "岁"])


def _spaced(number: str, point: str) -> str:
    """The number as a scrape spaces it out: a space after every half-width digit (and after a half-width point)."""
    return "".join(c + " " if c.isdigit() or c == "." else c for c in number.replace(".", point))


@settings(max_examples=150, deadline=None)
@given(_PLAIN_NUMBERS, _SPACED_UNITS, st.sampled_from([".", "．"]), st.sampled_from(["增长", "达到", "为", "率为"]))
def test_a_number_spaced_out_is_read_whole_or_not_at_all(number: str, unit: str, point: str, verb: str) -> None:
    text = "1 9 9 7 年全国经济指标" + verb + _spaced(number, point) + unit + "。"
    value = float(number)
    for f in extract(text, 1998, REF).figures:
        assert f.value_low in (value, 1997.0), (text, f.value_text)
    cleaned = clean_document(RawDocument(source_file="t.txt", text=text, fmt="txt")).text
    assert [f.value_low for f in extract(cleaned, 1998, REF).figures] == [value], (cleaned, text)


_LINES = st.sampled_from([
    "一、2023年工作回顾", "一、过去一年工作回顾", "一、“十四五”时期和2025年工作回顾", "二、2024年经济社会发展总体要求和政策取向",
    "二、“十五五”时期主要目标任务", "三、2026年重点工作（安排）", "（一）经济平稳增长", "附件", "过去一年，", "五年来，",
    "今年，", "未来五年，", "到2030年，", "刚刚过去的2025年，", "2009年，", "上半年，", "年均", "累计", "五年累计", "比上年",
    "比2010年", "由", "提高到", "“十一五”前四年", "三年来", "全年", "今年以来，"])


@st.composite
def outlined_reports(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        lines.append(draw(_LINES) + "".join(draw(st.lists(st.one_of(_LINES, numeric_phrases()), max_size=4))))
    return "各位代表：\n" + "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(outlined_reports(), st.one_of(st.none(), st.integers(min_value=1997, max_value=2030)))
def test_random_outlined_reports(text: str, year: int | None) -> None:
    _check(text, extract(text, year, REF))
