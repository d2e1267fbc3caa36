"""Document metadata: title, type, region, report year, publish date, source and issuer."""
from __future__ import annotations

from .models import CleanText, DocumentMeta, RawDocument
from .reference import Reference


def infer_metadata(raw: RawDocument, clean: CleanText, ref: Reference) -> DocumentMeta:
    """Infer what the document is from its front matter, HTML meta and text cues."""
    return DocumentMeta()
