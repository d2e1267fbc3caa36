"""Reviewers' decisions and corrections, one row each in review_log (the one store), applied by the views.

| action                  | figure loaded                 | figure in quarantine                           |
| ----------------------- | ----------------------------- | ---------------------------------------------- |
| accept                  | logged (status accepted)      | logged; released into figure_rows              |
| reject                  | logged; left out of the views | logged; stays out                              |
| correct value/unit/...  | logged; the views show it     | refused: accept it first                       |
| set document metadata   | logged; the views show it on every figure of the document                      |

Every entry keeps reviewer, time and note (a history, never last-wins); the views fold the log into the latest
value per field, so a decision survives re-runs, full refreshes and re-extraction (figure and document ids are
stable for the same text and file; an edited report's decisions are re-attached, review.reattach).
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from transforms.numbers import PLAUSIBLE_YEARS
from transforms.reference import default_reference
from transforms.units import base_value, unit_lexicon

from . import review
from .errors import WarehouseError
from .transaction import transaction

KINDS = ("target", "actual")
FIGURE_FIELDS = ("value_low", "value_high", "unit", "kind", "period_year", "metric_code")


@dataclass(frozen=True)
class FigureCorrection:
    """New values for a figure; None leaves a field as it is."""

    value_low: float | None = None
    value_high: float | None = None
    unit: str | None = None
    kind: str | None = None
    period_year: int | None = None
    metric_code: str | None = None


def _check_year(what: str, year: int) -> None:
    first, last = PLAUSIBLE_YEARS
    if not first <= year <= last:
        raise WarehouseError(f"{what} {year} is not between {first} and {last}")


def _append(con: duckdb.DuckDBPyConnection, action: str, target: str, target_id: str, changes: dict[str, object],
            note: str, reviewer: str) -> None:
    text = {field: None if value is None else (f"{value:.12g}" if isinstance(value, float) else str(value))
            for field, value in changes.items()}
    review.record(con, action, target, target_id, text, note, reviewer)


def figure_state(con: duckdb.DuckDBPyConnection, figure_id: str) -> str:
    """'loaded', 'quarantined' (open or decided in quarantine only) or raise for an unknown figure."""
    if con.execute("SELECT count(*) FROM figure_rows WHERE figure_id = ?", [figure_id]).fetchone()[0]:
        return "loaded"
    if con.execute("SELECT count(*) FROM quarantine WHERE level = 'figure' AND figure_id = ?",
                   [figure_id]).fetchone()[0]:
        return "quarantined"
    raise WarehouseError(f"figure {figure_id} is neither loaded nor in quarantine (see `mubiao review` or the desk)")


def decide(con: duckdb.DuckDBPyConnection, figure_id: str, decision: str, note: str, reviewer: str) -> str:
    """Accept or reject a figure, loaded or quarantined; returns what it was ('loaded' | 'quarantined')."""
    if decision not in ("accepted", "rejected"):
        raise WarehouseError(f"decision must be accepted or rejected, not {decision!r}")
    state = figure_state(con, figure_id)
    if state == "quarantined" or con.execute(
            "SELECT count(*) FROM quarantine WHERE level = 'figure' AND figure_id = ?", [figure_id]).fetchone()[0]:
        (review.accept if decision == "accepted" else review.reject)(con, figure_id, note, reviewer)
    else:
        with transaction(con, f"figure {figure_id}: decision not recorded"):
            _append(con, review.ACTIONS[decision], "figure", figure_id, {}, note, reviewer)
    return state


def _effective(con: duckdb.DuckDBPyConnection, figure_id: str) -> dict:
    row = con.execute("""
        SELECT coalesce(c.value_low, f.value_low), coalesce(c.value_high, f.value_high), coalesce(c.unit, f.unit)
        FROM figure_rows f LEFT JOIN figure_corrections c USING (figure_id)
        WHERE f.figure_id = ? LIMIT 1""", [figure_id]).fetchone()
    if row is None:
        raise WarehouseError(f"figure {figure_id} is not loaded: accept it from quarantine before correcting it")
    return {"value_low": row[0], "value_high": row[1], "unit": row[2]}


def correct(con: duckdb.DuckDBPyConnection, figure_id: str, fix: FigureCorrection, note: str, reviewer: str) -> dict:
    """Record corrected values of a loaded figure (base-unit values recomputed); returns the fields logged."""
    changes: dict[str, object] = {k: getattr(fix, k) for k in FIGURE_FIELDS if getattr(fix, k) is not None}
    if not changes:
        raise WarehouseError("nothing to correct: give a value, unit, kind, period year or metric code")
    if fix.kind is not None and fix.kind not in KINDS:
        raise WarehouseError(f"kind must be target or actual, not {fix.kind!r}")
    if fix.period_year is not None:
        _check_year("period year", fix.period_year)
    if fix.metric_code is not None and not con.execute("SELECT count(*) FROM metrics WHERE code = ?",
                                                       [fix.metric_code]).fetchone()[0]:
        raise WarehouseError(f"metric code {fix.metric_code!r} is not in the metric catalog (table metrics)")
    current = _effective(con, figure_id)
    if {"value_low", "value_high", "unit"} & set(changes):
        low = fix.value_low if fix.value_low is not None else current["value_low"]
        high = fix.value_high if fix.value_high is not None else (
            fix.value_low if fix.value_low is not None else current["value_high"])
        if low is not None and high is not None and low > high:
            raise WarehouseError(f"value_low {low:g} is above value_high {high:g}")
        unit_text = fix.unit if fix.unit is not None else current["unit"]
        unit = unit_lexicon(default_reference()).lookup(unit_text or "")
        if fix.unit is not None and unit is None:
            raise WarehouseError(f"unit {fix.unit!r} is not in the unit catalog (seeds/reference/units.csv)")
        changes.update(value_low=low, value_high=high)
        if unit is not None:
            changes.update(value_base_low=base_value(None if low is None else low * unit.factor),
                           value_base_high=base_value(None if high is None else high * unit.factor),
                           base_unit=unit.base_unit)
    with transaction(con, f"figure {figure_id}: correction not recorded"):
        _append(con, "correct", "figure", figure_id, changes, note, reviewer)
    return changes


def set_document(con: duckdb.DuckDBPyConnection, document_id: str, note: str, reviewer: str,
                 region: str | None = None, report_year: int | None = None, doc_type: str | None = None) -> dict:
    """Record a document's corrected region (code or name), report year or type; returns the fields logged."""
    if not con.execute("SELECT count(*) FROM documents WHERE document_id = ?", [document_id]).fetchone()[0]:
        raise WarehouseError(f"document {document_id} is not loaded")
    changes: dict[str, object] = {}
    if region is not None:
        found = con.execute("""SELECT code, name, level FROM regions
                               WHERE code = ? OR name = ? OR list_contains(aliases, ?) ORDER BY code""",
                            [region, region, region]).fetchall()
        if len(found) != 1:
            raise WarehouseError(f"region {region!r} " + ("is not in the gazetteer (table regions)" if not found
                                                         else f"is ambiguous: {', '.join(r[0] for r in found[:5])}"))
        changes.update(region_code=found[0][0], region_name=found[0][1], region_level=found[0][2])
    if report_year is not None:
        _check_year("report year", report_year)
        changes["report_year"] = report_year
    if doc_type is not None:
        changes["doc_type"] = doc_type.strip() or None
    if not changes:
        raise WarehouseError("nothing to correct: give a region, report year or document type")
    with transaction(con, f"document {document_id}: correction not recorded"):
        _append(con, "set_document", "document", document_id, changes, note, reviewer)
    return changes


def history(con: duckdb.DuckDBPyConnection, target: str, target_id: str) -> pd.DataFrame:
    """Every logged decision on a figure or document, oldest first."""
    return con.execute(f"""SELECT decided_at, reviewer, action, {review.CHANGES_TEXT} AS changes, note FROM review_log
                           WHERE target = ? AND target_id = ? ORDER BY seq""", [target, target_id]).df()
