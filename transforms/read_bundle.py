"""Bundles: a .csv or .jsonl file holding one report per row, with metadata columns."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models import ReadError

TEXT_COLUMNS: tuple[str, ...] = ("full_text", "text", "content", "body")
KEY_COLUMNS: tuple[str, ...] = ("id", "doc_id", "document_id", "uuid", "source_url", "url")
# Bundle columns kept as RawDocument.meta, under the meta key on the right.
META_COLUMNS: dict[str, str] = {
    "region": "region", "year": "year", "report_year": "year", "title": "title", "source_url": "source_url",
    "url": "source_url", "publish_date": "publish_date", "date": "publish_date", "issuer": "issuer",
    "doc_type": "doc_type",
}

# RawDocument.meta key of a bundle row without readable text: why the row gave an empty document.
SKIP_REASON = "skip_reason"

csv.field_size_limit(1 << 30)


@dataclass(frozen=True)
class BundleRow:
    """One bundle row: its stable key, 1-based row number, text column and cell, and metadata columns."""

    key: str
    number: int
    text_column: str
    text: str
    meta: dict[str, str]  # one cell holds a whole report


def looks_like_jsonl(text: str) -> bool:
    """True if the first non-blank line is a JSON object (JSON Lines) or the text is a JSON array."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("["):
        return stripped[1:].lstrip().startswith("{")
    if not stripped.startswith("{"):
        return False
    first = stripped.split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def looks_like_csv_bundle(text: str) -> bool:
    """True if the first line is a CSV/TSV header with a report-text column."""
    header = text.lstrip("\ufeff").split("\n", 1)[0].lower()
    names = {h.strip().strip('"') for h in header.replace("\t", ",").split(",")}
    return any(c in names for c in TEXT_COLUMNS)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def bundle_rows(source_file: str, rows: Iterable[tuple[int, Mapping[str, object]]]) -> list[BundleRow]:
    """Each row of a bundle with its key, text and meta (an empty text cell gives an empty text).

    ReadError if there is no text column or no row has text.
    """
    out: list[BundleRow] = []
    seen: set[str] = set()
    for number, row in rows:
        fields = {str(k).strip().lower(): _cell(v) for k, v in row.items() if k is not None}
        text_col = next((c for c in TEXT_COLUMNS if c in fields), None)
        if text_col is None:
            continue
        key = next((fields[c] for c in KEY_COLUMNS if fields.get(c)), "") or f"row{number}"
        if key in seen:
            key = f"{key}#row{number}"
        seen.add(key)
        meta = {META_COLUMNS[c]: v for c, v in fields.items() if c in META_COLUMNS and v}
        out.append(BundleRow(key, number, text_col, fields[text_col], meta))
    if not out:
        raise ReadError(f"{source_file}: bundle has no text column (expected one of {', '.join(TEXT_COLUMNS)})")
    if not any(r.text for r in out):
        raise ReadError(f"{source_file}: bundle has no row with text (all {len(out)} rows have an empty "
                        f"{out[0].text_column} cell)")
    return out


def csv_rows(source_file: str, text: str) -> list[BundleRow]:
    """Rows of a CSV or TSV bundle (delimiter taken from the header line)."""
    body = text.lstrip("\ufeff")
    header = body.split("\n", 1)[0]
    delimiter = "\t" if header.count("\t") > header.count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(body, newline=""), delimiter=delimiter)
        rows = [(i, row) for i, row in enumerate(reader, start=1)]
    except csv.Error as e:
        raise ReadError(f"{source_file}: malformed CSV ({e})") from None
    return bundle_rows(source_file, rows)


def jsonl_rows(source_file: str, text: str) -> list[BundleRow]:
    """Rows of a JSON Lines bundle (or a JSON array of objects)."""
    stripped = text.lstrip("\ufeff").strip()
    rows: list[tuple[int, Mapping[str, object]]] = []
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except ValueError as e:
            raise ReadError(f"{source_file}: malformed JSON ({e})") from None
        lines: Iterable[tuple[int, object]] = enumerate(items, start=1)
    else:
        parsed = []
        for i, line in enumerate(stripped.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                parsed.append((i, json.loads(line)))
            except ValueError as e:
                raise ReadError(f"{source_file}: malformed JSON on line {i} ({e})") from None
        lines = parsed
    for i, item in lines:
        if not isinstance(item, dict):
            raise ReadError(f"{source_file}: row {i} is not a JSON object")
        rows.append((i, item))
    return bundle_rows(source_file, rows)
