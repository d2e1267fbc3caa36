"""Bundle rows without readable text are kept as marked empty documents, never dropped silently."""
from __future__ import annotations

import csv
import io

import pytest

from transforms.clean import clean_document
from transforms.models import ReadError
from transforms.read import read_document
from transforms.read_bundle import SKIP_REASON


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["id", "region", "full_text"], *rows])
    return out.getvalue().encode("utf-8")


def test_row_with_empty_text_is_a_marked_empty_document_with_a_warning():
    docs = read_document("b.csv", _csv([["a1", "海珠区", "第一段，增长5%。"], ["a2", "荔湾区", ""],
                                        ["a3", "天河区", "<div><p> </p></div><script>var a = 1;</script>"]]))
    assert [(d.part, d.text) for d in docs] == [("a1", "第一段，增长5%。"), ("a2", ""), ("a3", "")]
    assert SKIP_REASON not in docs[0].meta
    assert docs[1].meta == {"region": "荔湾区", SKIP_REASON: "row 2 has an empty full_text cell"}
    assert docs[2].meta[SKIP_REASON] == "row 3: HTML page has no text"
    clean = clean_document(docs[1])
    assert clean.text == ""
    assert [(f.check, f.severity, f.message) for f in clean.findings] == [
        ("bundle_row_skipped", "warning", "b.csv#a2: row 2 has an empty full_text cell, nothing to extract")]


@pytest.mark.parametrize("rows, reason", [
    ([["a1", "海珠区", ""], ["a2", "荔湾区", " "]], "bundle has no row with text (all 2 rows have an empty full_text cell)"),
    ([["a1", "海珠区", "<div><p></p></div><script>x()</script>"], ["a2", "荔湾区", ""]],
     "bundle has no row with readable text (row 1: HTML page has no text; row 2 has an empty full_text cell)"),
])
def test_bundle_without_any_readable_row_is_an_error(rows, reason):
    with pytest.raises(ReadError, match=r"^b\.csv: ") as info:
        read_document("b.csv", _csv(rows))
    assert str(info.value) == f"b.csv: {reason}"
