"""Figure extraction: cleaned report text in, figures and qualitative targets out."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from .kinds import (AVERAGE_CUE, CUMULATIVE_CUE, QuoteSpans, YearCue, last_cue_kind, recalled_target, resolve_year,
                    year_cues)
from .models import Basis, Comparator, Extraction, Figure, Kind, QualitativeTarget
from .outline import Section, outline, report_year_from_outline
from .numbers import (ARABIC_RE, ARABIC_TAIL_RE, CHINESE_RE, MAGNITUDE_RE, MAGNITUDES, MINUS, SHARE_RE,
                      YEAR_ANY_WIDTH_RE, YEAR_LIKE, YEAR_RE, is_plan_name, parse_chinese, parse_number,
                      parse_share)
from .reference import Reference
from .segment import Segmenter, segmenter
from .subjects import _VERB_END as _COUNT_VERB_END
from .subjects import (SHARE_OF_PREVIOUS, Catalog, Subject, catalog, clause_start, list_subjects, mentions_alias,
                       match_metric, match_subject, metric_after, phrase_after, prefer_noun_after, read_subject)
from .units import PERCENT_FAMILIES, UnitLexicon, is_percent, unit_lexicon

SENTENCE_END = re.compile(r"[。！？!?；;]")

_PREFIX_COMPARATORS: tuple[tuple[str, Comparator], ...] = tuple(sorted((
    *((w, "approx") for w in ("约", "大约", "近", "接近", "将近", "大概")),
    *((w, "at_least") for w in ("超", "超过", "超出", "突破", "破", "逾", "不少于", "不低于", "至少", "多于", "高于",
                                "大于", "大于或等于", "最低")),
    *((w, "at_most") for w in ("不超过", "不高于", "最高", "最多", "低于", "少于", "小于", "小于或等于", "不到")),
), key=lambda p: len(p[0]), reverse=True))
_SUFFIX_COMPARATORS: dict[str, Comparator] = {
    "以上": "at_least", "多": "at_least", "余": "at_least", "以下": "at_most", "以内": "at_most", "之内": "at_most",
    "左右": "approx",
}
# Amounts whose subject is always the phrase before them (投入约7亿元, 增长5%), never the noun after.
_AMOUNT_FAMILIES = frozenset({"percent", "percentage_point", "currency", "currency_usd", "multiple", ""})
# Figures whose subject may be a catalog quantity (a rate, an amount, a level) led by a verb: 着力提高【研发投入强度】.
_PHRASE_FAMILIES = frozenset({"percent", "percentage_point", "currency", "currency_usd", "concentration"})
_LONG_SUBJECT_CHARS = 6
_PEOPLE_NOUNS = re.compile(r"居民|市民|群众|人民|人口|村民|农民|游客|旅客|职工|学生|老人|儿童|妇女|患者|劳动力|劳动者"
                           r"|人员|教师|干部|党员|[^\W\d]人(?:的|$)")  # 130万“老工伤”人员, 13亿中国人的
_PEOPLE_SUBJECT = re.compile(rf"(?:{_PEOPLE_NOUNS.pattern})$")
_HOUSEHOLD_NOUNS = re.compile(r"户(?!口|籍|外|型)|家庭")  # 510万沼气用户, 900多万个体工商户: 万户
_UNITLESS_SUBJECT_ENDS = ("率", "系数", "指数")
_UNITLESS_FOLLOWERS = frozenset("的，,。；;、)）\n ")
_QUALITATIVE_LINE = re.compile(r"预期目标|主要目标|目标是|目标为|发展目标")
_QUALITATIVE_CLAUSE = re.compile(r"同步|持平|合理区间|基本稳定|总体稳定|保持稳定|稳中有升|稳中有增|稳步提高|稳步增长|翻一番|翻番"
                                 r"|目标任务|控制目标|下达[^，,。；;]{0,12}(?:目标|任务)|约束性指标")
_DIGIT = re.compile(r"[0-9０-９]")
_CN_NUMERAL = "零〇○一二两三四五六七八九十百千"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"  # left inside numbers by scrapers; cleaning drops them
# A minus after a word or punctuation is a sign (增长-2.1%, 为−0.3%); after a number it is a dash (2023-05, 4.5%-5%).
_SIGN_AFTER = re.compile(r"[\u3400-\u9fff：:（(，,、；; ]")
_JOINED = re.compile(r"[和、及与]")  # 增长9.8%和8.5%: the second figure shares the first one's basis
# A clause that goes on from a subject named before it: 由/从 (its earlier value), 将, 分别, 平均每年, 实际 after an
# optional time (，2000年分别达到…; not 粮食产量屡创历史新高，去年达到…, where the first clause is a statement of its own).
_TOPIC_GOES_ON = re.compile(rf"(?:{YEAR_RE}年|今年|去年|上年)?(?:由|从|将|分别|平均每年|每年平均|年均|实际)")
_YEAR_NAMED = re.compile(rf"({YEAR_RE})年?(?![0-9])")
_YEAR_LIST = re.compile(rf"(?:{YEAR_RE}年?(?:[、，,]|和|及|与))+{YEAR_RE}年")
_YEAR_SPAN = re.compile(rf"({YEAR_RE})年?(?:[—–－-]{{1,2}}|至|到)({YEAR_RE})年")
_YEARS_BEFORE = re.compile(r"(前|近|过去|连续|这)([一二两三四五六七八九十]|[1-9])年(?!来|以来)")
_FROM_LAST = re.compile(r"由(?:上年|去年|前一年)")
_TURNED_TO = re.compile(r"[，,]?(?:转为|转而|减为|降为|升为|变为|回落为|回落到|回落至|增加到|增加至|提高到|提高至|下降到|下降至|降到"
                        r"|降至|上升到|上升至|增长到|扩大到|到|至)")
_LIST_GAP = re.compile(r"\s*(?:[和、及与，,]|以及)\s*")  # between the values of a list (35512元、25689元)
_FROM_VALUE = re.compile(r"[由从][^，。；;,0-9０-９]{0,6}$")
_TO_VALUE = re.compile(r"[^，。；;,]{0,8}?[到至]")
_NOT_A_SUM = re.compile(r"达到|达|为|提高到|增加到|突破|率")  # a level or a rate, not a sum over the span
# What was done over a span (新增就业, 建成公路, 完成投资): inside a multi-year review or plan, a total over its years.
_FLOW = re.compile(r"新增|新建|建成|改造|完成|投入|投资|实施|转移|发放|引进|淘汰|关停|减少|解决|培训")
_BASE_YEAR = re.compile(rf"(?:比|较|与)({YEAR_RE})年")  # a comparison base: an average runs from the year after
# 比2002年增长65.5%: a change since a base year, ending the clause before the value.
_CHANGE_SINCE = re.compile(rf"(?:比|较|与)({YEAR_RE})年(?:相比|同期|末|底)?[，,]?(?:分别)?"
                           r"(?:增长|提高|增加|上升|下降|降低|减少|翻)[了]?(?:约|近)?$")
_ENDED_FROM = re.compile(r"[到至]")  # 由2010年的1264元增加到2011元: past the 到, the year no longer applies
# 促进外资发展20条, 若干措施30条, 10条措施: a policy named by its article count, not a count of anything built or done.
_POLICY_BEFORE_COUNT = re.compile(r"(?:措施|政策|举措|意见|办法|规定|条例|新政|细则|若干|发展)$")
_POLICY_AFTER_COUNT = re.compile(r"(?:政策|配套|具体|实施)?(?:措施|举措|意见|新政|规定|细则)")
# 3岁以下婴幼儿, 65岁以上老年人: an age bound qualifying a group, not a figure; 人均预期寿命82岁 ends its clause.
_AGE_QUALIFIER_AFTER = re.compile(r"(?:及以上|及以下|以上|以下|以内)?[^，,。；;、\n]")
# A unit character that starts a word with the next one is no unit: 200万人民群众, 900多万个体工商户, 三次产业.
_UNIT_STARTS_WORD = re.compile(r"人民|个体|个人|个性|个别|所有|所以|所得|所属|所在|家庭|家乡|家园|家长|家居|家电|条件|条例|条款"
                               r"|处理|处置|处于|处罚|名称|名单|名牌|名录|位置|位于|位数|户籍|户口|头脑|只有|只是|只要|只能"
                               r"|间接|台阶|座谈|项目|种植|种类|种子|次产业|批准|批发|部门|部分|部署|部长|部队|部位|门户|门槛"
                               r"|门类|门诊|类型|类别|类似|分别|分配|分类|分期|分解|分析|分之|毛利|角度|角色")
# 受教育年限10.5年, 土地承包期延长30年: years as a duration, never a year (2024年) or a span cue (连续5年, 五年来).
_DURATION_SUBJECT = re.compile(r"年限|期限|年数|寿命|工龄|周期|学制|承包期")
_TIME_FAMILIES = frozenset({"duration", "age"})
_COUNT_FAMILIES = frozenset({"count", "people", "households", "visits", "times", "flights"})
# Classifiers of concrete things, which a Chinese numeral counts without further context (两所学校, 三处遗址).
_CONCRETE_CLASSIFIERS = frozenset("所座家栋艘架株户名位处辆台")
_NOUN_AFTER = re.compile(r"[\u4e00-\u9fff](?<!等)")
_ENDS_CLAUSE = re.compile(r"[，,。；;、\n）)]|$|[和及与]")  # nothing after the amount but its clause's end
# 分, 角 and 毛 are sums of money only in a price (每斤提高3分、5分和1毛钱, 电价降低2分钱), never a score (得分85分).
_SUB_YUAN = frozenset({"分", "角", "毛"})
_PRICE_CONTEXT = re.compile(r"价|每[^，,。；;]{0,3}(?:斤|公斤|千克|吨|度|千瓦时|立方米|升)")
_RATIO_CLAUSE = re.compile(r"比(?![上去前同较0-9０-９一二两三四五六七八九十])")  # 城乡居民收入比2.5∶1, not 比上年

# A carried amount keeps the previous change-ness only if no word of its own says it is the level (…提高1岁，【达到】74.5岁);
# a carried percentage stays a growth (地区生产总值增长5%，并力争达到6%以上).
_LEVEL_VERB = re.compile(r"达到|达|为|完成|实现|保持|稳定在|控制在|[到至]")


@lru_cache(maxsize=4)
def _figure_regex(units: str) -> re.Pattern[str]:
    # Every alternative of n1 starts with a character class, checked before its lookbehinds, so the regex engine passes
    # over positions that cannot start a number quickly (bench/extract_speed.py).
    # Arabic digits glued to letters or ordinals (5G, 第3) are names; a digit spaced out by a scrape (8 5 ％) is a piece
    # of a number, never a number.
    arabic = (rf"[0-9０-９](?<![0-9A-Za-z.．０-９第×xX*][0-9０-９])(?<![0-9０-９][ {_ZERO_WIDTH}][0-9０-９])"
              rf"(?>{ARABIC_TAIL_RE})(?![ {_ZERO_WIDTH}][0-9０-９．.])"
              rf"(?!年(?<={YEAR_ANY_WIDTH_RE}年))")  # 2024年 dates (most numbers in a report): no match
    # A Chinese numeral is tried only before a magnitude, a unit or a range, never before 年 (五年来, 三年行动: spans,
    # see _chinese_is_figure), and 一 only where it is a number (一倍, 一万, 一百, 一个百分点), not an article (一个).
    chinese_rest = rf"(?>[{_CN_NUMERAL}]*(?:点[零〇○一二三四五六七八九]+)?)"
    chinese = (rf"[{_CN_NUMERAL}](?<![第点{_CN_NUMERAL}][{_CN_NUMERAL}])(?<!一){chinese_rest}"
               rf"(?!年)(?=[多余]?(?:{MAGNITUDE_RE}|{units}|[至到~～—–-]))")
    chinese_one = rf"一(?<![第点{_CN_NUMERAL}]一)(?=[十百千万亿点倍]|个百分点){chinese_rest}"
    # A minus before the number is kept in the match; _figure reads it as a sign only after a word or punctuation.
    return re.compile(
        rf"[{MINUS}]?(?P<n1>{SHARE_RE}|{arabic}|{chinese_one}|{chinese})(?P<more1>多|余)?(?P<mag1>{MAGNITUDE_RE})?"
        rf"(?:(?P<u1>{units})?(?P<sep>[—–]{{1,2}}|--|[-~～－]|至|到)(?P<sign2>(?<=[至到~～])[{MINUS}])?"
        rf"(?P<n2>{ARABIC_RE}|{CHINESE_RE}))?"
        rf"(?:[∶:：](?P<den>{ARABIC_RE})(?![0-9０-９.．])|[/／](?P<part>[0-9０-９]{{1,2}})(?![0-9０-９.．]))?"
        rf"(?P<more>多|余)?(?P<mag>{MAGNITUDE_RE})?(?P<unit>{units})?(?:[（(](?:{units})[）)]|(?<=[分角毛])钱)?"
        r"(?P<post>以上|以下|以内|之内|左右|多|余)?")


@dataclass
class _Context:
    """Document state while walking the lines: the section we are in and the years to resolve against."""

    text: str
    doc_year: int | None
    quoted: QuoteSpans
    lexicon: UnitLexicon
    catalog: Catalog
    segmenter: Segmenter
    sections: list[Section]
    section: Section = Section(0, 0, "none", None, None)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sections]

    def at(self, pos: int) -> Section:
        """Make the section holding text offset pos the current one, and return it."""
        self.section = self.sections[max(0, bisect_right(self._starts, pos) - 1)]
        return self.section


def extract(text: str, report_year: int | None, ref: Reference) -> Extraction:
    """Find every quantitative figure (and number-free target) in a cleaned text."""
    lexicon = unit_lexicon(ref)
    now = report_year or report_year_from_outline(text)
    ctx = _Context(text, now, QuoteSpans(text), lexicon, catalog(ref), segmenter(ref), outline(text, now))
    pattern = _figure_regex(lexicon.pattern)
    figures: list[Figure] = []
    qualitative: list[QualitativeTarget] = []
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if ctx.at(start).kind == "skip":
            continue
        matches = list(pattern.finditer(text, start, start + len(line)))
        wants_qualitative = _QUALITATIVE_LINE.search(line) is not None
        if matches or wants_qualitative:
            _read_line(ctx, start, start + len(line), matches, figures, qualitative if wants_qualitative else None)
    return Extraction(figures=_merge_repeats(figures), qualitative=qualitative)


def _read_line(ctx: _Context, lo: int, hi: int, matches: list[re.Match[str]], out: list[Figure],
               qualitative: list[QualitativeTarget] | None) -> None:
    text = ctx.text
    sentence_starts = [lo, *(m.end() for m in SENTENCE_END.finditer(text, lo, hi))]
    cues = year_cues(text, lo, hi, ctx.quoted)
    cue_pos = [c.pos for c in cues]
    paragraph_year = next((c.value for c in cues if c.kind == "absolute" and c.pos < lo + 12), None)
    previous: tuple[Figure, Subject, str] | None = None
    sentence: list[tuple[Figure, Subject, str]] = []
    for m in matches:
        if ctx.quoted.covers(m.start()):
            continue
        i = bisect_right(sentence_starts, m.start()) - 1
        s_lo = sentence_starts[i]
        s_hi = sentence_starts[i + 1] - 1 if i + 1 < len(sentence_starts) else hi
        if previous is not None and previous[0].sentence_start < s_lo:
            previous = None
            _distribute(ctx, lo, sentence)
            _year_series(ctx, sentence)
            sentence = []
        ctx.at(m.start())
        found = _figure(ctx, m, s_lo, s_hi, previous)
        if found is None:
            continue
        figure, subject, family = found
        cue = _last_cue(cues, cue_pos, s_lo, m.start())
        if cue is not None and text[cue.pos - 1:cue.pos] in ("由", "从") and _ENDED_FROM.search(text, cue.pos, m.start()):
            cue = None  # 由2010年的1264元增加到2011元: the year belongs to the figure before 到
        horizon = _horizon(cues, cue_pos, s_lo)
        figure.kind = _kind(ctx, lo, s_lo, m.start(), cue, horizon)
        figure.period_year = _period(ctx, figure.kind, cue, horizon, paragraph_year)
        if figure.kind == "actual" and recalled_target(text, s_lo, m.start(), figure.end,
                                                       _restated(figure, sentence)):
            figure.kind = "target"  # 高于年初确定的11%的预期目标: the target of the year reviewed
            figure.comparator = _comparator(m, None, unit_dropped=figure.end < m.end())
        if _FROM_VALUE.search(text, s_lo, m.start()) and _TO_VALUE.match(text, figure.end) and ctx.section.first_year:
            # 由65%提高到70%: the level before the section's span is that year's actual
            figure.kind, figure.period_year = "actual", ctx.section.first_year - 1
        inherit = previous[0] if previous is not None and _JOINED.fullmatch(text, previous[0].end, m.start()) else None
        _span(ctx, figure, s_lo, m.start(), cues, cue_pos, horizon, inherit)
        out.append(figure)
        previous = (figure, subject, family)
        sentence.append(previous)
    _distribute(ctx, lo, sentence)
    _year_series(ctx, sentence)
    if qualitative is not None:
        _read_qualitative(ctx, lo, hi, sentence_starts, cues, cue_pos, paragraph_year, qualitative)


def _figure(ctx: _Context, m: re.Match[str], s_lo: int, s_hi: int,
            previous: tuple[Figure, Subject, str] | None) -> tuple[Figure, Subject, str] | None:
    text = ctx.text
    n1, n2, den = m.group("n1"), m.group("n2"), m.group("den")
    share = "分之" in n1
    chinese = not share and not _DIGIT.match(n1)
    unit_text = m.group("unit")
    if n2 is not None:
        mag, mag_low = m.group("mag"), m.group("mag1")
        if m.group("u1") and m.group("u1") != unit_text:
            return None
    else:
        mag = m.group("mag1") or m.group("mag")
        mag_low = mag
    end = m.end()
    signed = n1[:1].isdigit() and m.start() < m.start("n1") and _SIGN_AFTER.match(text, m.start() - 1) is not None
    begin = m.start() if signed else m.start("n1")  # 增长-2.1%: the minus is a sign; 2023-05: a dash
    if text.startswith("每", begin - 1):
        return None  # 每50公斤, 每10万人: the base of a rate, not a figure
    if unit_text is not None and _UNIT_STARTS_WORD.match(text, m.start("unit")):
        unit_text, end = None, m.start("unit")
    if unit_text is not None and text.startswith("级", m.end("unit")):
        return None
    if unit_text == "条" and (_POLICY_BEFORE_COUNT.search(text, max(s_lo, begin - 2), begin)
                             or _POLICY_AFTER_COUNT.match(text, m.end("unit"))):
        return None
    if unit_text == "岁" and _AGE_QUALIFIER_AFTER.match(text, m.end("unit")):
        return None
    if unit_text == "年" and (chinese or share or _year_like(n1) or (n2 is not None and _year_like(n2))):
        return None  # 2024年, 2021-2025年, 五年
    if unit_text == "位" and text.startswith("前", begin - 1):
        return None  # 位居前3位: a rank
    if unit_text in _SUB_YUAN and not (text.startswith("钱", m.end("unit")) or _PRICE_CONTEXT.search(text, s_lo, begin)):
        return None
    part = m.group("part")  # 精简1／4: a fraction written with a slash
    if share or part is not None:
        if unit_text is not None or mag or n2 is not None or den is not None:
            return None
        unit_text = "%"
    if den is not None and (unit_text is not None or mag or n2 is not None
                            or not _RATIO_CLAUSE.search(text, clause_start(text, s_lo, begin), begin)):
        return None  # 8:30 is a time; a ratio is named (收入比, 性别比)
    if den is not None:
        unit_text = ""
    if unit_text is None and not mag and (end < len(text) and text[end] not in _UNITLESS_FOLLOWERS):
        return None  # a bare number that no implicit-unit rule can take (dates, years, 5G, 1906科技园)
    comparator, cut = _prefix_comparator(text, s_lo, begin)
    if chinese and not _chinese_is_figure(ctx, m, begin, s_lo, unit_text, mag, comparator):
        return None
    follows_figure = previous is not None and previous[0].end > clause_start(text, s_lo, begin)
    subject = read_subject(text, previous[0].end if follows_figure else s_lo, begin, cut)
    if unit_text == "年" and not ("." in n1 or "．" in n1
                                 or _DURATION_SUBJECT.search(text, clause_start(text, s_lo, begin), begin)):
        return None  # 连续5年, 经过25年: a span, not a measured duration
    if unit_text is None:
        unit_text = _implicit_unit(text, m, end, mag, n2, subject, s_hi)
        if unit_text is None:
            return None
        mag = None if unit_text == "" else mag
    written = (mag or "") + unit_text
    unit = ctx.lexicon.lookup(written) if written else None
    if written and unit is None:
        return None
    low = parse_share(n1 if share else f"{part}分之{n1}") if share or part is not None else parse_number(n1)
    high = parse_number(n2) if n2 is not None else low
    divisor = parse_number(den) if den is not None else 1.0
    if low is None or high is None or not divisor:
        return None
    if n2 is not None and mag_low and mag and mag_low != mag:
        low = low * MAGNITUDES[mag_low] / MAGNITUDES[mag]
    if den is not None:
        low = high = low / divisor
    if signed:
        low, high = -low, (high if n2 is not None else -high)
    if m.group("sign2"):
        high = -high
        signed = True
    if m.group("sep") and low > high:
        return None
    family = unit.family if unit else ""
    if family not in _AMOUNT_FAMILIES:
        subject = prefer_noun_after(text, subject, begin, end, s_hi, follows_figure)
    if not subject.name and previous is None:
        subject = _topic(text, s_lo, begin, subject)
    if not subject.name and previous is not None:
        prev_subject, prev_family = previous[1], previous[2]
        level = not is_percent(unit) and _LEVEL_VERB.search(text, previous[0].end, begin) is not None
        subject = Subject(prev_subject.name, subject.start,
                          subject.growth or (prev_subject.growth and prev_family == family and not level),
                          subject.decrease or (prev_subject.decrease and begin - previous[0].end <= 4), inherited=True)
    elif previous is not None and SHARE_OF_PREVIOUS.match(subject.name):
        subject = replace(subject, name=previous[1].name + subject.name)  # 财政赤字9500亿元，【占国内生产总值比重】3%
    name, growth, decrease, start = subject.name, subject.growth, subject.decrease, subject.start
    if decrease and not signed and (is_percent(unit) or _ENDS_CLAUSE.match(text, end)):
        low, high = -high, -low  # 下降3%, 比上年减少300亿元; not 降低900万户税负 (a count of who) or 下降-0.3%
    comparator = _comparator(m, comparator, unit_dropped=end < m.end())
    matched = match_subject(ctx.catalog, name, family, growth)
    metric = matched[1] if matched else None
    if matched and matched[0] != name:
        start += len(name) - len(matched[0])
        name = matched[0]
        subject = replace(subject, name=name, start=start)
    if (metric is None and family in _PHRASE_FAMILIES and len(name) >= _LONG_SUBJECT_CHARS
            and mentions_alias(ctx.catalog, name)):
        phrase = ctx.segmenter.noun_phrase(name)
        # Only a catalog match confirms the cut: jieba tags noun modifiers such as 审批(材料) or 排水(单元) as verbs.
        metric = match_metric(ctx.catalog, phrase, family, growth) if phrase != name else None
        if metric is not None:
            name, start = phrase, start + max(0, name.find(phrase))
            subject = replace(subject, name=name, start=start)
    if metric is None and family in _AMOUNT_FAMILIES and not subject.inherited and (
            after := metric_after(ctx.catalog, text, end, s_hi, family, growth)):
        name, metric = after
    sentence, sentence_start = _trimmed(text, s_lo, s_hi)
    base_factor = unit.factor if unit else None
    figure = Figure(
        start=min(start, begin), end=end, sentence=sentence, sentence_start=sentence_start,
        value_text=text[begin:end], metric_name=name or None, metric_code=metric.code if metric else None,
        kind="target", value_low=low, value_high=high, unit=written, comparator=comparator, period_year=None,
        value_base_low=None if base_factor is None else low * base_factor,
        value_base_high=None if base_factor is None else high * base_factor,
        base_unit=unit.base_unit if unit else None,
    )
    return figure, subject, family


def _topic(text: str, s_lo: int, begin: int, subject: Subject) -> Subject:
    """The sentence's opening clause as the subject of its first figure when the figure's own clause names none and
    goes on from it (今年中央财政用于教育的投入，将由去年的1076亿元…; 农村居民人均纯收入和城镇居民人均可支配收入，2000年
    分别达到…)."""
    clause_lo = clause_start(text, s_lo, begin)
    if clause_lo <= s_lo + 1 or text[clause_lo - 1] not in "，," or not _TOPIC_GOES_ON.match(text, clause_lo, begin):
        return subject
    topic = read_subject(text, s_lo, clause_lo - 1, clause_lo - 1)
    if (not topic.name or topic.start > clause_lo or _DIGIT.search(text, s_lo, clause_lo)
            or clause_start(text, s_lo, topic.start) != clause_start(text, s_lo, clause_lo - 1)
            or any(c in text[s_lo:clause_lo - 1] for c in "，,：:")):
        return subject
    return Subject(topic.name, topic.start, subject.growth, subject.decrease)


def _year_like(numeral: str) -> bool:
    """True for a four-digit year (2024, ２０２４), which 年 after it dates rather than measures."""
    value = parse_number(numeral) if _DIGIT.match(numeral) else None
    return value is not None and value.is_integer() and YEAR_LIKE[0] <= value <= YEAR_LIKE[1]


def _chinese_is_figure(ctx: _Context, m: re.Match[str], begin: int, s_lo: int, unit_text: str | None,
                       mag: str | None, comparator: Comparator | None) -> bool:
    """Whether a Chinese numeral is a figure. Decision table, first row that applies:

    | numeral and context                                              | figure? | e.g.                      |
    | ---------------------------------------------------------------- | ------- | ------------------------- |
    | a plan name, or after 届 (an ordinal: 十四届七次)                 | no      | 十五期间, 九五            |
    | after a comparator, with 十/百/千 or a magnitude                  | yes     | 超百项, 破千亿元, 近两万人 |
    | 百 or 千 alone                                                   | no      | 百倍努力, 每千克, 千家万户 |
    | before 倍 or a percent unit                                      | yes     | 增长一倍, 提高两个百分点  |
    | before a unit of time or age, or no unit and no magnitude        | no      | 五年, 三个月, 六十岁      |
    | 一 alone (an article: 一个, 一批)                                 | no      | 打造一批示范项目          |
    | with a magnitude                                                 | yes     | 两万居民, 三千亿元        |
    | before a classifier of a concrete thing (所 座 家 名 处 …) and a noun | yes  | 建设两所学校 (not 电子七所等) |
    | before another count unit after 等 or a count verb               | yes     | 金星村等四个村, 建成三个园区 |
    | before a measure unit (亩, 公里, 元 …), with 十/百/千              | yes     | 改造三百亩                |
    | otherwise                                                        | no      | 两个积极性, 三元乳业, 三次产业 |
    """
    text, n1 = ctx.text, m.group("n1")
    if is_plan_name(text, begin) or text.startswith("届", begin - 1):
        return False
    tens = any(c in n1 for c in "十百千")
    if comparator is not None and (mag or tens):
        return True
    if n1[0] in "百千":
        return False
    unit = ctx.lexicon.units.get(unit_text) if unit_text else None
    family = unit.family if unit else ""
    if unit_text == "倍" or family in PERCENT_FAMILIES:
        return True
    if family in _TIME_FAMILIES or unit_text is None and not mag:
        return False
    if n1 == "一" and not mag:
        return False
    if mag or unit_text in _CONCRETE_CLASSIFIERS and _NOUN_AFTER.match(text, m.end("unit")):
        return True
    if family in _COUNT_FAMILIES:
        return _counted(text, s_lo, begin)
    return tens


def _counted(text: str, lo: int, pos: int) -> bool:
    """True if the words before a Chinese count show things counted (金星村等四个村, 建成三个园区); a list of
    aspects (政治、思想、作风五个方面) or slogans (中央和地方两个积极性) do not."""
    if text.startswith("等", pos - 1):
        return True
    clause_lo = clause_start(text, lo, pos)
    clause = text[clause_lo:pos]
    return _COUNT_VERB_END.search(clause) is not None


def _distribute(ctx: _Context, lo: int, sentence: list[tuple[Figure, Subject, str]]) -> None:
    """Give each value of a list its own subject, in order (城镇、农村居民人均可支配收入分别达35512元、25689元，
    分别增长5%、6%): a run of values sharing one subject phrase that names as many subjects as there are values;
    a run right after it, of the same length, lists the same subjects again."""
    i = 0
    while i < len(sentence):
        head = sentence[i]
        j = i + 1
        while j < len(sentence) and _listed(ctx.text, sentence[j - 1], sentence[j], head[2]):
            j += 1
        parts = list_subjects(ctx.text, lo, head[1], j - i) if j - i > 1 and not head[1].inherited else None
        if parts is None and head[1].inherited:
            parts = _earlier_subjects(ctx.text, sentence, i, j)
        if parts is None:
            i = j if j > i + 1 else i + 1
            continue
        runs = [sentence[i:j]]
        k = j
        while k < len(sentence) and sentence[k][1].inherited:
            family = sentence[k][2]
            end = k
            while end < len(sentence) and (end == k or _listed(ctx.text, sentence[end - 1], sentence[end], family)):
                end += 1
            if end - k != len(parts):
                break
            runs.append(sentence[k:end])
            k = end
        for run in runs:
            for (figure, subject, family), name in zip(run, parts):
                metric = match_metric(ctx.catalog, name, family, subject.growth)
                figure.metric_name, figure.metric_code = name, metric.code if metric else None
        i = k


def _year_series(ctx: _Context, sentence: list[tuple[Figure, Subject, str]]) -> None:
    """Give each value of a list its own year where the sentence names the years: 2011年、2012年和2013年…分别增长8%、9%和
    10%; 由前三年分别上升4.9%、5.5%、0.2% (the three years before the figure's year; 近三年/连续三年: up to it); and the
    values a change started from (由上年分别增长5.6%和13.1%，减为增长1.2%和1.8%: the year before the values after)."""
    text = ctx.text
    i = 0
    while i < len(sentence):
        j = i + 1
        while j < len(sentence) and _listed(text, sentence[j - 1], sentence[j], sentence[i][2]):
            j += 1
        run = [f for f, _, _ in sentence[i:j]]
        first = run[0]
        begin = first.end - len(first.value_text)
        window = text[first.sentence_start:begin]
        one_subject = len({(f.metric_code, f.metric_name) for f in run}) == 1  # 近两年，城镇和农村…分别: per subject
        years = _named_years(window, len(run), first.period_year) if one_subject and "分别" in window else None
        if years is None and j < len(sentence) and _FROM_LAST.search(window) and _TURNED_TO.match(text, run[-1].end):
            later = sentence[j][0].period_year
            years = [later - 1] * len(run) if later is not None else None
        for figure, year in zip(run, years or ()):
            figure.period_year = year
            if figure.basis == "annual":
                figure.period_start_year = year
            if ctx.doc_year is not None and year < ctx.doc_year:
                figure.kind = "actual"
        i = j


def _named_years(window: str, count: int, anchor: int | None) -> list[int] | None:
    """The count successive years a list's words name (2011年、2012年和2013年, 2011—2013年, 前三年 before anchor)."""
    explicit: list[int] = []
    for listed in _YEAR_LIST.finditer(window):
        explicit = [int(y) for y in _YEAR_NAMED.findall(listed.group())]
    span = _YEAR_SPAN.search(window)
    if span is not None:
        explicit = list(range(int(span.group(1)), int(span.group(2)) + 1))
    if len(explicit) == count and all(b > a for a, b in zip(explicit, explicit[1:])):
        return explicit
    relative = None
    for relative in _YEARS_BEFORE.finditer(window):
        pass
    if relative is None or anchor is None:
        return None
    n = relative.group(2)
    n_years = int(n) if n.isdigit() else parse_chinese(n)
    if n_years != count:
        return None
    last = anchor - 1 if relative.group(1) == "前" else anchor
    return list(range(last - count + 1, last + 1))


def _restated(figure: Figure, sentence: list[tuple[Figure, Subject, str]]) -> bool:
    """True if the sentence already gave an actual of the same measure and unit."""
    return any(f.unit == figure.unit and (f.metric_code or f.metric_name) == (figure.metric_code or figure.metric_name)
               and f.kind == "actual" for f, _, _ in sentence)


def _listed(text: str, before: tuple[Figure, Subject, str], item: tuple[Figure, Subject, str], family: str) -> bool:
    """True if item continues a list of values after before: same unit family, no subject of its own, and nothing
    but a list separator between them (35512元、25689元; 5.6%和13.1%; not 4077亿元，比前五年累计增加1852亿元)."""
    figure, subject, item_family = item
    begin = figure.end - len(figure.value_text)
    return subject.inherited and item_family == family and _LIST_GAP.fullmatch(text, before[0].end, begin) is not None


def _earlier_subjects(text: str, sentence: list[tuple[Figure, Subject, str]], i: int, j: int) -> list[str] | None:
    """分别 after figures of different subjects (接待游客3200万人次，旅游总收入380亿元，【分别】增长15%和18%), or a list of
    another unit right after as many such figures: the run sentence[i:j] takes their subjects, in order."""
    count = j - i
    first = sentence[i][0]
    if count < 2 or i < count:
        return None
    earlier_families = {family for _, _, family in sentence[i - count:i]}
    if "分别" not in text[sentence[i - 1][0].end:first.end - len(first.value_text)] and (
            len(earlier_families) != 1 or sentence[i][2] in earlier_families):
        return None  # 城镇…17175元，农村…5153元，实际增长9.8%和8.5%: levels, then their growths in the same order
    names = [f.metric_name or "" for f, _, _ in sentence[i - count:i]]
    return names if all(names) and len(set(names)) == count else None


def _implicit_unit(text: str, m: re.Match[str], end: int, mag: str | None, n2: str | None, subject: Subject,
                   s_hi: int) -> str | None:
    """Units left implicit: 60万海珠市民 and 贫困人口减少700万 (people, 万人), 510万沼气用户 (万户) and unitless
    ratios (容积率超3.0)."""
    if mag:
        after = phrase_after(text, end, s_hi, limit=8)
        if _PEOPLE_NOUNS.search(after) or not after and _PEOPLE_SUBJECT.search(subject.name):
            return "人"  # 60万海珠市民; 贫困人口减少700万
        if _HOUSEHOLD_NOUNS.search(after):
            return "户"
    if (not mag and n2 is None and _DIGIT.match(m.group("n1")) and subject.name.endswith(_UNITLESS_SUBJECT_ENDS)
            and (end >= len(text) or text[end] in _UNITLESS_FOLLOWERS)):
        return ""
    return None


def _prefix_comparator(text: str, lo: int, pos: int) -> tuple[Comparator | None, int]:
    window = text[max(lo, pos - 6):pos]
    for word, comparator in _PREFIX_COMPARATORS:
        if window.endswith(word):
            return comparator, pos - len(word)
    return None, pos


def _comparator(m: re.Match[str], prefix: Comparator | None, unit_dropped: bool = False) -> Comparator:
    if m.group("sep"):
        return "range"
    for group in ("more", "more1") if unit_dropped else ("post", "more", "more1"):
        if m.group(group):
            return _SUFFIX_COMPARATORS[m.group(group)]
    return prefix or "point"


def _trimmed(text: str, lo: int, hi: int) -> tuple[str, int]:
    sentence = text[lo:hi]
    stripped = sentence.lstrip()
    return stripped.rstrip(), lo + len(sentence) - len(stripped)


def _last_cue(cues: list[YearCue], cue_pos: list[int], lo: int, pos: int) -> YearCue | None:
    i = bisect_right(cue_pos, pos - 1) - 1
    return cues[i] if i >= 0 and cues[i].pos >= lo else None


def _horizon(cues: list[YearCue], cue_pos: list[int], sentence_start: int) -> YearCue | None:
    """The years an earlier sentence of the paragraph set (到2030年，…；… / 十四五时期，…), if its last year cue
    (n-year windows aside) named them."""
    i = bisect_right(cue_pos, sentence_start - 1) - 1
    while i >= 0 and cues[i].kind == "span":
        i -= 1
    return cues[i] if i >= 0 and cues[i].kind in ("to", "period") else None


def _kind(ctx: _Context, paragraph_start: int, sentence_start: int, pos: int, cue: YearCue | None,
          horizon: YearCue | None) -> Kind:
    section = ctx.section
    if section.kind in ("target", "actual"):
        return _overridden(ctx, cue) or section.kind
    year = ctx.doc_year
    lead = horizon if horizon is not None and (cue is None or cue.kind == "span") else cue
    if lead is not None and year:
        said = last_cue_kind(ctx.text, sentence_start, pos) if lead is horizon else None
        if said is not None:
            return "actual" if said == "actual" else "target"
        if lead.kind == "absolute" and lead.value < year or lead.kind == "period" and lead.value <= year:
            return "actual"
        if lead.kind in ("to", "period") and lead.value > year:
            return "target"
    return "actual" if last_cue_kind(ctx.text, paragraph_start, pos) == "actual" else "target"


def _overridden(ctx: _Context, cue: YearCue | None) -> Kind | None:
    """The kind a dated cue in the figure's own sentence gives against its section: 去年/2009年 in this year's
    tasks is an actual, 到2020年/今年 in a review is a target; comparison bases (比上年) are not cues."""
    now, section = ctx.doc_year, ctx.section
    if cue is None or now is None or cue.kind in ("span", "within"):
        return None
    year = resolve_year(cue, now)
    if year is None:
        return None
    reviewed_to = section.last_year if section.last_year is not None else now - 1
    if section.kind == "actual" and year > reviewed_to and (year > now or cue.kind in ("to", "offset")):
        return "target"
    if section.kind == "target" and cue.kind in ("absolute", "to", "last", "period") and year < now and (
            section.first_year is None or year < section.first_year):
        return "actual"
    return None


def _period(ctx: _Context, kind: Kind, cue: YearCue | None, horizon: YearCue | None,
            paragraph_year: int | None) -> int | None:
    section, now = ctx.section, ctx.doc_year
    if cue is not None and cue.kind == "within" and section.kind == kind:
        cue = None  # 全年 in a review of 2013 is 2013
    if horizon is not None and (cue is None or cue.kind == "span") and (kind == "target") == (
            horizon.value > (now or 0)):
        return horizon.value
    own = section.kind == kind and section.last_year is not None
    if kind == "target":
        base = now or (section.first_year if own else None)
        if cue is not None and cue.kind == "span" and own and section.spans_years:
            return section.last_year  # 未来五年 inside the 十五五 outline: its years
        if cue is not None:
            return resolve_year(cue, base)
        return section.last_year if own else paragraph_year or base
    if cue is not None and cue.kind in ("absolute", "to", "period", "plan"):
        return cue.value
    if cue is not None and cue.kind == "last" and now:
        return now - 1
    if own:
        return section.last_year
    if section.kind == "actual" and now:
        return now - 1
    return paragraph_year or now


def _span(ctx: _Context, figure: Figure, sentence_start: int, pos: int, cues: list[YearCue], cue_pos: list[int],
          horizon: YearCue | None, joined: Figure | None) -> None:
    """Set the figure's basis and first year: 年均 → average_annual; 累计 over several years, or a change since a
    base year two or more years back stated in a multi-year review or plan or beside an average over the same
    years (比2002年增长65.5%，年均增长10.6%), → cumulative."""
    text = ctx.text
    clause_lo = max(sentence_start, clause_start(text, sentence_start, pos))
    basis: Basis = "annual"
    if joined is not None and joined.basis != "annual":
        basis = joined.basis  # 年均增长9.8%和8.5%
    elif AVERAGE_CUE.search(text, clause_lo, pos):
        basis = "average_annual"
    figure.basis = basis
    first = _first_year(ctx, figure, sentence_start, pos, cues, cue_pos, horizon)
    if first is not None and figure.period_year is not None and first > figure.period_year:
        first = None  # a span that does not end at the figure's year is not its span
    amount = not is_percent(ctx.lexicon.lookup(figure.unit)) and not _NOT_A_SUM.search(text, clause_lo, pos)
    cue = _last_cue(cues, cue_pos, sentence_start, pos)
    if basis == "annual" and (
            CUMULATIVE_CUE.search(text, clause_lo, pos)  # 连续三年累计投入90亿元
            or first is not None and amount and figure.period_year is not None and first < figure.period_year and (
                CUMULATIVE_CUE.match(text, sentence_start)  # 五年累计投资5.1亿元,建成31条公路 (not 总里程达到…)
                or cue is not None and cue.kind in ("period", "span")  # “十一五”时期投入100亿元, 五年淘汰1亿吨
                or cue is None and ctx.section.spans_years and _FLOW.search(text, clause_lo, pos))):  # 这五年…新增就业5771万人
        basis = "cumulative"
    since = _CHANGE_SINCE.search(text, clause_lo, pos)
    if (basis == "annual" and since and figure.period_year is not None and int(since.group(1)) < figure.period_year - 1
            and (ctx.section.spans_years or AVERAGE_CUE.search(text, sentence_start, _sentence_end(text, pos)))):
        basis, first = "cumulative", int(since.group(1)) + 1  # 比2002年增长65.5%，年均增长10.6%: over 2003–2007
    figure.basis = basis
    figure.period_start_year = figure.period_year if basis == "annual" else first


def _sentence_end(text: str, pos: int) -> int:
    end = text.find("。", pos)
    return len(text) if end < 0 else end


def _first_year(ctx: _Context, figure: Figure, sentence_start: int, pos: int, cues: list[YearCue],
                cue_pos: list[int], horizon: YearCue | None) -> int | None:
    """The first year of a multi-year span the figure's sentence or section names, if any."""
    now, section = ctx.doc_year, ctx.section
    cue = _last_cue(cues, cue_pos, sentence_start, pos)
    if cue is not None and cue.kind in ("period", "plan"):  # 十四五时期 / 十四五以来: the plan's first year
        return cue.value - 4
    own_span = section.spans_years and section.kind == figure.kind
    if cue is not None and cue.kind == "span" and now:  # 三年来 / 未来五年: within the section's span, if any
        local = now - cue.value - 1 if figure.kind == "actual" else now
        return max(local, section.first_year) if own_span and section.first_year else local
    base = None
    for base in _BASE_YEAR.finditer(ctx.text, sentence_start, pos):
        pass
    if base is not None and figure.basis == "average_annual":  # 比2002年增长65.5%，年均增长10.6%: 2003 on
        return int(base.group(1)) + 1
    if section.spans_years and section.kind == figure.kind:
        return section.first_year
    if horizon is not None and figure.kind == "target" and now and horizon.value > now:
        return now
    return None


def _read_qualitative(ctx: _Context, lo: int, hi: int, sentence_starts: list[int], cues: list[YearCue],
                      cue_pos: list[int], paragraph_year: int | None, out: list[QualitativeTarget]) -> None:
    text = ctx.text
    for i, s_lo in enumerate(sentence_starts):
        s_hi = sentence_starts[i + 1] - 1 if i + 1 < len(sentence_starts) else hi
        clause_lo = s_lo
        for j in range(s_lo, s_hi + 1):
            if j < s_hi and text[j] not in "，,：:":
                continue
            clause = text[clause_lo:j]
            if clause.strip() and not _DIGIT.search(clause) and _QUALITATIVE_CLAUSE.search(clause):
                subject = clause.strip()
                c_lo = clause_lo + clause.find(subject)
                ctx.at(c_lo)
                cue = _last_cue(cues, cue_pos, s_lo, c_lo)
                horizon = _horizon(cues, cue_pos, s_lo)
                kind = _kind(ctx, lo, s_lo, c_lo, cue, horizon)
                sentence, sentence_start = _trimmed(text, s_lo, s_hi)
                out.append(QualitativeTarget(
                    start=c_lo, end=c_lo + len(subject), sentence=sentence, sentence_start=sentence_start,
                    subject=subject, kind=kind, period_year=_period(ctx, kind, cue, horizon, paragraph_year)))
            clause_lo = j + 1


def _merge_repeats(figures: list[Figure]) -> list[Figure]:
    """One figure per (subject, kind, value, unit, period); repeats raise its mention_count."""
    kept: dict[tuple, Figure] = {}
    for f in figures:
        key = (f.metric_code or f.metric_name, f.kind, f.value_low, f.value_high, f.unit, f.period_year)
        if key in kept:
            kept[key].mention_count += 1
        else:
            kept[key] = f
    return list(kept.values())
