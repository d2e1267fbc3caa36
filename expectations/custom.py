"""Custom GX expectations (row-wise checks across columns); import this module before loading any suite."""
from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    MulticolumnMapMetricProvider,
    multicolumn_condition_partial,
)

# Columns that identify "the same figure" across documents in the warehouse frame.
SERIES_KEY: tuple[str, ...] = ("region_code", "metric_code", "kind", "period_year")
_REL_TOL = 1e-9
APPROX_TOLERANCE = 0.05  # 5%左右 is attained at 4.75%


def _key_present(df: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    return df[list(key)].notna().all(axis=1)


def _group_ids(df: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    """Integer group number per row for the key columns (-1 where any key value is missing)."""
    present = _key_present(df, key)
    ids = pd.Series(-1, index=df.index, dtype="int64")
    if present.any():
        ids[present] = df.loc[present, list(key)].astype(str).groupby(list(key), sort=False).ngroup()
    return ids


def _documents_per_group(df: pd.DataFrame, groups: pd.Series) -> pd.Series:
    counts = df["document_id"].groupby(groups).transform("nunique")
    return counts.where(groups >= 0, 0)


# --- value_text appears in its sentence -------------------------------------------------------------

class ValueTextInSentence(MulticolumnMapMetricProvider):
    """Row metric: the first column's text occurs in the second column's text."""

    condition_metric_name = "multicolumn_values.value_text_in_sentence"

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, **kwargs) -> pd.Series:
        needle, haystack = column_list.columns[0], column_list.columns[1]
        return pd.Series([str(n) in str(h) for n, h in zip(column_list[needle], column_list[haystack])],
                         index=column_list.index)


class ExpectValueTextInSentence(MulticolumnMapExpectation):
    """Expect the number text as written (column_list[0]) to occur in its sentence (column_list[1])."""

    map_metric = "multicolumn_values.value_text_in_sentence"
    ignore_row_if: str = "any_value_is_missing"


# --- period year near the report year ----------------------------------------------------------------

class PeriodYearWithinReportWindow(MulticolumnMapMetricProvider):
    """Row metric: column_list[0] - column_list[1] lies within [min_offset, max_offset]."""

    condition_metric_name = "multicolumn_values.period_year_within_report_window"
    condition_value_keys = ("min_offset", "max_offset")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, min_offset: int, max_offset: int, **kwargs) -> pd.Series:
        period = pd.to_numeric(column_list.iloc[:, 0])
        report = pd.to_numeric(column_list.iloc[:, 1])
        offset = period - report
        return ((offset >= min_offset) & (offset <= max_offset)).fillna(True).astype(bool)


class ExpectPeriodYearWithinReportWindow(MulticolumnMapExpectation):
    """Expect period_year (column_list[0]) within [report_year + min_offset, report_year + max_offset]."""

    map_metric = "multicolumn_values.period_year_within_report_window"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "min_offset", "max_offset")
    ignore_row_if: str = "any_value_is_missing"
    min_offset: int
    max_offset: int


# --- figure count plausible for the document length -----------------------------------------------

class FigureCountPlausibleForLength(MulticolumnMapMetricProvider):
    """Row metric: figure_count (column_list[0]) fits char_count (column_list[1])."""

    condition_metric_name = "multicolumn_values.figure_count_plausible_for_length"
    condition_value_keys = ("max_per_1000_chars", "min_chars_without_figures")

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, max_per_1000_chars: float, min_chars_without_figures: int,
                **kwargs) -> pd.Series:
        figures = pd.to_numeric(column_list.iloc[:, 0])
        chars = pd.to_numeric(column_list.iloc[:, 1])
        too_dense = figures > chars * max_per_1000_chars / 1000
        long_but_empty = (figures == 0) & (chars >= min_chars_without_figures)
        return (~(too_dense | long_but_empty)).fillna(True).astype(bool)


class ExpectFigureCountPlausibleForLength(MulticolumnMapExpectation):
    """Expect at most max_per_1000_chars figures per 1000 characters, and some figures in a long text."""

    map_metric = "multicolumn_values.figure_count_plausible_for_length"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "max_per_1000_chars", "min_chars_without_figures")
    ignore_row_if: str = "any_value_is_missing"
    max_per_1000_chars: float
    min_chars_without_figures: int


# --- warehouse: duplicates, conflicts, attainment -------------------------------------------------

def duplicated_across_documents(df: pd.DataFrame) -> pd.Series:
    """True where the same region/metric/kind/period/value/unit was loaded from more than one document."""
    groups = _group_ids(df, (*SERIES_KEY, "value_low", "value_high", "unit"))
    return _documents_per_group(df, groups) > 1


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a - b).abs() <= _REL_TOL * pd.concat([a.abs(), b.abs()], axis=1).max(axis=1).clip(lower=1.0)


