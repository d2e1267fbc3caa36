"""Bytes to text: encoding detection with charset-normalizer, and rejection of binary or truncated data."""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .models import ReadError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab/newline/carriage return/form feed: never part of a report.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_MAX_CONTROL_SHARE = 0.01
# A report decoded with a guessed encoding is mostly Chinese characters, CJK punctuation and ASCII.
_PLAUSIBLE = re.compile(r"[\t\n\r\x20-\x7e\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_MIN_PLAUSIBLE_SHARE = 0.8


def _check_text(source_file: str, text: str) -> None:
    if not text.strip():
        raise ReadError(f"{source_file}: file has no text")
    bad = len(_CONTROL.findall(text))
    if bad > _MAX_CONTROL_SHARE * len(text):
        raise ReadError(f"{source_file}: binary data, not text ({bad} control or replacement characters)")


def _strict_utf8(source_file: str, data: bytes) -> str | None:
    """Decode as UTF-8 if it is UTF-8; None if it is not; ReadError if it is UTF-8 cut mid-character."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.start >= len(data) - 3:
            raise ReadError(f"{source_file}: text is truncated (incomplete UTF-8 character at byte {e.start})") from None
        return None


def decode_bytes(source_file: str, data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for a text file; raise ReadError for binary, undecodable or truncated data."""
    if not data.strip():
        raise ReadError(f"{source_file}: file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as e:
                raise ReadError(f"{source_file}: undecodable {encoding} text ({e.reason} at byte {e.start})") from None
            _check_text(source_file, text)
            return text.lstrip("\ufeff"), encoding
    text = _strict_utf8(source_file, data)
    if text is not None:
        _check_text(source_file, text)
        return text, "utf-8"
    if b"\x00" in data[:4096]:
        raise ReadError(f"{source_file}: binary data, not text (NUL bytes and no UTF-16 byte-order mark)")
    best = from_bytes(data).best()
    if best is None:
        raise ReadError(f"{source_file}: undecodable text (no known encoding fits)")
    text = str(best)
    encoding = best.encoding.replace("_", "-")
    _check_text(source_file, text)
    plausible = len(_PLAUSIBLE.findall(text))
    if plausible < _MIN_PLAUSIBLE_SHARE * len(text):
        raise ReadError(f"{source_file}: binary data or undecodable text (as {encoding} only "
                        f"{plausible / len(text):.0%} of it is Chinese or ASCII)")
    return text, encoding
