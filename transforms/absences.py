"""Said and not said: sentences in which a report explicitly sets no numeric target (没有提出全年经济增速具体目标).

An explicit absence is recorded as a qualitative target with `declines_number` set, so the series can tell a
target that was declined from one the extractor missed.

| wording                                 | subject      | year (kinds.year_cues in the clause)  |
| --------------------------------------- | ------------ | ------------------------------------- |
| 没有提出全年经济增速具体目标             | 经济增速     | 全年/今年 → report year               |
| 今年不设GDP增长目标; 2021年不再设定…目标 | GDP (growth) | 2021年 → 2021, 明年 → report year + 1 |
| 对经济增速不设具体目标 (subject before)  | 经济增速     | report year                           |
| 都要提出…的具体目标 (no negation)        | —            | not an absence                        |
| 不设过高的增长目标 (a softer target)     | —            | not an absence                        |
"""
from __future__ import annotations

import re

from .kinds import YEAR_CUES, QuoteSpans, resolve_year, year_cues
from .models import QualitativeTarget
from .reference import Metric, Reference
from .subjects import catalog, match_metric

_NEGATED_SETTING = r"(?:不再|没有|未|不)(?:设定|设置|设|提出|确定)"
_GOAL = r"(?:的)?(?:具体|量化|数量|数值|年度)?(?:的)?(?:增长|增速|预期|指标)?目标"
_CLAUSE = r"[^，,。；;！？!?\n]"
# 不设/未设/没有提出 [全年] SUBJECT [具体/增速] 目标
_AFTER = re.compile(_NEGATED_SETTING + rf"(?P<subject>{_CLAUSE}{{1,20}}?)" + _GOAL)
# 对/就 SUBJECT 不设 [具体] 目标
_BEFORE = re.compile(rf"(?:对|就)(?P<subject>{_CLAUSE}{{1,16}}?)" + _NEGATED_SETTING + _GOAL)
_NOT_A_DECLINE = re.compile(r"过高|过低|更高|不切实际|新的")
_GROWTH_WORDS = re.compile(r"增速|增长|增幅|涨幅")
_SENTENCE_END = "。！？!?\n"
_CLAUSE_END = "，,。；;！？!?\n"
_GOAL_WORDS_ONLY = re.compile(r"^(?:具体|量化|数量|数值|年度|增长|增速|预期|指标|的)+$")


def _without_year(subject: str) -> str:
    """The subject without a leading year expression (全年经济增速 → 经济增速)."""
    m = YEAR_CUES.match(subject)
    return subject[m.end():] if m and m.end() else subject


def _period_year(text: str, start: int, end: int, report_year: int | None, quoted: QuoteSpans) -> int | None:
    """The year of the last year expression in the clause up to the match (2021年不再设定…, 明年), else the report's."""
    lo = max((text.rfind(c, 0, start) for c in _CLAUSE_END), default=-1) + 1
    cues = year_cues(text, lo, end, quoted)
    return resolve_year(cues[-1], report_year) if cues else report_year


def _metric(subject: str, growth: bool, ref: Reference) -> Metric | None:
    """The catalog metric a declined target is about (a growth rate when the wording says 增速/增长)."""
    stem = _GROWTH_WORDS.sub("", subject).strip("的 ")
    if not stem:
        return None
    if growth:
        return match_metric(catalog(ref), stem, "percent", True)
    return next((m for m in catalog(ref).by_alias.get(stem.upper(), ()) if m.measure == "level"), None)


def _sentence(text: str, start: int, end: int) -> tuple[int, str]:
    lo = max((text.rfind(c, 0, start) for c in _SENTENCE_END), default=-1) + 1
    hits = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
    hi = min(hits) + 1 if hits else len(text)
    return lo, text[lo:hi].strip()


def find_absences(text: str, report_year: int | None, ref: Reference) -> list[QualitativeTarget]:
    """Every explicit refusal to set a numeric target in the text, as a qualitative target with declines_number."""
    found: dict[tuple[int, int], QualitativeTarget] = {}
    quoted: QuoteSpans | None = None
    for pattern in (_BEFORE, _AFTER):
        for m in pattern.finditer(text):
            subject = _without_year(m.group("subject").strip()).strip()
            overlaps = any(s < m.end() and m.start() < e for s, e in found)
            if overlaps or not subject or _NOT_A_DECLINE.search(subject) or _GOAL_WORDS_ONLY.match(subject):
                continue
            quoted = quoted or QuoteSpans(text)
            metric = _metric(subject, _GROWTH_WORDS.search(m.group(0)) is not None, ref)
            sentence_start, sentence = _sentence(text, m.start(), m.end())
            found[(m.start(), m.end())] = QualitativeTarget(
                start=m.start(), end=m.end(), sentence=sentence, sentence_start=sentence_start,
                subject=subject, kind="target", period_year=_period_year(text, m.start(), m.end(), report_year, quoted),
                metric_code=metric.code if metric else None, declines_number=True)
    return sorted(found.values(), key=lambda q: q.start)
