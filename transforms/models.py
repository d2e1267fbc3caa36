"""Typed records passed between the pipeline stages (the contract between transforms, flows and warehouse)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["target", "actual"]
Comparator = Literal["point", "approx", "at_least", "at_most", "range"]
Basis = Literal["annual", "average_annual", "cumulative"]
Severity = Literal["critical", "warning", "info"]

KINDS: tuple[str, ...] = ("target", "actual")
COMPARATORS: tuple[str, ...] = ("point", "approx", "at_least", "at_most", "range")
BASES: tuple[str, ...] = ("annual", "average_annual", "cumulative")


class ReadError(Exception):
    """A file that cannot be read as a report; the message is a one-line reason for the quarantine."""


@dataclass(frozen=True)
class Finding:
    """A document-level data-quality observation (spam removed, metadata unknown, ...)."""

    check: str
    severity: Severity
    message: str
    detail: str = ""


@dataclass
class RawDocument:
    """One report as read from a file (a bundle file yields several), before cleaning."""

    source_file: str
    text: str
    fmt: str
    part: str = ""
    encoding: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class CleanText:
    """Text ready for extraction: furniture and injected spam removed, paragraphs kept as lines."""

    text: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class DocumentMeta:
    """What a document is: whose report, of which year, from where."""

    title: str | None = None
    doc_type: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    region_level: str | None = None
    report_year: int | None = None
    publish_date: str | None = None
    source_url: str | None = None
    issuer: str | None = None
    findings: list[Finding] = field(default_factory=list)
    province_code: str | None = None
    province_name: str | None = None
    prefecture_code: str | None = None
    prefecture_name: str | None = None


@dataclass
class Figure:
    """One quantitative statement found in a cleaned text."""

    start: int
    end: int
    sentence: str
    sentence_start: int
    value_text: str
    metric_name: str | None
    metric_code: str | None
    kind: Kind
    value_low: float
    value_high: float
    unit: str
    comparator: Comparator
    period_year: int | None
    value_base_low: float | None = None
    value_base_high: float | None = None
    base_unit: str | None = None
    mention_count: int = 1
    basis: Basis = "annual"
    period_start_year: int | None = None  # first year of the span; period_year for an annual figure


@dataclass
class QualitativeTarget:
    """A stated goal with no number (居民收入增长与经济增长同步): recorded, not a figure."""

    start: int
    end: int
    sentence: str
    sentence_start: int
    subject: str
    kind: Kind
    period_year: int | None
    metric_code: str | None = None
    declines_number: bool = False  # the report explicitly sets no numeric target for it (transforms.absences)


@dataclass
class Extraction:
    """Everything the extractor found in one cleaned text."""

    figures: list[Figure] = field(default_factory=list)
    qualitative: list[QualitativeTarget] = field(default_factory=list)
