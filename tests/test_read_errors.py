"""Every kind of unreadable file raises ReadError with a one-line reason that names the file."""
from __future__ import annotations

import io
import random
import zipfile

import pytest

from transforms.models import ReadError
from transforms.read import read_document
from variants import as_docx, as_image_only_pdf, as_pdf


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


CASES = {
    "empty.txt": (lambda: b"", "file is empty"),
    "blank.md": (lambda: b" \n\t\n", "file is empty"),
    "junk.txt": (lambda: random.Random(7).randbytes(4000), "binary data"),
    "short_junk.txt": (lambda: bytes(range(128, 256)) * 3, "undecodable"),
    "truncated.txt": (lambda: ("城镇新增就业1.8万人。" * 10).encode()[:-1], "truncated"),
    "controls.txt": (lambda: b"abc\x01\x02\x03def\x04\x05" * 50, "binary data"),
    "broken.pdf": (lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog garbage", "broken PDF"),
    "cut.pdf": (lambda: as_pdf("标题", ["正文。"])[:400], "broken PDF"),
    "scan.pdf": (as_image_only_pdf, "PDF has no text layer (image-only?)"),
    "locked.pdf": (lambda: as_pdf("标题", ["正文。"], encrypt="secret"), "PDF is password-protected"),
    "not_a.pdf": (lambda: "纯文本而已".encode() * 10, "no %PDF header"),
    "cut.docx": (lambda: as_docx("标题", ["正文。"])[:600], "broken .docx"),
    "bad_xml.docx": (lambda: _zip({"[Content_Types].xml": "<x/>", "word/document.xml": "<w:document"}),
                     "broken .docx"),
    "no_body.docx": (lambda: _zip({"readme.txt": "hello"}), "broken .docx"),
    "empty.docx": (lambda: as_docx("", []), ".docx has no text"),
    "script_only.html": (lambda: b"<html><head><script>var a = '\xe6\xad\xa3\xe6\x96\x87';</script></head>"
                                 b"<body><div> </div></body></html>", "HTML page has no text"),
    "table.xlsx": (lambda: _zip({"xl/workbook.xml": "<workbook/>"}), "unsupported file type (Excel workbook)"),
    "old.doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported file type (legacy Office"),
    "photo.jpg": (lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 600, "unsupported file type (JPEG image)"),
    "data.bin": (lambda: "正文".encode() * 50, "unsupported file type (.bin file)"),
    "no_text.csv": (lambda: "id,title\n1,标题\n".encode(), "bundle has no text column"),
    "empty_rows.csv": (lambda: "id,full_text\n1,\n2,\n".encode(), "bundle has no row with text"),
    "bad.jsonl": (lambda: b'{"full_text": "a"}\n{"full_text": ', "malformed JSON on line 2"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_raises_one_line_reason(name):
    build, reason = CASES[name]
    with pytest.raises(ReadError) as info:
        read_document(name, build())
    message = str(info.value)
    assert message.startswith(f"{name}: ")
    assert reason in message
    assert "\n" not in message
