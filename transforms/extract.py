"""Figure extraction: cleaned report text in, figures and qualitative targets out."""
from __future__ import annotations

from .models import Extraction
from .reference import Reference


def extract(text: str, report_year: int | None, ref: Reference) -> Extraction:
    """Find every quantitative figure in a cleaned text."""
    return Extraction()
