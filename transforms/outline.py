"""The outline of a report: sections read from its own headings and paragraph openers, each with a meaning.

An analyst reads a 政府工作报告 by its outline: the review (一、2023年工作回顾) reports actuals of the year
reviewed, the plan part (二、2024年工作安排) sets this year's targets, a plan outline (二、“十五五”时期主要目标任务)
sets targets for 2026–2030. Every figure inherits the meaning of the section it sits in (its kind and its span:
first and last year) unless a cue in its own sentence says otherwise (extract.py decides that).

Which section a heading (a line of at most 40 characters) or a paragraph opener (its first words, after
各位代表， or a ——lead phrase。) opens; R is the report year, Y a year written in the line:

| the line names                            | kind              | span        | e.g.                               |
|-------------------------------------------|-------------------|-------------|------------------------------------|
| 附件 / 附录 / 名词解释 / 注释              | skip (no figures) | –           | 附件：名词解释                      |
| a plan period (十五, “十一五” … 十五五)     | by years          | its 5 years | 一、“十四五”时期和2025年工作回顾   |
| one or more years Y                        | by years          | first–last Y| 一、2023年工作回顾; 二、2010年主要任务 |
| 过去一年 / 去年 / 一年来                    | actual            | R−1         | 一、过去一年工作回顾                |
| 上半年 / 前三季度 / 今年以来 (mid-year)     | actual            | R           | 一、上半年工作回顾                  |
| 过去五年 / 五年来                           | actual            | R−5 – R−1   | 五年来，…                          |
| 今年                                        | target            | R           | 二、今年主要任务; 今年，…            |
| 今后五年 / 未来五年                         | target            | R – R+4     | 未来五年，…                        |
| 到Y年 (opener)                              | target (Y<R: act.)| R – Y       | 到2030年，…                        |
| review words only (回顾, 工作总结)          | actual            | R−1         | 一、工作回顾                        |
| plan words only (工作安排, 主要任务 …)      | target            | R           | 二、主要任务                        |
| none of these (（一）经济平稳增长)          | keeps the section |             |                                    |

"By years": review words (回顾, 总结, 报告…工作) always mean actual; otherwise a span that ended before R is
reviewed (actual), one that starts at or after R is planned (target); a span around R (十四五 in a 2023 report)
and an unknown R leave it to plan words (安排, 任务, 部署, 要求, 目标, 建议, Y年的工作) → target. A heading that
names a review and then a plan (一、1998年工作回顾和1999年工作的总体要求) is read up to the plan words. Headings
count only with review or plan words (a bare 力争到2026年… line is a slogan), and a sub-heading（（一）…）only
when it also names a time (（一）2023年工作回顾, not （一）圆满完成全年目标任务); the document's first line, its
title, is not a heading.

Scope: a section holds until the next line that opens one; neutral headings change nothing, and neither does an
unnumbered words-only line that contradicts its section (主要目标任务圆满完成 inside a review). An opener that
agrees with the section it is in (五年来 inside a review) holds until the next such line; one that contradicts
it (过去一年 inside this year's tasks) holds for its own paragraph only. Inside a known section, a sentence that
opens with a time (…。过去一年，…) holds to the end of its paragraph; without an outline, sentences keep the
cue-based reading (kinds.py).

The report year can be read from the outline too (report_year_from_outline): the year after the first review,
or the first year planned; a 去年工作回顾 whose first paragraph opens with 2005年， reviews 2005.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .kinds import plan_years
from .numbers import PLAN_NAME_RE, YEAR_RE

SectionKind = Literal["target", "actual", "none", "skip"]

HEADING_MAX_CHARS = 40
_OPENER_CHARS = 40

_SKIP = re.compile(r"^\W*(?:附件|附录|名词解释|注释|附：|附:)")
_REVIEW_WORDS = re.compile(rf"回顾|总结|报告(?:{YEAR_RE}年|过去(?:的)?[一五]年)的?工作|过去(?:的)?[一五]年|[一五]年来|去年|上年工作")
_PLAN_WORDS = re.compile(r"安排|任务|部署|总体要求|政策取向|目标|建议|今年(?!以来)|今后|未来|重点工作"
                         rf"|{YEAR_RE}年(?:的)?(?:主要|重点)?(?:政府)?工作(?!报告|回顾|总结)")
# Years relative to the report year R in a heading: (pattern, first offset, last offset, kind).
_RELATIVE: tuple[tuple[re.Pattern[str], int, int, SectionKind], ...] = (
    (re.compile(r"上半年|前三季度|今年以来"), 0, 0, "actual"),  # a mid-year review: this year so far
    (re.compile(r"过去(?:的)?五年|五年来|这五年"), -5, -1, "actual"),
    (re.compile(r"过去(?:的)?一年|一年来|去年|上年|刚刚过去的一年"), -1, -1, "actual"),
    (re.compile(r"今后五年|未来五年|今后一个时期"), 0, 4, "target"),
    (re.compile(r"今年(?!以来)"), 0, 0, "target"),
)
# Openers name the time first: 过去一年，… / 今年是… / 今年经济社会发展的主要预期目标是… (not 今年1月, 今年以来).
_OPENER_RELATIVE: tuple[tuple[re.Pattern[str], int, int, SectionKind], ...] = (
    *_RELATIVE[:4],
    (re.compile(r"今年(?:是|，|,|的?(?:主要|经济社会|政府|工作|全[国省市区县]))"), 0, 0, "target"),
)
_NUMBERED = re.compile(r"^[\s\u3000]*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
_SUB_HEADING = re.compile(r"^[\s\u3000]*(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
_YEAR = re.compile(rf"(?<![0-9])({YEAR_RE})年(?!以来|以前|前)")
_TO_YEAR = re.compile(rf"(?:到|至)({YEAR_RE})年")
_OPENER_YEAR = re.compile(rf"(?:刚刚过去的|过去的)?({YEAR_RE})年(?:，|,|是|我们|[全我本][国省市区县州旗])")
# Plan periods: 八五 … 十五 … 十五五, named as numbers.PLAN_NAME_RE reads them (十五届 is not one).
_PLAN = re.compile(rf"[“\"]?({PLAN_NAME_RE})")
_OPENER_PREFIX = re.compile(r"^[\s\u3000]*(?:各位代表[，,：:！!]\s*)?(?:——[^。：:]{1,20}[。：:])?\s*"
                            r"(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)?\s*")
# A sentence inside a paragraph that opens with a time (…。过去一年，… / …。2010年，…) holds to the paragraph's end.
_SENTENCE_OPENER = re.compile(rf"[。！？；;]\s*(?=过去(?:的)?[一五]年|去年[，,]|[一五]年来|今年[，,是]|{YEAR_RE}年[，,是])")
_HEADING_HINT = re.compile(r"回顾|总结|报告|过去|年来|去年|上年|安排|任务|部署|要求|取向|目标|建议|今年|今后|未来|重点|工作"
                           r"|附|注释|名词")
# What an opener can start with (a cheap test before the full reading).
_OPENER_START = re.compile(r"过去|去年|上年|一年来|五年来|这五年|今后|未来|今年|刚刚|到|至|[12１２]|[“\"]?[六七八九十]")
_DIGIT_GAP = re.compile(r"(?<=[0-9])\s+(?=[0-9年])")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class Section:
    """A stretch of the report with one meaning: from offset start (inclusive) to end (exclusive)."""

    start: int
    end: int
    kind: SectionKind
    first_year: int | None
    last_year: int | None
    line: str = ""

    @property
    def spans_years(self) -> bool:
        """True for a multi-year section (a five-year review, a plan outline)."""
        return self.first_year is not None and self.last_year is not None and self.first_year < self.last_year


@dataclass(frozen=True)
class _Cue:
    """What one heading or opener says: kind, absolute years, or years relative to R."""

    kind: SectionKind
    first: int | None = None
    last: int | None = None
    rel: tuple[int, int] | None = None  # offsets from the report year when the years are relative
    words_only: bool = False  # no time named: 主要任务, 工作回顾

    def resolve(self, report_year: int | None) -> tuple[int | None, int | None]:
        if self.first is not None:
            return self.first, self.last
        if self.rel is not None and report_year is not None:
            return report_year + self.rel[0], report_year + self.rel[1]
        return None, None


def _normalise(line: str) -> str:
    return _DIGIT_GAP.sub("", line.translate(_FULLWIDTH))


def _years(line: str) -> tuple[int, int] | None:
    years: list[int] = []
    for m in _PLAN.finditer(line):
        span = plan_years(m.group(1))
        if span:
            years += span
    years += [int(y) for y in _YEAR.findall(line)]
    return (min(years), max(years)) if years else None


def _by_words(line: str) -> SectionKind:
    review, plan = _REVIEW_WORDS.search(line), _PLAN_WORDS.search(line)
    if review and (not plan or review.start() <= plan.start()):
        return "actual"
    return "target" if plan else "none"


def _read_cue(line: str, report_year: int | None, opener: bool) -> _Cue | None:
    """What a heading line (opener=False) or a paragraph's first words (opener=True) say, if anything.

    A cue of kind "none" with years names a time but not its meaning (2005年，… when R is unknown).
    """
    if not opener and _SKIP.search(line):
        return _Cue("skip")
    sub_heading = not opener and _SUB_HEADING.match(line) is not None
    words = "none" if opener else _by_words(line)
    review, plan = _REVIEW_WORDS.search(line), _PLAN_WORDS.search(line)
    if review and plan and review.end() <= plan.start():
        line = line[:plan.start()]  # 1998年工作回顾和1999年工作的总体要求: the review comes first
    if opener:
        to = _TO_YEAR.match(line)
        if to:
            year = int(to.group(1))
            if report_year is not None and year < report_year:  # 到2025年底，累计建成… in a 2026 report
                return _Cue("actual", year, year)
            return _Cue("target", report_year, year) if report_year else _Cue("target")
        year_m, plan_m = _OPENER_YEAR.match(line), _PLAN.match(line)
        years = ((int(year_m.group(1)),) * 2 if year_m
                 else plan_years(plan_m.group(1)) if plan_m else None)
    else:
        years = _years(line)
    if years is not None and (opener or words != "none"):
        first, last = years
        if words == "actual":  # 回顾 is never a plan, whatever year the metadata found
            return _Cue("actual", first, last)
        if report_year is not None and last < report_year:
            return _Cue("actual", first, last)
        if report_year is not None and first >= report_year:
            return _Cue("target", first, last)
        return _Cue(words, first, last)
    for pattern, lo, hi, kind in (_OPENER_RELATIVE if opener else _RELATIVE):
        if pattern.match(line) if opener else pattern.search(line):
            if opener or sub_heading or words != "none":
                return _Cue(kind, rel=(lo, hi))
    if words == "none" or sub_heading:  # （一）圆满完成全年目标任务 names no time: no section
        return None
    return _Cue(words, rel=(-1, -1) if words == "actual" else (0, 0), words_only=True)


def _opener_text(line: str) -> str:
    m = _OPENER_PREFIX.match(line)
    return line[m.end():m.end() + _OPENER_CHARS] if m else line[:_OPENER_CHARS]


def _is_heading(stripped: str) -> bool:
    """A heading is a short line that is not a sentence (一、2023年工作回顾; not 今年以来，…增长6%。)."""
    return len(stripped) <= HEADING_MAX_CHARS and not stripped.endswith("。")


def _line_cue(line: str, report_year: int | None) -> _Cue | None:
    stripped = line.strip()
    if not stripped:
        return None
    if _is_heading(stripped) and _HEADING_HINT.search(stripped):
        cue = _read_cue(_normalise(stripped), report_year, opener=False)
        if cue is not None:
            return cue
    opener = _opener_text(line)
    if not _OPENER_START.match(opener):
        return None
    return _read_cue(_normalise(opener), report_year, opener=True)


def outline(text: str, report_year: int | None) -> list[Section]:
    """The report's sections in order, covering the whole text (kind "none" where nothing is known)."""
    sections: list[Section] = []
    current = Section(0, 0, "none", None, None)
    resume: Section | None = None  # the section a contradicting opener interrupts for one paragraph
    pos = 0
    title = True
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not line or line.isspace():
            continue
        if title:
            title = False
            if _is_heading(line.strip()) and not _NUMBERED.match(line) and not _SUB_HEADING.match(line):
                continue  # a title (锚定2030年目标…) names the document, not a part of it
        if resume is not None:
            sections.append(_closed(current, start))
            current, resume = Section(start, start, resume.kind, resume.first_year, resume.last_year,
                                      resume.line), None
        cue = _line_cue(line, report_year)
        is_heading = _is_heading(line.strip())
        if cue is not None and cue.words_only and not _NUMBERED.match(line) and cue.kind != current.kind and (
                current.kind in ("target", "actual")):
            cue = None  # an unnumbered line such as 主要目标任务圆满完成 inside a review does not turn it into a plan
        if cue is not None and cue.kind != "none":  # a time without a meaning (十四五时期 in 2025) changes nothing
            first, last = cue.resolve(report_year)
            if (not is_heading and current.kind in ("target", "actual") and cue.kind in ("target", "actual")
                    and cue.kind != current.kind):
                resume = current
            sections.append(_closed(current, start))
            current = Section(start, start, cue.kind, first, last, line.strip()[:HEADING_MAX_CHARS])
        if is_heading or current.kind not in ("target", "actual"):
            continue  # without an outline, sentences keep today's cue-based reading
        for m in _SENTENCE_OPENER.finditer(text, start, start + len(line)):
            cue = _read_cue(_normalise(text[m.end():m.end() + _OPENER_CHARS]), report_year, opener=True)
            if cue is None or cue.kind not in ("target", "actual"):
                continue
            first, last = cue.resolve(report_year)
            resume = resume or current
            sections.append(_closed(current, m.end()))
            current = Section(m.end(), m.end(), cue.kind, first, last, text[m.end():m.end() + HEADING_MAX_CHARS])
    sections.append(_closed(current, len(text)))
    return [s for s in sections if s.end > s.start] or [current]


def _closed(section: Section, end: int) -> Section:
    return Section(section.start, end, section.kind, section.first_year, section.last_year, section.line)


def report_year_from_outline(text: str) -> int | None:
    """The report year the outline implies: the year after the first review, or the first year planned."""
    pending_review = False  # 一、去年工作回顾 / 过去一年工作回顾: its first dated opener (2005年，…) tells the year
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        cue = _line_cue(line, None)
        if cue is None or cue.kind == "skip":
            continue
        heading = _is_heading(stripped)
        if cue.first is not None and cue.last is not None:
            if pending_review and not heading and cue.kind != "target":
                return cue.last + 1
            if heading and cue.kind == "actual":
                return cue.last + 1
            if heading and cue.kind == "target":
                return cue.first
        pending_review = (pending_review and heading) or (heading and cue.kind == "actual" and cue.rel == (-1, -1))
    return None
