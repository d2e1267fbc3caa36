"""Shared by the gold floor tests: run labelled corpus reports through the pipeline and check score floors."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from transforms.evaluate import Score, format_score
from transforms.documents import ProcessedDocument
from transforms.pipeline import process_document
from transforms.read import read_document
from transforms.reference import default_reference

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


def process_corpus(names: Iterable[str]) -> list[ProcessedDocument]:
    """The named corpus reports (file stems) through read -> clean -> metadata -> extract."""
    ref = default_reference()
    return [process_document(raw, ref) for name in names
            for raw in read_document(f"{name}.txt", (CORPUS / f"{name}.txt").read_bytes())]


def explain(result: Score) -> str:
    """The score and its first errors, as an assertion message."""
    return "\n" + format_score(result, limit=15)


def assert_floors(result: Score, value_f1: float, strict_f1: float, accuracy: Mapping[str, float]) -> None:
    """Value F1, strict F1 and each attribute's accuracy over matched figures reach their floors."""
    assert result.f1 >= value_f1, explain(result)
    assert result.strict_f1 >= strict_f1, explain(result)
    for name, floor in accuracy.items():
        right, matched = result.attributes[name]
        assert right / matched >= floor, (name, explain(result))
