"""A processed document and the ids and version it carries: what the loader and the validators need of the
pipeline without importing the extractor (a run with nothing to do loads only this)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .models import DocumentMeta, Extraction, Finding
from .reference import REFERENCE_DIR


@dataclass
class ProcessedDocument:
    """One document ready for validation and loading."""

    document_id: str
    source_file: str
    part: str
    content_hash: str  # of the decoded text, so the same report in any encoding keeps its figure ids
    fmt: str
    encoding: str | None
    text: str
    raw_text: str  # the decoded text before cleaning: reprocessing starts from it, not from the file
    raw_meta: dict[str, str]
    meta: DocumentMeta
    extraction: Extraction
    extractor_version: str
    findings: list[Finding] = field(default_factory=list)
    text_signature: list[int] | None = None  # MinHash of the text (near_duplicates.signature); None: not signed yet


def sha256_hex(data: bytes | str) -> str:
    """Hex SHA-256 of bytes or UTF-8 text."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def document_id_for(content_hash: str, part: str = "", copy_path: str = "") -> str:
    """Stable id of a document: its content (and row key inside a bundle), not its file name.

    A second file holding the same content while the first is still loaded (a copy) adds its own path.
    """
    key = f"{content_hash}\x1f{part}" + (f"\x1f{copy_path}" if copy_path else "")
    return sha256_hex(key)[:16]


def occurrence_in(sentence: str, piece: str, position: int) -> int:
    """How many times `piece` occurs in `sentence` before `position` (its index among equal texts there)."""
    count, at = 0, sentence.find(piece) if piece else -1
    while 0 <= at < position:
        count += 1
        at = sentence.find(piece, at + 1)
    return count


def text_id_for(content_hash: str, sentence: str, piece: str, occurrence: int, repeat: int = 0) -> str:
    """Id of something found in a text, from what the text fixes: the document content, the sentence, the piece
    as written and its occurrence among equal pieces in that sentence (`repeat` > 0 only for a sentence that the
    document states more than once). Offsets and what the rules decide (subject, kind, period) are not part of it,
    so a rule change re-extracts a figure under the same id."""
    return sha256_hex(f"{content_hash}\x1f{sentence}\x1f{piece}\x1f{occurrence}\x1f{repeat}")[:16]


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Fingerprint of the rules that produce figures: the transforms source and the reference data."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")) + sorted(REFERENCE_DIR.glob("*.csv")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]
