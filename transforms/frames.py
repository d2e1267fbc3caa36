"""Processed documents as pandas DataFrames: the shape both validation and the warehouse loader consume."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .documents import ProcessedDocument, occurrence_in, text_id_for
from .reference import Reference
from .units import base_value

DOCUMENT_COLUMNS: tuple[str, ...] = (
    "document_id", "source_file", "part", "content_hash", "fmt", "encoding", "title", "doc_type",
    "region_code", "region_name", "region_level", "report_year", "publish_date", "source_url", "issuer",
    "char_count", "cjk_ratio", "figure_count", "extractor_version", "text", "raw_text", "raw_meta",
    "province_code", "province_name", "prefecture_code", "prefecture_name", "text_signature",
)

FIGURE_COLUMNS: tuple[str, ...] = (
    "figure_id", "document_id", "source_file", "region_code", "region_name", "report_year", "kind",
    "metric_code", "metric_name", "value_low", "value_high", "unit", "value_base_low", "value_base_high",
    "base_unit", "comparator", "period_year", "sentence", "value_text", "start_offset", "end_offset",
    "sentence_offset", "mention_count", "plausible_base_min", "plausible_base_max", "basis", "period_start_year",
)

QUALITATIVE_COLUMNS: tuple[str, ...] = (
    "qualitative_id", "document_id", "source_file", "kind", "subject", "period_year", "sentence",
    "start_offset", "end_offset", "metric_code", "declines_number",
)

FINDING_COLUMNS: tuple[str, ...] = ("document_id", "source_file", "check_name", "severity", "message", "detail")

_INT_COLUMNS = ("report_year", "period_year", "char_count", "figure_count", "start_offset", "end_offset",
                "sentence_offset", "mention_count", "period_start_year")


_CJK_FIRST, _CJK_LAST = 0x4E00, 0x9FFF  # CJK Unified Ideographs


def cjk_ratio(text: str) -> float:
    """Share of CJK ideographs among the non-space characters (low for mojibake)."""
    visible = sum(map(len, text.split()))
    if not visible:
        return 0.0
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    return int(np.count_nonzero((codes >= _CJK_FIRST) & (codes <= _CJK_LAST))) / visible


def _frame(rows: list[dict], columns: Sequence[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(columns))
    for col in _INT_COLUMNS:
        if col in df.columns:
            df[col] = df[col].astype("Int64")
    return df


def documents_frame(docs: Sequence[ProcessedDocument]) -> pd.DataFrame:
    """One row per document."""
    return _frame([{
        "document_id": d.document_id, "source_file": d.source_file, "part": d.part,
        "content_hash": d.content_hash, "fmt": d.fmt, "encoding": d.encoding, "title": d.meta.title,
        "doc_type": d.meta.doc_type, "region_code": d.meta.region_code, "region_name": d.meta.region_name,
        "region_level": d.meta.region_level, "report_year": d.meta.report_year,
        "publish_date": d.meta.publish_date, "source_url": d.meta.source_url, "issuer": d.meta.issuer,
        "char_count": len(d.text), "cjk_ratio": cjk_ratio(d.text), "figure_count": len(d.extraction.figures),
        "extractor_version": d.extractor_version, "text": d.text, "raw_text": d.raw_text,
        "raw_meta": json.dumps(d.raw_meta, ensure_ascii=False, sort_keys=True),
        "province_code": d.meta.province_code, "province_name": d.meta.province_name,
        "prefecture_code": d.meta.prefecture_code, "prefecture_name": d.meta.prefecture_name,
        "text_signature": d.text_signature,
    } for d in docs], DOCUMENT_COLUMNS)


def _plausible_base(ref: Reference) -> dict[str, tuple[float | None, float | None]]:
    out: dict[str, tuple[float | None, float | None]] = {}
    for m in ref.metrics:
        unit = ref.units.get(m.unit)
        factor = unit.factor if unit else 1.0
        out[m.code] = (None if m.plausible_min is None else base_value(m.plausible_min * factor),
                       None if m.plausible_max is None else base_value(m.plausible_max * factor))
    return out


def text_ids(content_hash: str, found: Iterable[tuple[str, str, int]]) -> list[str]:
    """Ids of (sentence, piece as written, piece's offset in the sentence) found in one document, in document order."""
    seen: Counter[tuple[str, str, int]] = Counter()
    ids = []
    for sentence, piece, position in found:
        key = (sentence, piece, occurrence_in(sentence, piece, position))
        ids.append(text_id_for(content_hash, *key, repeat=seen[key]))
        seen[key] += 1
    return ids


def figures_frame(docs: Sequence[ProcessedDocument], ref: Reference) -> pd.DataFrame:
    """One row per extracted figure, with document context and the metric's plausible range in base units."""
    plausible = _plausible_base(ref)
    rows = []
    for d in docs:
        ids = text_ids(d.content_hash, ((f.sentence, f.value_text, f.end - len(f.value_text) - f.sentence_start)
                                        for f in d.extraction.figures))
        for figure_id, f in zip(ids, d.extraction.figures):
            lo, hi = plausible.get(f.metric_code or "", (None, None))
            rows.append({
                "figure_id": figure_id, "document_id": d.document_id,
                "source_file": d.source_file, "region_code": d.meta.region_code,
                "region_name": d.meta.region_name, "report_year": d.meta.report_year, "kind": f.kind,
                "metric_code": f.metric_code, "metric_name": f.metric_name, "value_low": f.value_low,
                "value_high": f.value_high, "unit": f.unit, "value_base_low": base_value(f.value_base_low),
                "value_base_high": base_value(f.value_base_high), "base_unit": f.base_unit, "comparator": f.comparator,
                "period_year": f.period_year, "sentence": f.sentence, "value_text": f.value_text,
                "start_offset": f.start, "end_offset": f.end, "sentence_offset": f.sentence_start,
                "mention_count": f.mention_count, "plausible_base_min": lo, "plausible_base_max": hi,
                "basis": f.basis,
                "period_start_year": f.period_year if f.period_start_year is None else f.period_start_year,
            })
    return _frame(rows, FIGURE_COLUMNS)


def qualitative_frame(docs: Sequence[ProcessedDocument]) -> pd.DataFrame:
    """One row per qualitative (number-free) target."""
    rows = []
    for d in docs:
        found = d.extraction.qualitative
        ids = text_ids(d.content_hash, ((q.sentence, q.subject, q.start - q.sentence_start) for q in found))
        rows += [{"qualitative_id": qualitative_id, "document_id": d.document_id, "source_file": d.source_file,
                  "kind": q.kind, "subject": q.subject, "period_year": q.period_year, "sentence": q.sentence,
                  "start_offset": q.start, "end_offset": q.end, "metric_code": q.metric_code,
                  "declines_number": q.declines_number} for qualitative_id, q in zip(ids, found)]
    return _frame(rows, QUALITATIVE_COLUMNS)


def findings_frame(docs: Sequence[ProcessedDocument]) -> pd.DataFrame:
    """One row per document-level data-quality finding."""
    return _frame([{
        "document_id": d.document_id, "source_file": d.source_file, "check_name": f.check,
        "severity": f.severity, "message": f.message, "detail": f.detail,
    } for d in docs for f in d.findings], FINDING_COLUMNS)
