"""The pure per-document pipeline: raw document in, processed document (metadata, figures, ids) out."""
from __future__ import annotations

from .absences import find_absences
from .clean import clean_document
from .documents import ProcessedDocument, document_id_for, extractor_version, sha256_hex
from .extract import extract
from .metadata import infer_metadata
from .models import CleanText, RawDocument
from .near_duplicates import signature
from .reference import Reference


def process_document(raw: RawDocument, ref: Reference) -> ProcessedDocument:
    """Clean, describe and extract one raw document."""
    clean: CleanText = clean_document(raw)
    meta = infer_metadata(raw, clean, ref)
    extraction = extract(clean.text, meta.report_year, ref)
    spans = {(q.start, q.end) for q in extraction.qualitative}
    extraction.qualitative.extend(a for a in find_absences(clean.text, meta.report_year, ref)
                                  if (a.start, a.end) not in spans)
    content_hash = sha256_hex(raw.text)
    return ProcessedDocument(
        document_id=document_id_for(content_hash, raw.part),
        source_file=raw.source_file,
        part=raw.part,
        content_hash=content_hash,
        fmt=raw.fmt,
        encoding=raw.encoding,
        text=clean.text,
        raw_text=raw.text,
        raw_meta=raw.meta,
        meta=meta,
        extraction=extraction,
        extractor_version=extractor_version(),
        findings=[*clean.findings, *meta.findings],
        text_signature=signature(clean.text),
    )
