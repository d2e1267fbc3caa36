"""PDF (text layer, via pdfplumber) and .docx (via python-docx) readers: paragraphs as lines, plus file metadata."""
from __future__ import annotations

import io
import logging
import re
import zipfile

from .models import ReadError

_PAGE_NUMBER = re.compile(r"^[\s\-—–·]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[\s\-—–·]*$")
# A line ending this many characters before the right margin ends its paragraph (CJK wrapping leaves up to
# two characters of slack when a closing quote or punctuation may not start the next line).
_SHORT_LINE_CHARS = 3.0
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_CJK = re.compile(r"[\u4e00-\u9fff]")

for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)  # pdfminer logs every malformed object at WARNING


def _join(a: str, b: str) -> str:
    """Join a wrapped line to the next: no space between CJK, one space between Latin words."""
    if a and b and _ASCII_WORD.match(a[-1]) and _ASCII_WORD.match(b[0]):
        return f"{a} {b}"
    return a + b


def _reflow(lines: list[dict]) -> tuple[list[str], bool, bool]:
    """Rebuild paragraphs from a page's visual lines (a paragraph ends at a short or indented line).

    Also tells whether the page starts with an indented (new) paragraph and whether its last paragraph runs
    to the right margin, i.e. continues on the next page.
    """
    lines = [ln for ln in lines if ln["text"].strip() and not _PAGE_NUMBER.match(ln["text"])]
    if not lines:
        return [], False, False
    left = min(ln["x0"] for ln in lines)
    right = max(ln["x1"] for ln in lines)
    first_w = max(1.0, (lines[0]["x1"] - lines[0]["x0"]) / len(lines[0]["text"].strip()))
    starts_new = lines[0]["x0"] > left + first_w
    paragraphs: list[str] = []
    current = ""
    for ln, nxt in zip(lines, lines[1:]):
        text = ln["text"].strip()
        char_w = max(1.0, (ln["x1"] - ln["x0"]) / len(text))
        current = _join(current, text)
        short = ln["x1"] < right - _SHORT_LINE_CHARS * char_w
        indented = nxt["x0"] > left + char_w
        gap = nxt["top"] - ln["bottom"] > 1.2 * (ln["bottom"] - ln["top"])
        if short or indented or gap:
            paragraphs.append(current)
            current = ""
    last = lines[-1]
    text = last["text"].strip()
    paragraphs.append(_join(current, text))
    runs_on = len(lines) > 1 and last["x1"] >= right - _SHORT_LINE_CHARS * max(1.0, (last["x1"] - last["x0"]) / len(text))
    return paragraphs, starts_new, runs_on


def read_pdf(source_file: str, data: bytes) -> tuple[str, dict[str, str]]:
    """Text layer of a PDF with paragraphs rebuilt, and its Title; ReadError if broken, locked or image-only."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            meta = {}
            title = str((pdf.metadata or {}).get("Title") or "").strip()
            if _CJK.search(title):
                meta["title"] = title
            paragraphs: list[str] = []
            continues = False
            for page in pdf.pages:
                page_paragraphs, starts_new, next_continues = _reflow(
                    page.extract_text_lines(strip=True, return_chars=False))
                if continues and not starts_new and paragraphs and page_paragraphs:
                    paragraphs[-1] = _join(paragraphs[-1], page_paragraphs.pop(0))
                paragraphs.extend(page_paragraphs)
                continues = next_continues
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError(f"{source_file}: PDF is password-protected") from None
    except Exception as e:  # pdfminer raises many unrelated types for a damaged file; pdfplumber wraps them
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise ReadError(f"{source_file}: PDF is password-protected") from None
        raise ReadError(f"{source_file}: broken PDF ({type(cause).__name__}: {str(cause)[:80]})") from None
    text = "\n".join(paragraphs)
    if not text.strip():
        raise ReadError(f"{source_file}: PDF has no text layer (image-only?)")
    return text, meta


def read_docx(source_file: str, data: bytes) -> tuple[str, dict[str, str]]:
    """Paragraphs and table rows of a .docx in document order, and its core-properties title."""
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ReadError(f"{source_file}: broken .docx ({type(e).__name__}: {str(e)[:80]})") from None
    except Exception as e:  # lxml and python-docx raise their own types for damaged parts
        raise ReadError(f"{source_file}: broken .docx ({type(e).__name__}: {str(e)[:80]})") from None
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = ("".join(t.text or "" for t in tc.iter(qn("w:t"))).strip() for tc in row.iter(qn("w:tc")))
                lines.append(" ".join(c for c in cells if c))
    text = "\n".join(ln for ln in lines if ln.strip())
    if not text.strip():
        raise ReadError(f"{source_file}: .docx has no text")
    meta = {}
    title = (document.core_properties.title or "").strip()
    if _CJK.search(title):
        meta["title"] = title
    return text, meta