def conflicting_across_documents(df: pd.DataFrame) -> pd.Series:
    """True where documents disagree on the value of the same region/metric/kind/period (in base units)."""
    key = (*SERIES_KEY, "base_unit")
    groups = _group_ids(df, key)
    low = pd.to_numeric(df["value_base_low"])
    high = pd.to_numeric(df["value_base_high"])
    agrees = _same(low, low.groupby(groups).transform("first")) & _same(high, high.groupby(groups).transform("first"))
    disagreeing_groups = (~agrees.fillna(True)).groupby(groups).transform("any")
    return (groups >= 0) & (_documents_per_group(df, groups) > 1) & disagreeing_groups


def attainment(df: pd.DataFrame) -> pd.DataFrame:
    """Per target with a loaded actual (same region/metric/period/base unit): median actual and attained.

    at_most targets are attained when the actual is at or below the high end; all others (at_least, point,
    range, approx) when it reaches the low end, approx and point with APPROX_TOLERANCE of slack. Rows that
    are not evaluable get actual NaN and attained NA.
    """
    key = ("region_code", "metric_code", "period_year", "base_unit")
    present = _key_present(df, key)
    mid = (pd.to_numeric(df["value_base_low"]) + pd.to_numeric(df["value_base_high"])) / 2
    actuals = df[present & (df["kind"] == "actual") & mid.notna()].assign(_mid=mid)
    by_key = actuals.astype({c: str for c in key}).groupby(list(key))["_mid"].median()
    out = pd.DataFrame({"actual": float("nan"), "attained": pd.Series(pd.NA, index=df.index, dtype="boolean")},
                       index=df.index)
    targets = df[present & (df["kind"] == "target")]
    if targets.empty or by_key.empty:
        return out
    keys = pd.MultiIndex.from_frame(targets[list(key)].astype(str))
    actual = pd.Series(by_key.reindex(keys).to_numpy(), index=targets.index)
    low, high = pd.to_numeric(targets["value_base_low"]), pd.to_numeric(targets["value_base_high"])
    slack = targets["comparator"].isin(["approx", "point"]) * APPROX_TOLERANCE * low.abs()
    attained = (actual >= low - slack).where(targets["comparator"] != "at_most", actual <= high)
    evaluable = actual.notna()
    out.loc[targets.index, "actual"] = actual
    out.loc[evaluable[evaluable].index, "attained"] = attained[evaluable]
    return out


def _frame_metric(class_name: str, metric: str, doc: str, row_ok: Callable[[pd.DataFrame], pd.Series]) -> str:
    """Define (and so register with GX) a parameterless row metric computed over the whole frame; returns its name."""

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, **kwargs) -> pd.Series:
        return row_ok(column_list)

    type(class_name, (MulticolumnMapMetricProvider,), {  # the metaclass registers the metric with GX
        "__doc__": doc, "__module__": __name__, "condition_metric_name": metric, "_pandas": _pandas})
    return metric


class _FrameWideExpectation(MulticolumnMapExpectation):
    """Base of the warehouse-wide checks: every row takes part (abstract in GX: no map_metric, not registered)."""

    ignore_row_if: str = "never"


class ExpectFiguresNotDuplicatedAcrossDocuments(_FrameWideExpectation):
    """Expect no region/metric/kind/period/value/unit to be loaded from two documents."""

    map_metric = _frame_metric(
        "FiguresNotDuplicatedAcrossDocuments", "multicolumn_values.figures_not_duplicated_across_documents",
        "Row metric: the figure is not loaded again from another document.",
        lambda df: ~duplicated_across_documents(df))


class ExpectFiguresNotConflictingAcrossDocuments(_FrameWideExpectation):
    """Expect documents to agree on the value of the same region/metric/kind/period."""

    map_metric = _frame_metric(
        "FiguresNotConflictingAcrossDocuments", "multicolumn_values.figures_not_conflicting_across_documents",
        "Row metric: no other document states a different value for the same region/metric/kind/period.",
        lambda df: ~conflicting_across_documents(df))


class ExpectTargetsWithoutLoadedActual(_FrameWideExpectation):
    """Informational (use mostly=0): lists targets whose actual is loaded, so attainment can be reported."""

    map_metric = _frame_metric(
        "TargetsWithoutLoadedActual", "multicolumn_values.targets_without_loaded_actual",
        "Row metric: the row is not a target whose actual is loaded (those rows carry an attainment).",
        lambda df: attainment(df)["actual"].isna())
