"""Number parsing for report text: Arabic (half/full-width, thousands commas), Chinese numerals, magnitudes."""
from __future__ import annotations

ARABIC_RE = r"[0-9０-９]+(?:,[0-9]{3}(?![0-9]))*(?:[.．][0-9０-９]+)?"
CHINESE_RE = r"[零〇○一二两三四五六七八九十百千]+"
MAGNITUDE_RE = r"(?:万亿|千亿|百亿|千万|百万|十万|亿|万)"
YEAR_RE = r"(?:19|20)\d{2}"  # a four-digit year of the 20th or 21st century

MAGNITUDES: dict[str, float] = {
    "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "千万": 1e7, "百万": 1e6, "十万": 1e5, "亿": 1e8, "万": 1e4,
}

_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0, "两": 2}
_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def parse_arabic(s: str) -> float:
    """Value of an Arabic numeral as written (full-width digits and thousands commas allowed)."""
    return float(s.translate(_FULLWIDTH).replace(",", ""))


def parse_chinese(s: str) -> float | None:
    """Value of a Chinese numeral below 10,000 (三, 十五, 两千, 一百零八, 二〇二六 as digits), None if malformed."""
    if not s:
        return None
    if all(c in _DIGIT for c in s):
        if len(s) == 1:
            return float(_DIGIT[s])
        return float("".join(str(_DIGIT[c]) for c in s))
    total, digit = 0, None
    for c in s:
        if c in _DIGIT:
            if digit is not None and _DIGIT[c] != 0:
                return None
            digit = _DIGIT[c] if _DIGIT[c] != 0 else None
        elif c in _SMALL_UNIT:
            total += (1 if digit is None else digit) * _SMALL_UNIT[c]
            digit = None
        else:
            return None
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
