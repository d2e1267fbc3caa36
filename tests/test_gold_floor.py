"""The extractor's score on the labelled samples never falls below the best reached so far.

The floors only rise: when a change improves the score, raise them to the new value (rounded down).
Note: the official scorer counts predictions with equal (kind, value, unit family, period) once, and 23 of
the 248 scored gold rows share such a key with another row, so value recall tops out near 0.91 on these samples;
the uncollapsed recall (each figure counted) is the one that shows what the extractor finds.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from transforms.clean import clean_document
from transforms.evaluate import Score, format_score, predictions_from_documents, score
from transforms.extract import extract
from transforms.pipeline import ProcessedDocument, process_document
from transforms.read import read_document
from transforms.reference import default_reference

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT / "seeds" / "reports"
GOLD = PROJECT / "tests" / "data" / "dev_seeds.csv"

# Through the real pipeline (read -> clean -> metadata -> extract), whatever metadata finds for report_year.
PIPELINE_STRICT_F1 = 0.90
PIPELINE_PRECISION = 0.995
PIPELINE_RECALL = 0.91
# The extractor alone, given each sample's true report year (so metadata gaps do not hide extractor regressions).
EXTRACTOR_STRICT_F1 = 0.94
EXTRACTOR_UNCOLLAPSED_RECALL = 0.99
EXTRACTOR_UNCOLLAPSED_PRECISION = 0.99
REPORT_YEARS = {"000": 2022, "001": 2022, "002": 2022, "003": 2023, "004": 2024}


@pytest.fixture(scope="module")
def documents() -> list[ProcessedDocument]:
    ref = default_reference()
    return [process_document(raw, ref) for path in sorted(SAMPLES.iterdir())
            for raw in read_document(path.name, path.read_bytes())]


def _extractor_only(docs: list[ProcessedDocument]) -> list[ProcessedDocument]:
    ref = default_reference()
    out = []
    for d in docs:
        raw = read_document(d.source_file, (SAMPLES / d.source_file).read_bytes())[0]
        out.append(replace(d, extraction=extract(clean_document(raw).text, REPORT_YEARS[d.source_file[:3]], ref)))
    return out


def _explain(result: Score) -> str:
    return "\n" + format_score(result, limit=15)


def test_pipeline_floor(documents: list[ProcessedDocument]) -> None:
    result = score(predictions_from_documents(documents), GOLD)
    assert result.strict_f1 >= PIPELINE_STRICT_F1, _explain(result)
    assert result.precision >= PIPELINE_PRECISION, _explain(result)
    assert result.recall >= PIPELINE_RECALL, _explain(result)


def test_extractor_floor_with_known_report_years(documents: list[ProcessedDocument]) -> None:
    predictions = predictions_from_documents(_extractor_only(documents))
    result = score(predictions, GOLD)
    assert result.strict_f1 >= EXTRACTOR_STRICT_F1, _explain(result)
    uncollapsed = score(predictions, GOLD, collapse_duplicates=False)
    assert uncollapsed.recall >= EXTRACTOR_UNCOLLAPSED_RECALL, _explain(uncollapsed)
    assert uncollapsed.precision >= EXTRACTOR_UNCOLLAPSED_PRECISION, _explain(uncollapsed)
