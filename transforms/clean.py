"""Cleaning: strip page furniture and injected text, keep paragraphs as lines."""
from __future__ import annotations

from .models import CleanText, RawDocument


def clean_document(raw: RawDocument) -> CleanText:
    """Return the text used for extraction, with findings about what was removed."""
    lines = [ln.strip() for ln in raw.text.splitlines()]
    return CleanText(text="\n".join(ln for ln in lines if ln))
