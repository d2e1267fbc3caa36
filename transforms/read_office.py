""".docx reader (via python-docx): paragraphs and table rows as lines, plus the document title."""
from __future__ import annotations

import io
import re

from .models import ReadError

_CJK = re.compile(r"[\u4e00-\u9fff]")


def read_docx(source_file: str, data: bytes) -> tuple[str, dict[str, str]]:
    """Paragraphs and table rows of a .docx in document order, and its core-properties title."""
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # zipfile, lxml and python-docx raise their own types for damaged parts
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
