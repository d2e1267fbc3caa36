"""Target vs actual and the period year: report sections, cue lexicons and year expressions."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from .numbers import YEAR_RE, parse_chinese

Section = Literal["none", "review", "plan", "appendix"]

HEADING_MAX_CHARS = 40
_REVIEW_HEADING = re.compile(r"工作回顾|过去一年|过去的一年|过去五年|过去的五年|一年来|五年来|上年工作|工作总结")
_PLAN_HEADING = re.compile(r"工作安排|工作任务|工作部署|主要任务|预期目标|主要目标|目标任务|工作建议|今年工作|今年重点工作"
                           r"|今后五年|(?:19|20)\d{2}年(?:的)?(?:主要|重点)?(?:政府)?工作(?!报告|回顾|总结)")
# Paragraph openers that switch section even in a long line (过去一年，全市…; 今年经济社会发展的主要预期目标是…).
_REVIEW_OPENER = re.compile(r"^\W{0,3}(?:[一二三四五六七八九十]+[、.．])?\W{0,2}(?:过去一年|过去的一年|一年来|过去五年|过去的五年|五年来|回顾过去)")
_PLAN_OPENER = re.compile(r"^\W{0,3}(?:[一二三四五六七八九十]+[、.．])?\W{0,2}(?:今年(?:经济社会发展|全[市区省县]经济社会发展)?(?:的)?主要预期目标"
                          r"|今年政府工作|做好今年|今后五年)")
_YEAR_OPENER = re.compile(rf"^\W{{0,3}}({YEAR_RE})年(?:是|，|,)")
_APPENDIX_HEADING = re.compile(r"^\W*(?:附件|附录|名词解释|注释|附：|附:)")
_YEAR = re.compile(rf"(?<![0-9])({YEAR_RE})年")
# A dated year (2024年, 2024-03-) not led by 到/至 (a target year).
_DATED_YEAR = re.compile(rf"(?<![0-9到至])({YEAR_RE})(?:年(?!度)|[-/.](?:0?[1-9]|1[0-2])[-/.])")

_TARGET_CUE = r"力争|争取|预期|预计(?!的)|目标(?!的)|确保|计划|将|拟|今年(?!以来)|明年|全年|努力|力促|要|到(?:19|20)\d{2}年(?!(?:预计)?的)"
_ACTUAL_CUE = (r"以来|(?<![0-9])(?:[1-9]|1[0-2])[-—–至～~](?:[1-9]|1[0-2])月|前三季度|"
               r"同比|比上年|较上年|去年|上年|过去一年|过去的一年|一年来|五年来|过去五年|已经|已|截至|截止|实现了|完成了|达到了")
KIND_CUES = re.compile(f"(?P<target>{_TARGET_CUE})|(?P<actual>{_ACTUAL_CUE})")

_CN_NUM = "一二两三四五六七八九十"
YEAR_CUES = re.compile(
    r"(?<![较比与])(?P<to>到|至|于)?(?P<year>(?:19|20)\d{2})年(?!度)(?P<of>(?:预计)?的)?"
    r"|(?P<to2>到|至)?(?P<cnyear>二[〇○零][〇○零一二三四五六七八九]{2})年"
    r"|十(?P<plan>[四五六七])五[”\"]?(?:规划)?(?P<planend>末|期末|期间|时期)?"
    rf"|(?P<future>未来)?(?P<prefix>分|用)?(?<![0-9连续近第每多])(?P<n>[1-9]|[{_CN_NUM}]{{1,2}})年(?P<suffix>内|将|行动|时间|间)?"
    r"|(?P<this>今年|全年|年内|年底|本年)|(?P<next>明年)|(?P<last>去年|上年)"
)


@dataclass(frozen=True)
class YearCue:
    """A year expression at a text offset, resolved against the current year when applied.

    kind: absolute (2022年, 增加到2025年的), to (到2027年, 十五五期末), period (十四五时期: the years up to its end),
    plan (a bare plan name: 十五五规划), offset (今年, 明年), span (an n-year window from now: 三年内, 五年新增),
    last (去年, 上年).
    """

    pos: int
    kind: Literal["absolute", "to", "period", "plan", "offset", "span", "last"]
    value: int


def heading_section(line: str) -> tuple[Section, int | None] | None:
    """The section a short heading line opens (review/plan/appendix) and the year it names, else None."""
    if len(line) > HEADING_MAX_CHARS:
        return None
    if _APPENDIX_HEADING.search(line):
        return "appendix", None
    year_m = _YEAR.search(line)
    year = int(year_m.group(1)) if year_m else None
    if _REVIEW_HEADING.search(line):
        return "review", year
    if _PLAN_HEADING.search(line):
        return "plan", year
    return None


def opener_section(line: str, report_year: int | None) -> tuple[Section, int | None] | None:
    """The section a paragraph opens by its first words (过去一年，… / 今年的主要预期目标… / 2023年，…), else None."""
    if _REVIEW_OPENER.search(line):
        return "review", None
    if _PLAN_OPENER.search(line):
        return "plan", report_year
    m = _YEAR_OPENER.search(line) if report_year else None
    if m:
        year = int(m.group(1))
        if year == report_year - 1:
            return "review", year
        if year == report_year:
            return "plan", year
    return None


def guess_report_year(text: str, head_chars: int = 600) -> int | None:
    """A fallback report year: the first dated year near the top of the text that is not a target year."""
    m = _DATED_YEAR.search(text[:head_chars])
    return int(m.group(1)) if m else None


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
            end_year = {"四": 2025, "五": 2030, "六": 2035, "七": 2040}[m.group("plan")]
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
            cues.append(YearCue(m.start(), "offset", 0))
        elif m.group("next"):
            cues.append(YearCue(m.start(), "offset", 1))
        else:
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
