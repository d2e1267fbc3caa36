"""PDF reader: the text layer via PDFium (pypdfium2), with paragraphs rebuilt from line geometry."""
from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass

from .models import ReadError

_PAGE_NUMBER = re.compile(r"^[\s\-—–·]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[\s\-—–·]*$")
# A line ending this many characters before the right margin ends its paragraph (CJK wrapping leaves up to
# two characters of slack when a closing quote or punctuation may not start the next line).
_SHORT_LINE_CHARS = 3.0
# Lines whose heights differ by more than this share are set in different font sizes (heading vs body).
_FONT_CHANGE = 0.15
# A page header or footer is one of the first or last _EDGE_LINES lines of a page, repeated (digits aside)
# at the same height on at least _RUNNING_MIN_PAGES pages and _RUNNING_SHARE of them.
_EDGE_LINES = 2
_RUNNING_MIN_PAGES = 3
_RUNNING_SHARE = 0.5
_DIGITS = re.compile(r"\d+")
# PDFium marks a word broken by a hyphen at the end of a line with this non-character.
_SOFT_HYPHEN = "\ufffe"
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# PDFium error codes (FPDF_ERR_*) raised when a document cannot be opened.
_ERR_PASSWORD = 4
_ERR_SECURITY = 5
# PDFium is not thread-safe: one document at a time per process.
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class _Line:
    """One visual line: its text and box (x grows rightwards, top/bottom grow downwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def _join(a: str, b: str) -> str:
    """Join a wrapped line to the next: no space between CJK, one space between Latin words."""
    if a.endswith(_SOFT_HYPHEN):
        return a[:-1] + b
    if a and b and _ASCII_WORD.match(a[-1]) and _ASCII_WORD.match(b[0]):
        return f"{a} {b}"
    return a + b


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _page_lines(textpage, page_height: float) -> list[_Line]:
    """The page's visual lines (PDFium ends each with CRLF) and their boxes, blank lines dropped."""
    import pypdfium2.raw as raw

    text = textpage.get_text_range()
    lines = []
    pos = 0  # index into PDFium's UTF-16 text, which is not always its char index
    for line in text.split("\r\n"):
        stripped = line.strip()
        if stripped:
            first = pos + _utf16_len(line[:len(line) - len(line.lstrip())])
            last = first + _utf16_len(stripped) - 1
            first_char = raw.FPDFText_GetCharIndexFromTextIndex(textpage.raw, first)
            last_char = raw.FPDFText_GetCharIndexFromTextIndex(textpage.raw, last)
            if first_char >= 0 and last_char >= 0:
                x0, bottom, _, top = textpage.get_charbox(first_char, loose=True)
                x1 = textpage.get_charbox(last_char, loose=True)[2]
                lines.append(_Line(stripped, x0, max(x0, x1), page_height - top, page_height - bottom))
        pos += _utf16_len(line) + 2
    return lines


def _same_size(a: _Line, b: _Line) -> bool:
    height = a.bottom - a.top
    return abs((b.bottom - b.top) - height) <= _FONT_CHANGE * height


def _edge_key(line: _Line) -> tuple[str, int]:
    return _DIGITS.sub("#", line.text), round(line.top)


def _without_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Pages without headers/footers: lines at a page's edge repeated, digits aside, at the same height."""
    if len(pages) < _RUNNING_MIN_PAGES:
        return pages
    counts: Counter[tuple[str, int]] = Counter()
    for lines in pages:
        counts.update({_edge_key(ln) for ln in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]})
    needed = max(_RUNNING_MIN_PAGES, _RUNNING_SHARE * len(pages))
    running = {key for key, n in counts.items() if n >= needed}
    if not running:
        return pages
    out = []
    for lines in pages:
        edge = len(lines) - _EDGE_LINES
        out.append([ln for i, ln in enumerate(lines)
                    if _EDGE_LINES <= i < edge or _edge_key(ln) not in running])
    return out


def _reflow(lines: list[_Line]) -> tuple[list[str], bool, _Line | None]:
    """Rebuild paragraphs from visual lines (a paragraph ends at a short line, indent, gap or font change).

    Also tells whether the page starts with an indented (new) paragraph, and gives its last line if that
    runs to the right margin, i.e. its paragraph may continue on the next page.
    """
    if not lines:
        return [], False, None
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)

    def char_width(ln: _Line) -> float:
        return max(1.0, (ln.x1 - ln.x0) / len(ln.text))

    starts_new = lines[0].x0 > left + char_width(lines[0])
    paragraphs: list[str] = []
    current = ""
    for ln, nxt in zip(lines, lines[1:]):
        current = _join(current, ln.text)
        short = ln.x1 < right - _SHORT_LINE_CHARS * char_width(ln)
        indented = nxt.x0 > left + char_width(ln)
        gap = nxt.top - ln.bottom > 1.2 * (ln.bottom - ln.top)
        if short or indented or gap or not _same_size(ln, nxt):
            paragraphs.append(current)
            current = ""
    last = lines[-1]
    paragraphs.append(_join(current, last.text))
    runs_on = len(lines) > 1 and last.x1 >= right - _SHORT_LINE_CHARS * char_width(last)
    return paragraphs, starts_new, last if runs_on else None


def _paragraphs(pages: list[list[_Line]]) -> list[str]:
    """Paragraphs of all pages, without page numbers or running headers, joined where they cross a page."""
    pages = _without_running_lines([[ln for ln in lines if not _PAGE_NUMBER.match(ln.text)] for lines in pages])
    paragraphs: list[str] = []
    open_line: _Line | None = None
    for lines in pages:
        page_paragraphs, starts_new, last_open = _reflow(lines)
        if open_line and not starts_new and paragraphs and page_paragraphs and _same_size(open_line, lines[0]):
            paragraphs[-1] = _join(paragraphs[-1], page_paragraphs.pop(0))
        paragraphs.extend(page_paragraphs)
        open_line = last_open
    return [p.replace(_SOFT_HYPHEN, "-") for p in paragraphs]


def _open(source_file: str, data: bytes):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) in (_ERR_PASSWORD, _ERR_SECURITY):
            raise ReadError(f"{source_file}: PDF is password-protected") from None
        raise ReadError(f"{source_file}: broken PDF ({str(e)[:80]})") from None
    if len(pdf) == 0:
        pdf.close()
        raise ReadError(f"{source_file}: broken PDF (no pages)")
    return pdf


def read_pdf(source_file: str, data: bytes) -> tuple[str, dict[str, str]]:
    """Text layer of a PDF with paragraphs rebuilt, and its Title; ReadError if broken, locked or image-only."""
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        pdf = _open(source_file, data)
        try:
            meta = {}
            title = (pdf.get_metadata_value("Title") or "").strip()
            if _CJK.search(title):
                meta["title"] = title
            pages = []
            for page in pdf:
                textpage = page.get_textpage()
                pages.append(_page_lines(textpage, page.get_height()))
                textpage.close()
                page.close()
        except pdfium.PdfiumError as e:
            raise ReadError(f"{source_file}: broken PDF ({str(e)[:80]})") from None
        finally:
            pdf.close()
    text = "\n".join(_paragraphs(pages))
    if not text.strip():
        raise ReadError(f"{source_file}: PDF has no text layer (image-only?)")
    return text, meta
