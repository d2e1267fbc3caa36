"""Readers: file bytes in, RawDocument records out (a bundle file yields one per row).

The format is chosen by content sniffing first (PDF magic, a zip holding word/document.xml, HTML markup,
front matter, JSON lines, a CSV header with a text column) and only then by the file extension.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from .decode import decode_bytes
from .html_text import html_to_text, looks_like_html
from .markdown_text import has_front_matter, looks_like_markdown, markdown_to_text, split_front_matter
from .models import RawDocument, ReadError
from .read_bundle import SKIP_REASON, csv_rows, jsonl_rows, looks_like_csv_bundle, looks_like_jsonl
from .read_office import read_docx
from .read_pdf import read_pdf

# Binary signatures of formats we do not read, with the name used in the error message.
_UNSUPPORTED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office .doc/.xls/.ppt; save it as .docx"),
    (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"), (b"Rar!", "RAR archive"), (b"7z\xbc\xaf", "7-Zip archive"),
    (b"{\\rtf", "RTF document"), (b"II*\x00", "TIFF image"), (b"MM\x00*", "TIFF image"),
)
_ZIP_KINDS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "Excel workbook"), ("ppt/presentation.xml", "PowerPoint presentation"),
    ("content.xml", "OpenDocument file"),
)
_TEXT_EXTENSIONS = frozenset({"", ".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".shtml",
                              ".csv", ".tsv", ".jsonl", ".ndjson", ".json"})


def _ext(source_file: str) -> str:
    return PurePath(source_file).suffix.lower()


def _read_zip(source_file: str, data: bytes) -> tuple[str, dict[str, str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        if _ext(source_file) == ".docx":
            raise ReadError(f"{source_file}: broken .docx (not a readable zip archive)") from None
        raise ReadError(f"{source_file}: broken zip archive") from None
    if "word/document.xml" in names:
        return read_docx(source_file, data)
    kind = next((k for name, k in _ZIP_KINDS if name in names), "zip archive")
    if _ext(source_file) == ".docx":
        raise ReadError(f"{source_file}: broken .docx (no word/document.xml in the archive)")
    raise ReadError(f"{source_file}: unsupported file type ({kind})")


def _text_document(source_file: str, text: str, encoding: str) -> RawDocument:
    """A single text document: HTML, Markdown (with front matter) or plain text."""
    meta, body = split_front_matter(text)
    if meta or has_front_matter(text) or _ext(source_file) in (".md", ".markdown") or looks_like_markdown(body):
        body = markdown_to_text(body)
        fmt = "md"
    else:
        fmt = "txt"
    if looks_like_html(body):
        body, html_meta = html_to_text(body)
        meta = {**html_meta, **meta}
        fmt = "html" if fmt == "txt" else "md+html"
        if not body.strip():
            raise ReadError(f"{source_file}: HTML page has no text")
    if not body.strip():
        raise ReadError(f"{source_file}: file has no text")
    return RawDocument(source_file=source_file, text=body, fmt=fmt, encoding=encoding, meta=meta)


def _bundle(source_file: str, text: str, encoding: str, fmt: str) -> list[RawDocument]:
    """One document per row; a row without readable text is kept as an empty document marked SKIP_REASON."""
    rows = jsonl_rows(source_file, text) if fmt == "jsonl" else csv_rows(source_file, text)
    docs = []
    for row in rows:
        meta = dict(row.meta)
        body = ""
        if not row.text:
            meta[SKIP_REASON] = f"row {row.number} has an empty {row.text_column} cell"
        else:
            name = f"{source_file}#{row.key}"
            try:
                doc = _text_document(name, row.text, encoding)
                body, meta = doc.text, {**doc.meta, **meta}
            except ReadError as e:
                meta[SKIP_REASON] = f"row {row.number}: {str(e).removeprefix(f'{name}: ')}"
        docs.append(RawDocument(source_file=source_file, text=body, fmt=fmt, part=row.key, encoding=encoding,
                                meta=meta))
    if all(SKIP_REASON in d.meta for d in docs):
        reasons = "; ".join(d.meta[SKIP_REASON] for d in docs[:3])
        raise ReadError(f"{source_file}: bundle has no row with readable text ({reasons})")
    return docs


def read_document(source_file: str, data: bytes) -> list[RawDocument]:
    """Decode a report file into one or more raw documents; raise ReadError with a reason if unreadable."""
    if not data.strip():
        raise ReadError(f"{source_file}: file is empty")
    head = data[:1024]
    if b"%PDF-" in head:
        text, meta = read_pdf(source_file, data)
        return [RawDocument(source_file=source_file, text=text, fmt="pdf", meta=meta)]
    if data.startswith(b"PK\x03\x04"):
        text, meta = _read_zip(source_file, data)
        return [RawDocument(source_file=source_file, text=text, fmt="docx", meta=meta)]
    for magic, kind in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise ReadError(f"{source_file}: unsupported file type ({kind})")
    if _ext(source_file) == ".pdf":
        raise ReadError(f"{source_file}: broken PDF (no %PDF header)")
    if _ext(source_file) == ".docx":
        raise ReadError(f"{source_file}: broken .docx (not a zip archive)")
    text, encoding = decode_bytes(source_file, data)
    if _ext(source_file) not in _TEXT_EXTENSIONS and not looks_like_html(text):
        raise ReadError(f"{source_file}: unsupported file type ({_ext(source_file)} file)")
    if looks_like_jsonl(text):
        return _bundle(source_file, text, encoding, "jsonl")
    if _ext(source_file) in (".csv", ".tsv") or looks_like_csv_bundle(text):
        return _bundle(source_file, text, encoding, "csv")
    return [_text_document(source_file, text, encoding)]
