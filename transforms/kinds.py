"""Target vs actual, the period year and the basis of one figure: cue lexicons and year expressions.

The report's sections (review, plan, plan outline) are read in outline.py; these cues decide where a report has
no outline and where a figure's own sentence overrides its section.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from .numbers import PLAN_NAME_RE, YEAR_RE, parse_chinese

_TARGET_CUE = rf"力争|争取|预期|预计(?!的)|目标(?!的)|确保|计划|将|拟|今年(?!以来)|明年|全年|努力|力促|要|到{YEAR_RE}年(?!(?:预计)?的)"
_ACTUAL_CUE = (r"以来|(?<![0-9])(?:[1-9]|1[0-2])[-—–至～~](?:[1-9]|1[0-2])月|前三季度|"
               r"同比|比上年|较上年|去年|上年(?!均)|过去一年|过去的一年|一年来|五年来|过去五年|已经|已|截至|截止|实现了|完成了|达到了")
KIND_CUES = re.compile(f"(?P<target>{_TARGET_CUE})|(?P<actual>{_ACTUAL_CUE})")
# Basis cues: 年均增长 (not PM2.5年均浓度, a level), and totals over a span (五年累计, 共计).
AVERAGE_CUE = re.compile(r"年均(?!浓度|值|气温|降水)|平均每年|每年平均|年平均(?!浓度|值|气温|降水)")
CUMULATIVE_CUE = re.compile(r"累计|累积|合计|共计|总计|[两三四五六七八九十0-9]年(?:来)?(?:共|新增|累计)")

# A target recalled in a review (SCHEMA.md: a goal is a target; what a review reports achieved is an actual): a number
# before 目标/计划 that the review compares with (高于年初确定的11%的预期目标), exceeded (超额完成…26亿元的目标) or did not
# meet (没有实现…降低4%左右…的目标), or kept within (控制在4.5%的目标以内) is the target of the year reviewed, and so is one from a target the review quotes
# (年初确定的…10%的目标 left unmet, 去年报告提出，物价涨幅要…降到10%左右); one it says was met (实现了…500元的目标) is
# the level reached, an actual.
_RECALL_NOUN = re.compile(r"[^，,。；;：:！？!?]{0,20}?(?:的|之)?(?:年初|预定|预期|调控|年度|奋斗|既定)?(?:目标|计划)"
                          r"(?=[^\u4e00-\u9fff]|$|以内|之内|以下|顺利|全面|圆满|如期|提前|已|均|基本|得以|没有|未)")
COMPARED_WITH = "低于|高于|超过|超出|好于|快于|慢于"  # a result set against a target (低于…的预定目标)
_AGAINST = re.compile(rf"(?:没有|没能|未能|尚未|未)(?:能)?(?:实现|完成|达到)|{COMPARED_WITH}|超额|控制在")
_MET = re.compile(r"实现|完成|达到|达成")
_QUOTED_TARGET = re.compile(r"年初|原定|预定|人代会|人大[^，,。；;]{0,12}(?:确定|通过)|(?:确定|提出|下达|制定)的")
_QUOTED_PLAN = re.compile(r"(?:去年|年初|上年)[^。；;]{0,24}(?:提出|确定|要求)[，,：:][^。；;]*?(?:要|力争|争取|确保)"
                          r"(?![^。；;]*?实际)")
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?]")
_CN_NUM = "一二两三四五六七八九十"
_COMPARED = re.compile(r"[比较与同]$")
YEAR_CUES = re.compile(
    rf"(?<![较比与是])(?P<to>到|至|于)?(?P<year>{YEAR_RE})年(?!度|不变价|价格)(?P<of>(?:预计)?的)?"
    r"|(?P<to2>到|至)?(?P<cnyear>二[〇○零][〇○零一二三四五六七八九]{2})年"
    rf"|(?<![较比与是])(?<![较比与是][“\"])(?P<plan>{PLAN_NAME_RE})[”\"’]?(?:规划|计划)?(?P<planend>末|期末|期间|时期)?"
    rf"|(?P<future>未来)?(?P<prefix>分|用)?(?<![0-9连续近第每多])(?P<n>[1-9]|[{_CN_NUM}]{{1,2}})年(?P<suffix>内|将|行动|时间|间)?"
    r"|(?P<this>今年|全年|年内|年底|本年)|(?P<next>明年)|(?P<last>去年|上年(?!均))"
)


@dataclass(frozen=True)
class YearCue:
    """A year expression at a text offset, resolved against the current year when applied.

    kind: absolute (2022年, 增加到2025年的), to (到2027年, 十五五期末), period (十四五时期: the years up to its end),
    plan (a bare plan name: 十五五规划), offset (今年, 明年), within (全年, 年内, 年底, 今年以来: the year in view),
    span (an n-year window from now: 三年内, 五年新增), last (去年, 上年; not 比上年, a comparison base).
    """

    pos: int
    kind: Literal["absolute", "to", "period", "plan", "offset", "within", "span", "last"]
    value: int


def plan_years(name: str) -> tuple[int, int] | None:
    """The five years of a plan period named like 九五, 十五, 十一五, 十五五 (None if not one)."""
    if not name.endswith("五") or len(name) < 2:
        return None
    number = parse_chinese(name[:-1])
    if number is None or not 6 <= number <= 17:
        return None
    first = 1951 + 5 * int(number)  # 九五 = 1996–2000, 十四五 = 2021–2025
    return first, first + 4


def year_cues(text: str, start: int, end: int, quoted: "QuoteSpans") -> list[YearCue]:
    """Year expressions in text[start:end] (outside quoted names), in order."""
    cues: list[YearCue] = []
    for m in YEAR_CUES.finditer(text, start, end):
        if quoted.covers(m.start()) and not m.group("plan"):
            continue
        if m.group("year") or m.group("cnyear"):
            raw = m.group("year") or m.group("cnyear")
            year = int(raw) if m.group("year") else int(parse_chinese(raw) or 0)
            to = m.group("to") or m.group("to2")
            cues.append(YearCue(m.start(), "to" if to and not m.group("of") else "absolute", year))
        elif m.group("plan"):
            span = plan_years(m.group("plan"))
            if span is None:
                continue
            end_year = span[1]
            span_kind = {None: "plan", "末": "to", "期末": "to"}.get(m.group("planend"), "period")
            cues.append(YearCue(m.start(), span_kind, end_year))
        elif m.group("n"):
            n_raw = m.group("n")
            n = int(n_raw) if n_raw.isdigit() else int(parse_chinese(n_raw) or 0)
            if not 1 <= n <= 15:
                continue
            whole_years_ahead = m.group("future") or m.group("suffix") in ("内", "将")
            cues.append(YearCue(m.start(), "span", n if whole_years_ahead else n - 1))
        elif m.group("this"):
            # 今年 is the report's year; 全年/年内/年底 the year the passage is about (the year reviewed, in a review)
            this_year = m.group("this") == "今年" and not text.startswith("以来", m.end())
            cues.append(YearCue(m.start(), "offset" if this_year else "within", 0))
        elif m.group("next"):
            cues.append(YearCue(m.start(), "offset", 1))
        elif not _COMPARED.search(text, max(start, m.start() - 1), m.start()):  # 比上年: a comparison base
            cues.append(YearCue(m.start(), "last", -1))
    return cues


class QuoteSpans:
    """Short quoted names (“3+2”, 《规划》) whose digits are never figures."""

    _QUOTE = re.compile(r"“[^“”\n]{1,30}”|《[^《》\n]{1,40}》|\"[^\"\n]{1,30}\"|「[^「」\n]{1,30}」")

    def __init__(self, text: str) -> None:
        spans = [(m.start(), m.end()) for m in self._QUOTE.finditer(text)]
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    def covers(self, pos: int) -> bool:
        """True if pos lies inside a quoted name."""
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]


def last_cue_kind(text: str, start: int, end: int) -> str | None:
    """The kind ("target"/"actual") signalled by the last cue word in text[start:end], if any."""
    kind = None
    for m in KIND_CUES.finditer(text, start, end):
        kind = m.lastgroup
    return kind


def resolve_year(cue: YearCue, base: int | None) -> int | None:
    """The year a cue points at, relative to the base (current) year for 今年/明年/三年内/去年."""
    if cue.kind in ("absolute", "to", "period", "plan"):
        return cue.value
    if base is None:
        return None
    return base + cue.value


def recalled_target(text: str, sentence_start: int, pos: int, end: int, restated: bool = False) -> bool:
    """True if the figure at text[pos:end], read as an actual of a review, is a target the review recalls (see
    _RECALL_NOUN above): the year reviewed is its period, its kind target. restated: the sentence already gave the
    actual of the same measure (增长9%，实现了年初确定的增长8%的目标), so even a target it says was met is the target."""
    clause_lo = pos
    while clause_lo > sentence_start and not _CLAUSE_END.match(text, clause_lo - 1):
        clause_lo -= 1
    before = text[clause_lo:pos]
    noun = _RECALL_NOUN.match(text, end)
    if noun is None:
        quoted = _QUOTED_PLAN.search(text, sentence_start, pos)
        return quoted is not None and quoted.end() > clause_lo
    if _AGAINST.search(before):
        return True
    if not _QUOTED_TARGET.search(before):
        return False
    if restated:
        return True
    if _MET.search(before):
        return False
    after = text[noun.end():noun.end() + 8]
    return not (_MET.search(after) and not _AGAINST.search(after))
