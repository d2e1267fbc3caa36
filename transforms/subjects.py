"""The subject of a figure (the phrase before the number) and its match in the metric catalog."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .kinds import COMPARED_WITH
from .numbers import PLAN_NAME_RE, YEAR_RE
from .reference import Metric, Reference, per_reference
from .segment import CUE_WORDS

CLAUSE_DELIMITERS = frozenset("，,、；;：:。！？!?\n>")
MAX_SUBJECT_CHARS = 40

GROWTH_WORDS = ("增长", "增速", "增幅", "涨幅", "上涨", "上升", "递增", "下降", "降幅", "降低", "减少", "下滑", "回落", "增加(?!值)",
                "提高", "提升", "延长")
DECREASE_WORDS = ("下降", "降幅", "降低", "减少", "下滑", "回落")

# 增长5% is a growth rate; 增长到/降至 60万吨 is a level reached.
_GROWTH = re.compile("(?:" + "|".join(GROWTH_WORDS) + ")(?![到至])")
_DECREASE = re.compile("(?:" + "|".join(DECREASE_WORDS) + ")(?![到至])")
# A catalog key that itself names a growth (经济增长速度, 国内生产总值增长): growth without a verb before the number.
_NAMES_GROWTH = re.compile(r"增长|增速|增幅|涨幅|变化|下降|降低")
_GROWTH_SUFFIX = re.compile(r"(?:增长率|增长速度|增长|增速|增幅|涨幅)$")
# A clause that compares with an earlier amount (比上年预算减少198亿元): its subject is the previous figure's.
_COMPARISON = re.compile(rf"^(?:分别)?(?:比|较|同比)(?:上年|去年|前年|上年度|年初|{YEAR_RE}年|[一二两三四五六七八九十]年前|前[一二两三四五六七八九十]年"
                         rf"|上[一个]?(?:个)?五年|[“\"]?{PLAN_NAME_RE}[”\"]?(?:时期|期间|期末|末))")
# A clause that turns from the values before to the values after (…由前三年分别上升4.9%，【转为下降】1.2%): no subject of
# its own; the values are the earlier subject's.
_TURN = re.compile(r"^(?:并|而|则|已)?(?:转为|转而|减为|降为|升为|变为|扭转为|回落为)")
# A target recalled in a review names what it is compared with or which target it was, not a subject:
# 【高于】年初确定的11%的预期目标, 【没有实现年初确定的】单位国内生产总值能耗降低4%左右的目标.
_COMPARED_TO = re.compile(rf"^(?:虽然|虽|但是|但)?(?:略|明显|大大|稍|仍|均)?(?:{COMPARED_WITH})")
_RECALLED = re.compile(r"^[^，,]{0,8}?(?:年初|原定|预定|去年|上年|人代会|人大)[^，,]{0,12}?(?:确定|提出|下达|制定|通过|部署)(?:的|$)")
_ADVERBS_ONLY = re.compile(r"^(?:虽然|虽|但是|但|而且|并且)?(?:略|明显|大大|稍|仍|均)?$")
# A share of a whole named before it (全国财政赤字9500亿元，【占国内生产总值比重】3%): the whole's subject leads it.
SHARE_OF_PREVIOUS = re.compile(r"^占[^，,；;。]{1,20}(?:比重|比例|的比重|比率)$")
_PARENTHETICAL = re.compile(r"[（(][^（()）]{0,12}[)）]|<[^<>]*>")
_LEADING = re.compile(
    rf"^(?:力争|争取|确保|预期|预计|计划|推动|实现|完成|其中|[比较](?:上年|去年|{YEAR_RE}年)|同口径|可比口径|按可比价格计算|可比"
    r"|拟安排|安排|拟|提出|去年|上年|(?:过去|近|这|前)?[二三四五六七八九十两]年(?:来|间|中)?|[“\"]?十[一二三四五六七八九]五[”\"]?(?:时期|期间|以来)?"
    r"|并且|并|而|同时|今年|明年|全年|年内|年底|年末|期间"
    rf"|到{YEAR_RE}年(?:底|末)?|{YEAR_RE}年(?:底|末)?|将|要|带动|努力|达到|同比|此外|以及|和|及|共|累计|已"
    r"|加快|推进|全力|全面|大力|积极|着力|持续|深入|进一步"
    r"|为此|对于|把|对(?!外|口|象|接|比|标)|在(?!校|职|岗|编|建|读|押|线|研|册|园|院|营)|又|再(?!就业|生|制造|贷款|担保|融资|保险)"
    r"|还(?!款|本|贷)|了(?!解))+")
_TRAILING = re.compile(
    rf"(?:分别|平均每年|每年平均|年均|均|共|累计|同口径|可比口径|按可比价格计算|可比|力争|争取|预计|确保|努力|预期|{YEAR_RE}年(?:底|末)?(?:预计)?的?"
    r"|约|大约|近|接近|将近|超过|超出|超|突破|破|逾|不少于|不低于|至少|不超过|不高于|最高|最多|低于|少于"
    r"|高于|多于|小于或等于|大于或等于|小于|大于|达到|达|为|完成|实现|保持在|控制在|稳定在|保持|提高到|提高|提升到|提升|从|由|和"
    r"|增加到|增加|增长到|降至|降到|下降到|下降至|降低到|降低至|提高至|提升至|增至|增加至|" + "|".join(GROWTH_WORDS)
    + r"|同比|了|是|在|至|到|实际|名义|合计|总计|拟安排|拟按|按|拟|安排|控制|定为|定在|预期目标|调控目标|增长目标|目标|的"
    rf"|(?:比|较)(?:上年|去年|{YEAR_RE}年)(?:同期|预算)?"
    r"|上年(?!均)|去年|前年(?!均)|年初|前[一二两三四五六七八九十]年|(?:还|也|都|均)?将|(?<![纲主需重概提摘必只])要)+$")
_VERB_END = re.compile(r"(?:建设|建成|新建|改造|推出|实施|启动|推动|完成|引进|引入|培育|打造|新增|组建|举办|开展|治理|认定"
                       r"|交付|吸引|服务|帮扶|救助|办理|提供|解决|整治|修缮|开工|竣工|出让|收储|储备|签约|遴选|形成|建立"
                       r"|成立|设立|挂牌|创建|招引|发展|推广|谋划|投资|参与|惠及|覆盖|优化|表彰|授牌|落实|推进)$")
_SCOPE_PREFIX = re.compile(r"^(?:(?:全(?:市|区|省|县|旗|镇|街道?|州|盟|国)|我(?:国|市|区|省|县|旗|镇)|本(?:市|区|省|县|旗)"
                           r"|(?:市|区|县|旗|州|盟)?本级|地方|全社会|全口径)+)")
# Words after which the subject proper starts (中央提出今年【经济增长】, 新开工【保障性住房】): the cue words that announce
# a figure, times, and the actions done to a catalog quantity.
_CUE = re.compile("|".join((*CUE_WORDS, "今年", "明年", "全年", "年内", "提出", "目标是", "要求", "发行", "安排", "投入", "设立",
                            "新增", "建设", "新建", "建成", "开工", "筹集", "改造")))


@dataclass(frozen=True)
class Subject:
    """The subject phrase before a number and whether the number is a growth rate / a decrease."""

    name: str
    start: int
    growth: bool
    decrease: bool
    inherited: bool = False  # taken from the previous figure of the sentence (…25852元，同比增长11.1%)


def clause_start(text: str, lo: int, pos: int) -> int:
    """Offset just after the last clause delimiter in text[lo:pos] (at most MAX_SUBJECT_CHARS back)."""
    floor = max(lo, pos - MAX_SUBJECT_CHARS)
    i = pos - 1
    while i >= floor:
        if text[i] in CLAUSE_DELIMITERS:
            return i + 1
        i -= 1
    return floor


def read_subject(text: str, lo: int, pos: int, cut: int) -> Subject:
    """The subject between the clause start (>= lo) and the number's start pos; cut = where comparator words begin."""
    start = clause_start(text, lo, pos)
    raw = text[start:cut]
    verb = text[start:pos]
    tail = verb[-6:]
    growth = _GROWTH.search(tail) is not None
    decrease = _DECREASE.search(tail) is not None
    name = _PARENTHETICAL.sub("", raw).strip()
    if _COMPARISON.match(name) or _TURN.match(name) or _ADVERBS_ONLY.match(name):
        return Subject("", start, growth, decrease)
    if compared := _COMPARED_TO.match(name):
        name = name[compared.end():]
    if recalled := _RECALLED.match(name):
        name = name[recalled.end():]
    lead = _LEADING.match(name)
    if lead:
        name = name[lead.end():]
    name = _balanced(_TRAILING.sub("", name).strip(" 的"))
    at = verb.rfind(name) if name else -1
    if at >= 0:  # the words between the name and the number (经济【增长预期目标为】8%) say what the number is
        between = verb[at + len(name):]
        growth = growth or _GROWTH.search(between) is not None
        decrease = decrease or _DECREASE.search(between) is not None
    return Subject(name, start + raw.find(name[:1]) if name else start, growth, decrease)


