"""Readers: file bytes in, RawDocument records out (a bundle file yields one per row)."""
from __future__ import annotations

from .models import RawDocument, ReadError


def read_document(source_file: str, data: bytes) -> list[RawDocument]:
    """Decode a report file into one or more raw documents; raise ReadError with a reason if unreadable."""
    if not data.strip():
        raise ReadError(f"{source_file}: file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReadError(f"{source_file}: not valid UTF-8 text ({e.reason} at byte {e.start})") from None
    return [RawDocument(source_file=source_file, text=text, fmt="txt", encoding="utf-8")]
