"""Injected SEO spam: a short brand string pasted verbatim into many unrelated places of a page.

An injected unit is found from an anchor that normal report prose does not contain — lowercase Latin
letters or digits glued into Chinese (凯发k8), or a gambling/SEO term (娱乐城, 官网入口) — that occurs at
least twice. The unit around the anchor is the Chinese text that is identical at every occurrence
(the brand, 凯发…国际的), while the text before it differs (it was pasted into different sentences).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .models import Finding

_CJK = r"\u4e00-\u9fff"
_CODE = r"[A-Za-z0-9]*(?:[a-z][A-Za-z]*[0-9]|[0-9][0-9]*[a-z])[A-Za-z0-9]*"  # lowercase letters with digits
_TERMS = "博彩|赌场|娱乐城|真人娱乐|网投|百家乐|老虎机|体育投注|线上娱乐|彩票网|官网入口|登录入口|注册送|葡京|太阳城"
_ANCHOR = re.compile(  # the leading lookahead lets the engine skip text that cannot start an anchor
    rf"(?=[A-Za-z0-9{''.join(sorted({t[0] for t in _TERMS.split('|')}))}])"
    rf"(?:(?<=[{_CJK}]){_CODE}|{_CODE}(?=[{_CJK}])|{_TERMS})")
_MEASURE = re.compile(r"[0-9.]+(?:km|kg|mg|mm|cm|m|g|t|kw|kwh|mw|gw|ha|ml|l|m2|m3|mu)", re.I)
# Words that end a brand name; the unit's right edge is after the last of these (or after 的).
_BRAND_END = re.compile(r"(?:国际|娱乐|官网|官方网站|平台|体育|集团|棋牌|彩票|真人|游戏|网址|入口|登录|app|APP)")
# Contact hooks and gambling/advert phrases: a short line carrying one is an injected advert, not report text (and
# expectations.suites.SPAM_PATTERN flags any left in a sentence). Written without \s and \d so that pandas runs it in
# pyarrow's RE2 over a whole column rather than Python's re row by row; the classes spell out what \s and \d meet
# in reports and adverts (ASCII, full-width and mathematical digits; ASCII, no-break and ideographic spaces).
_DIGIT = "0-9０-９\U0001D7CE-\U0001D7FF"  # ASCII, full-width, mathematical (𝟏𝟐𝟑)
_SPACE = " \t\r\n\f\v\xa0\u3000"
ADVERT_PATTERN = (
    f"加微信|微信号[:：]|[Qq]{{2}}群?[:：]?[{_SPACE}]*[{_DIGIT}]{{5,}}|扫码(?:领取|关注|下载|加入)|代开(?:发票|增值税)"
    f"|网赌|娱乐城|真人视讯|百家乐|六合彩|点击(?:下载|进入|领取)|免费领取|日赚[{_DIGIT}]|月入[{_DIGIT}一二三四五六七八九十]+万")
_ADVERT = re.compile(ADVERT_PATTERN)
_MAX_ADVERT_LINE = 200
_MAX_LEFT = 4
_MAX_RIGHT = 8
_MIN_OCCURRENCES = 2


@dataclass(frozen=True)
class InjectedUnit:
    """One injected string and where it was found in the text."""

    text: str
    starts: tuple[int, ...]


def _common_suffix(strings: list[str]) -> str:
    first = min(strings, key=len)
    n = 0
    while n < len(first) and all(s[len(s) - n - 1] == first[len(first) - n - 1] for s in strings):
        n += 1
    return first[len(first) - n:]


def _common_prefix(strings: list[str]) -> str:
    first = min(strings, key=len)
    n = 0
    while n < len(first) and all(s[n] == first[n] for s in strings):
        n += 1
    return first[:n]


def _right_extent(common_right: str) -> str:
    """The part of the shared right context that still belongs to the brand."""
    cut = common_right.rfind("的")
    if cut >= 0:
        return common_right[:cut + 1]
    end = 0
    for m in _BRAND_END.finditer(common_right):
        if m.start() == end:
            end = m.end()
    return common_right[:end]


def _cjk_run_before(text: str, pos: int) -> str:
    start = pos
    while start > 0 and pos - start < _MAX_LEFT + 1 and "\u4e00" <= text[start - 1] <= "\u9fff":
        start -= 1
    return text[start:pos]


def _cjk_run_after(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and end - pos < _MAX_RIGHT and "\u4e00" <= text[end] <= "\u9fff":
        end += 1
    return text[pos:end]


def find_injected(text: str) -> list[InjectedUnit]:
    """Injected units in a text, each with the offsets of all its occurrences."""
    by_anchor: dict[str, list[re.Match[str]]] = defaultdict(list)
    for m in _ANCHOR.finditer(text):
        if not _MEASURE.fullmatch(m.group()):
            by_anchor[m.group()].append(m)
    units: dict[str, InjectedUnit] = {}
    for anchor, matches in by_anchor.items():
        if len(matches) < _MIN_OCCURRENCES:
            continue
        lefts = [_cjk_run_before(text, m.start()) for m in matches]
        rights = [_cjk_run_after(text, m.end()) for m in matches]
        left = _common_suffix(lefts)[-_MAX_LEFT:]
        right = _right_extent(_common_prefix(rights))
        if not left and not right:
            continue
        unit = left + anchor + right
        starts = tuple(m.start() - len(left) for m in matches)
        # Pasted into different sentences: the text just before the unit is not always the same.
        contexts = {text[max(0, s - 2):s] for s in starts}
        if len(contexts) < 2 or unit in units:
            continue
        units[unit] = InjectedUnit(unit, starts)
    return list(units.values())


def remove_advert_lines(text: str) -> tuple[str, list[Finding]]:
    """Text without short advert lines (contact hooks, gambling), and a warning Finding naming them."""
    lines = text.split("\n")
    dropped = [i for i, ln in enumerate(lines) if len(ln) <= _MAX_ADVERT_LINE and _ADVERT.search(ln)]
    if not dropped:
        return text, []
    shown = "; ".join(f"'{lines[i].strip()[:40]}'" for i in dropped[:3])
    finding = Finding(check="injected_text_removed", severity="warning",
                      message=f"removed {len(dropped)} advert line(s) (cleaned line {', '.join(str(i + 1) for i in dropped)}): "
                              f"{shown}", detail="\n".join(lines[i] for i in dropped))
    drop = set(dropped)
    return "\n".join(ln for i, ln in enumerate(lines) if i not in drop), [finding]


def remove_injected(text: str) -> tuple[str, list[Finding]]:
    """Text with injected units removed, and one warning Finding per unit naming it, its count and places."""
    units = find_injected(text)
    if not units:
        return text, []
    spans = sorted((s, s + len(u.text)) for u in units for s in u.starts)
    kept: list[str] = []
    pos = 0
    for start, end in spans:
        if start < pos:  # overlapping units: the earlier one already covers this text
            start = pos
        kept.append(text[pos:start])
        pos = max(pos, end)
    kept.append(text[pos:])
    findings = []
    for u in units:
        lines = sorted({text.count("\n", 0, s) + 1 for s in u.starts})
        findings.append(Finding(
            check="injected_text_removed", severity="warning",
            message=f"removed injected text '{u.text}' x{len(u.starts)} "
                    f"(line {', '.join(map(str, lines))}; offsets {', '.join(map(str, u.starts))})",
            detail=u.text))
    return "".join(kept), findings