# 超过900万人的【预期目标】: the target it is compared with, not what is counted.
_TARGET_NOUN = re.compile(r"(?:年初|预定|预期|调控|年度|奋斗|既定)?(?:目标|计划|任务|指标)")
# 由35个【增加到】100个: the change to the next value, not what is counted.
_CHANGED_TO = re.compile(r"(?:增加|提高|降低|减少|扩大|上升|下降|增长|降|升|减)(?:到|至)")
_LIST_SEPARATOR = re.compile(r"以及|、|和|及|与")
_URBAN_RURAL = "城乡"
_MAX_SHARED_HEAD = 4


def list_subjects(text: str, lo: int, subject: Subject, count: int) -> list[str] | None:
    """The subjects of a list of count values, in order, when the subject phrase names that many.

    城镇、农村居民人均可支配收入 (2) -> 城镇居民人均可支配收入, 农村居民人均可支配收入; 一产、二产、三产增加值 (3) -> 一产增加值, …;
    城乡居民人均可支配收入 (2) -> 城镇…, 农村…; A和B (2) -> A, B. None when the phrase does not split into count parts.
    """
    i = subject.start - 1
    floor = max(lo, subject.start - MAX_SUBJECT_CHARS)
    while i >= floor and (text[i] == "、" or text[i] not in CLAUSE_DELIMITERS):
        i -= 1
    phrase = _PARENTHETICAL.sub("", text[i + 1:subject.start]) + subject.name
    lead = _LEADING.match(phrase)
    phrase = phrase[lead.end():] if lead else phrase
    parts = [p.strip() for p in _LIST_SEPARATOR.split(phrase)]
    if len(parts) == 1 and count == 2 and phrase.startswith(_URBAN_RURAL) and len(phrase) > 2:
        return ["城镇" + phrase[2:], "农村" + phrase[2:]]
    if len(parts) != count or not all(parts):
        return None
    head = {len(p) for p in parts[:-1]}
    if len(head) == 1 and (n := head.pop()) <= _MAX_SHARED_HEAD and len(parts[-1]) > n:
        parts = [p + parts[-1][n:] for p in parts[:-1]] + [parts[-1]]  # the shared noun after the last part
    return parts


