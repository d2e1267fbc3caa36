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


def normalise_line(line: str) -> str:
    """A line with invisible characters dropped and runs of (full-width) spaces collapsed to one space."""
    if "<U+" in line:
        line = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), line)
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


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
