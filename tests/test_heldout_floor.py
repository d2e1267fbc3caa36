"""HELD-OUT: the extractor's score on two real reports its rules were not developed on never falls.

tests/data/heldout_real.csv labels every figure of national-2007 (State Council, reviews 2006) and
district-hailar-2013 (海拉尔区, reviews 2012), from the text alone. It measures how the rules generalise to
unseen reports: do not tune rules to these two texts or read their errors while writing a rule (use
dev_real.csv for that). The floors are the scores measured when the file was added (rounded down); raise them
when a general change lifts them, never lower them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.register_assert_rewrite("gold_support")
from gold_support import assert_floors, process_corpus  # noqa: E402
from transforms.evaluate import predictions_from_documents, score  # noqa: E402
from transforms.pipeline import ProcessedDocument  # noqa: E402

HELDOUT_GOLD = Path(__file__).resolve().parent / "data" / "heldout_real.csv"
HELDOUT_DOCS = ("national-2007", "district-hailar-2013")

HELDOUT_VALUE_F1 = 0.991
HELDOUT_STRICT_F1 = 0.905
HELDOUT_ACCURACY = {"kind": 0.978, "period": 0.956, "comparator": 0.995, "basis": 0.969, "metric_code": 0.812}


@pytest.fixture(scope="module")
def heldout_documents() -> list[ProcessedDocument]:
    return process_corpus(HELDOUT_DOCS)


def test_heldout_reports_floor(heldout_documents: list[ProcessedDocument]) -> None:
    result = score(predictions_from_documents(heldout_documents), HELDOUT_GOLD)
    assert_floors(result, HELDOUT_VALUE_F1, HELDOUT_STRICT_F1, HELDOUT_ACCURACY)


def test_heldout_reports_know_their_year(heldout_documents: list[ProcessedDocument]) -> None:
    assert {d.source_file: d.meta.report_year for d in heldout_documents} == {
        f"{name}.txt": int(name[-4:]) for name in HELDOUT_DOCS}