def _balanced(name: str) -> str:
    """Drop a quote mark left dangling by the clause cut (“两高四新”产业 keeps both)."""
    if name.startswith("“") and "”" not in name:
        name = name[1:]
    if name.endswith("“"):
        name = name[:-1]
    if name.startswith("”"):
        name = name[1:]
    return name.strip()


def prefer_noun_after(text: str, subject: Subject, number_start: int, number_end: int, hi: int,
                      follows_figure: bool) -> Subject:
    """Use the noun after a count (建成6个【口袋公园】) when the words before are only a verb, examples (…等)
    or the previous figure's noun."""
    after = phrase_after(text, number_end, hi)
    name = subject.name
    if not after or _TARGET_NOUN.match(after) or _CHANGED_TO.match(after):
        return subject
    if follows_figure or not name or name.endswith("等"):
        lead = ""
    elif len(name) <= 3:
        lead = name
    else:
        verb = _VERB_END.search(name)
        if verb is None:
            return subject
        lead = verb.group()
    start = subject.start + len(name) - len(lead) if lead else number_start
    return Subject(lead + after, start, subject.growth, subject.decrease)


def metric_after(cat: "Catalog", text: str, number_end: int, hi: int, family: str, growth: bool
                 ) -> tuple[str, Metric] | None:
    """The catalog metric named right after an amount whose words before name none (拟发行【1500亿元】长期建设国债,
    提出【8%左右】的国内生产总值增长目标)."""
    written = phrase_after(text, number_end, hi)
    phrase = _TRAILING.sub("", written)
    growth = growth or _GROWTH.search(written, len(phrase)) is not None
    return match_subject(cat, phrase, family, growth) if phrase else None


def phrase_after(text: str, pos: int, hi: int, limit: int = 16) -> str:
    """The noun phrase right after a count (22所【中小学】), up to the next clause delimiter."""
    end = pos
    stop = min(hi, pos + limit)
    while end < stop and text[end] not in CLAUSE_DELIMITERS and not text[end].isdigit():
        end += 1
    return _PARENTHETICAL.sub("", text[pos:end]).lstrip("的").rstrip("和及与等").strip()


@dataclass(frozen=True)
class Catalog:
    """Metric aliases indexed for exact lookup, plus the scope prefixes (region names) allowed before an alias."""

    by_alias: dict[str, tuple[Metric, ...]]
    alias_lengths: tuple[int, ...]
    alias_re: re.Pattern[str]
    unit_family: dict[str, str]
    regions: frozenset[str]
    region_lengths: tuple[int, ...]  # longest first


