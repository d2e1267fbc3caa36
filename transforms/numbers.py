"""Number parsing for report text: Arabic (half/full-width, thousands commas), Chinese numerals, magnitudes,
signs, shares (百分之五, 三分之一) and plan names that look like numerals (十五, 十一五).

| written                         | read as                                                          |
| ------------------------------- | ---------------------------------------------------------------- |
| 1,234.5 / １０．０６ / 19·5     | 1234.5 / 10.06 / 19.5                                            |
| 三 / 十五 / 一百零八 / 一百八   | 3 / 15 / 108 / 180 (a trailing digit after a unit scales by it)   |
| 三十五点五 / 零点五             | 35.5 / 0.5                                                       |
| 二〇二六 / 一九九八             | 2026 / 1998 (digit by digit: four digits, or any with a zero)    |
| 九五 / 八五                     | None: two digits side by side are a plan name, never 95 or 85    |
| 1.6万 / 5.3万亿                 | 16000 / 5.3e12                                                   |
| -2.1 / −0.3 / －0.5             | a minus (MINUS) before a number is its sign                      |
| 百分之五 / 三分之一 / 千分之五  | 5 / 33.33… / 0.5, in percent                                     |
| 十五 + 计划/规划/期间/时期/末   | a plan name (PLAN_NAME_RE), never the number 15                  |
"""
from __future__ import annotations

import re

# An Arabic numeral after its first digit; the decimal point may be full-width or a middle dot (19·5％ in 1990s texts).
ARABIC_TAIL_RE = r"[0-9０-９]*(?:,[0-9]{3}(?![0-9]))*(?:[.．·][0-9０-９]+)?"
ARABIC_RE = r"[0-9０-９]" + ARABIC_TAIL_RE
CHINESE_RE = r"[零〇○一二两三四五六七八九十百千]+"
CHINESE_DECIMAL_RE = CHINESE_RE + r"(?:点[零〇○一二三四五六七八九]+)?"
MAGNITUDE_RE = r"(?:万亿|千亿|百亿|千万|百万|十万|亿|万)"
# Years, in one place: every regex that reads a year and every check or input that bounds one uses these.
YEAR_RE = r"(?:19|20)\d{2}"  # a four-digit year of the 20th or 21st century
YEAR_ANY_WIDTH_RE = r"(?:19|20|１９|２０)[0-9０-９]{2}"  # the same, digits half- or full-width (２０２４)
YEAR_LIKE = (1900, 2100)  # a whole number in this range before 年 dates (2024 年), it does not count years
PLAUSIBLE_YEARS = (1949, 2100)  # a report or period year the checks and reviewers accept: the PRC's founding to 2100
MINUS = "-−－"  # hyphen-minus, minus sign, full-width hyphen-minus
# A share of a whole: 百分之五, 百分之三十五点五, 三分之一, 千分之五, 百分之0.5 (denominator 分之 numerator).
SHARE_RE = rf"[0-9０-９一二两三四五六七八九十百千万][0-9０-９一二两三四五六七八九十百千万]*分之(?:{ARABIC_RE}|{CHINESE_DECIMAL_RE})"
# Five-year plans named by their number: 八五, 九五, 十五, 十一五 … 十九五, with or without quotes. 十五 alone is a
# numeral; followed by these words (or a closing quote) it is the plan.
PLAN_NAME_RE = r"(?:[八九]|十[一二三四五六七八九]?)五(?=[”\"’]|计划|规划|期间|时期|期末|末|初期|中期|前期|后期|以来|开局)"

MAGNITUDES: dict[str, float] = {
    "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "千万": 1e7, "百万": 1e6, "十万": 1e5, "亿": 1e8, "万": 1e4,
}

_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0, "两": 2}
_ZEROS = frozenset("零〇○")
_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．·", "0123456789..")
_PLAN_NAME = re.compile(PLAN_NAME_RE)


def parse_arabic(s: str) -> float:
    """Value of an Arabic numeral as written (full-width digits and thousands commas allowed)."""
    return float(s.translate(_FULLWIDTH).replace(",", ""))


def parse_chinese(s: str) -> float | None:
    """Value of a Chinese numeral below 10,000 (三, 十五, 两千, 一百零八, 三十五点五, 二〇二六 as digits), None if
    malformed or a plan name written as digits (九五)."""
    if not s:
        return None
    whole, point, decimals = s.partition("点")
    if point:
        if not decimals or any(c not in _DIGIT or c == "两" for c in decimals):
            return None
        value = parse_chinese(whole)
        return None if value is None else float(f"{int(value)}.{''.join(str(_DIGIT[c]) for c in decimals)}")
    if all(c in _DIGIT for c in s):
        if len(s) == 1:
            return float(_DIGIT[s])
        if len(s) != 4 and not _ZEROS.intersection(s):
            return None  # 九五, 八五: side-by-side digits that are not a year
        return float("".join(str(_DIGIT[c]) for c in s))
    total, digit, unit, after_zero = 0, None, None, False
    for c in s:
        if c in _DIGIT:
            if digit is not None and _DIGIT[c] != 0:
                return None
            after_zero = after_zero or _DIGIT[c] == 0
            digit = _DIGIT[c] if _DIGIT[c] != 0 else None
        elif c in _SMALL_UNIT:
            if unit is not None and _SMALL_UNIT[c] >= unit:
                return None  # 十百, 三十五十
            total += (1 if digit is None else digit) * _SMALL_UNIT[c]
            digit, unit, after_zero = None, _SMALL_UNIT[c], False
        else:
            return None
    if digit is not None and unit is not None and unit > 10 and not after_zero:
        return float(total + digit * unit // 10)  # 一百八 = 180, 三千五 = 3500
    return float(total + (digit or 0))


def parse_number(s: str) -> float | None:
    """Value of a numeral token, Arabic or Chinese, with an optional trailing magnitude (1.6万 -> 16000)."""
    factor = 1.0
    for mag in sorted(MAGNITUDES, key=len, reverse=True):
        if s.endswith(mag) and len(s) > len(mag):
            s, factor = s[: -len(mag)], MAGNITUDES[mag]
            break
    if not s:
        return None
    if s[0] in "0123456789０１２３４５６７８９":
        try:
            return parse_arabic(s) * factor
        except ValueError:
            return None
    value = parse_chinese(s)
    return None if value is None else value * factor


def parse_share(s: str) -> float | None:
    """A share written as a fraction, in percent: 百分之五 -> 5, 三分之一 -> 33.33…, 千分之五 -> 0.5; else None."""
    whole, sep, part = s.partition("分之")
    if not sep:
        return None
    denominator, numerator = parse_number(whole), parse_number(part)
    if not denominator or numerator is None or numerator > denominator:
        return None
    return 100.0 * numerator / denominator


def is_plan_name(text: str, start: int) -> bool:
    """True if a Chinese numeral at text[start] names a five-year plan (十五计划, “九五”, 十一五期间), not a number."""
    return _PLAN_NAME.match(text, start) is not None
