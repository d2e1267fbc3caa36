"""Cleaning: strip page furniture and injected text, keep paragraphs as lines."""
from __future__ import annotations

import re

from .furniture import is_furniture
from .models import CleanText, Finding, RawDocument
from .read_bundle import SKIP_REASON
from .spam import remove_advert_lines, remove_injected

# Invisible characters (zero-width, soft hyphen, BOM) that scrapers leave inside words.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u00ad\ufeff\u2060]")
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
# Characters a scraper wrote out as R-style escapes (<U+00A0>): read back as the character they name.
_ESCAPED = re.compile(r"<U\+([0-9A-Fa-f]{4,5})>")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# A scrape that puts a space after every half-width digit (1 9 9 7 年, 8 ．8 ％, 1 0 ．0 6 ‰): in a line where every
# digit is followed by a space and two digits stand spaced side by side, the spaces after digits are dropped.
_SPACED_DIGITS = re.compile(r"[0-9] [0-9．.]")
_UNSPACED_DIGIT = re.compile(r"[0-9](?! |$)")
_SPACE_AFTER_DIGIT = re.compile(r"(?<=[0-9]) (?=\S)")
_SPACE_AFTER_POINT = re.compile(r"(?<=[0-9][.．]) (?=[0-9])")  # 8 . 8 % -> 8. 8% -> 8.8%
_MIN_SPACED_PAIRS = 1


def normalise_line(line: str) -> str:
    """A line with invisible characters dropped, runs of (full-width) spaces collapsed to one space, and numbers
    spaced out digit by digit joined again."""
    if "<U+" in line:
        line = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), line)
    return join_spaced_digits(_SPACES.sub(" ", _INVISIBLE.sub("", line)).strip())


def join_spaced_digits(line: str) -> str:
    """The line with digits spaced out by a scrape joined (1 0 ．0 6 ‰ -> 10．06‰); any other line unchanged."""
    if (len(_SPACED_DIGITS.findall(line)) >= _MIN_SPACED_PAIRS and not _UNSPACED_DIGIT.search(line)):
        return _SPACE_AFTER_POINT.sub("", _SPACE_AFTER_DIGIT.sub("", line))
    return line


def _strip_links(line: str) -> str:
    return _URL.sub("", line).strip() if "//" in line or "www." in line else line


def clean_document(raw: RawDocument) -> CleanText:
    """Return the text used for extraction, with findings about what was removed."""
    if SKIP_REASON in raw.meta:
        message = f"{raw.source_file}#{raw.part}: {raw.meta[SKIP_REASON]}, nothing to extract"
        return CleanText(text="", findings=[Finding("bundle_row_skipped", "warning", message, detail=raw.part)])
    text, findings = remove_injected(raw.text)
    lines = (normalise_line(ln) for ln in text.splitlines())
    text = "\n".join(_strip_links(ln) for ln in lines if ln and not is_furniture(ln))
    text, advert_findings = remove_advert_lines(text)
    return CleanText(text="\n".join(ln for ln in text.split("\n") if ln), findings=findings + advert_findings)