@per_reference
def catalog(ref: Reference) -> Catalog:
    """The catalog index for a reference, built once per reference."""
    by_alias: dict[str, list[Metric]] = {}
    for m in ref.metrics:
        for alias in {m.name_zh, *m.aliases}:
            by_alias.setdefault(alias.upper(), []).append(m)
    family = {m.code: (ref.units[m.unit].family if m.unit in ref.units else "") for m in ref.metrics}
    regions = frozenset(n for r in ref.regions for n in (r.name, *r.aliases) if len(n) >= 2)
    lengths = tuple(sorted({len(a) for a in by_alias}, reverse=True))
    alias_re = re.compile("|".join(re.escape(a) for a in sorted(by_alias, key=len, reverse=True)))
    return Catalog({k: tuple(v) for k, v in by_alias.items()}, lengths, alias_re, family, regions,
                   tuple(sorted({len(n) for n in regions}, reverse=True)))


def _candidates(cat: Catalog, key: str) -> tuple[tuple[Metric, ...], int]:
    """Metrics whose alias is the key, or ends it after a scope prefix (全市, 我区, a region name), and where the
    subject proper starts in the key (after cue words: 中央提出今年【经济增长】, …行动力争【社会消费品零售总额】)."""
    found = cat.by_alias.get(key)
    if found:
        return found, 0
    for n in cat.alias_lengths:
        if n < len(key) and key[-n:] in cat.by_alias and (start := _scope_start(cat, key[:-n])) is not None:
            return cat.by_alias[key[-n:]], start
    return (), 0


def mentions_alias(cat: Catalog, name: str) -> bool:
    """True if a catalog alias occurs in the name (else no trimming of it can match the catalog)."""
    return cat.alias_re.search(name.upper()) is not None


def _scope_start(cat: Catalog, rest: str) -> int | None:
    """0 if the words before an alias only say whose/when it is (全市, 海珠区, 今年实现); the offset after the last
    cue word if scope words follow it (…专项行动力争【全市】); else None."""
    if _is_scope(cat, rest):
        return 0
    cue = None
    for cue in _CUE.finditer(rest):
        pass
    return cue.end() if cue is not None and _is_scope(cat, rest[cue.end():]) else None


def _is_scope(cat: Catalog, rest: str) -> bool:
    """True if the words before an alias only say whose/when it is (全市, 海珠区, 今年实现)."""
    for _ in range(4):
        rest = _LEADING.sub("", _SCOPE_PREFIX.sub("", rest))
        if not rest or rest in cat.regions:
            return True
        region = next((rest[:n] for n in cat.region_lengths if n < len(rest) and rest[:n] in cat.regions), None)
        if region is None:
            return False
        rest = rest[len(region):]
    return False


def match_metric(cat: Catalog, name: str, unit_family: str, growth: bool) -> Metric | None:
    """The catalog metric a subject names, consistent with the unit family and the measure the words state.

    | figure's unit          | growth word before it (增长, 下降, 增加) | metric measure accepted                 |
    | % (percent)            | yes                                    | growth                                  |
    | % (percent)            | no                                     | level, share, rate; growth if the name  |
    |                        |                                        | itself says so (经济增长速度, 涨幅)       |
    | 个百分点               | either                                 | change                                  |
    | an amount (亿元, 万人) | yes (比上年减少300亿元)                 | change                                  |
    | an amount              | no                                     | level                                   |

    The unit family must also be the metric's (亿元 never matches a 亿美元 metric). Distance never decides.
    """
    found = match_subject(cat, name, unit_family, growth)
    return found[1] if found else None


def match_subject(cat: Catalog, name: str, unit_family: str, growth: bool) -> tuple[str, Metric] | None:
    """Like match_metric, with the subject trimmed of the cue words before the catalog name (scope words kept)."""
    key = name.upper().replace(" ", "")
    found = _match(cat, key, unit_family, growth)
    if found is None and unit_family == "percent" and (cut := _GROWTH_SUFFIX.search(key)) and cut.start():
        found = _match(cat, key[:cut.start()], unit_family, True)  # 国内生产总值增长(目标) 8%
    if found is None:
        return None
    metric, start = found
    return (name[start:] if start and " " not in name else name), metric


def _match(cat: Catalog, key: str, unit_family: str, growth: bool) -> tuple[Metric, int] | None:
    metrics, start = _candidates(cat, key)
    for m in metrics:
        if cat.unit_family.get(m.code, "") != unit_family:
            continue
        if unit_family == "percent":
            if (m.measure == "growth") != growth and not (m.measure == "growth" and _NAMES_GROWTH.search(key)):
                continue
        elif unit_family == "percentage_point":
            if m.measure != "change":
                continue
        elif (m.measure == "change") != growth:  # 比上年下降2微克/立方米 is a change, not the level
            continue
        return m, start
    return None
