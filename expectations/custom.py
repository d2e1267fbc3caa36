"""Custom GX expectations (row-wise checks across columns); import this module before loading any suite."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import ClassVar

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation, MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    MulticolumnMapMetricProvider,
    column_condition_partial,
    multicolumn_condition_partial,
)

# Columns that identify "the same figure" across documents in the warehouse frame.
SERIES_KEY: tuple[str, ...] = ("region_code", "metric_code", "kind", "period_year")


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


# --- values in a reference set (gazetteer, metric catalog, units) ----------------------------------

_REFERENCE_SETS: dict[tuple[str, str], frozenset[str]] = {}


def register_reference_set(name: str, values: Iterable[str]) -> str:
    """Make a reference set known to the expectation below; returns its version (a hash of its values).

    Suites name the set and its version instead of listing thousands of codes: GX serialises an expectation's
    kwargs each time it reads its configuration, hundreds of times per validation."""
    members = frozenset(values)
    version = hashlib.sha256("\n".join(sorted(members)).encode("utf-8")).hexdigest()[:12]
    _REFERENCE_SETS[(name, version)] = members
    return version


class ColumnValuesInReferenceSet(ColumnMapMetricProvider):
    """Row metric: the value belongs to the registered reference set (name, version)."""

    condition_metric_name = "column_values.in_reference_set"
    condition_value_keys = ("reference_set", "set_version")

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, reference_set: str, set_version: str, **kwargs) -> pd.Series:
        return column.isin(_REFERENCE_SETS[(reference_set, set_version)])


class ExpectColumnValuesToBeInReferenceSet(ColumnMapExpectation):
    """Expect each value of the column in a reference set of the project (e.g. region_codes of the gazetteer)."""

    map_metric = "column_values.in_reference_set"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "reference_set", "set_version")
    reference_set: str
    set_version: str


# --- value_text appears in its sentence -------------------------------------------------------------

class ValueTextInSentence(MulticolumnMapMetricProvider):
    """Row metric: the first column's text occurs in the second column's text."""

    condition_metric_name = "multicolumn_values.value_text_in_sentence"

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, **kwargs) -> pd.Series:
        needle, haystack = column_list.columns[0], column_list.columns[1]
        needles, haystacks = column_list[needle].tolist(), column_list[haystack].tolist()
        return pd.Series([str(n) in str(h) for n, h in zip(needles, haystacks)], index=column_list.index)


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


# --- warehouse: duplicates (conflicts and attainment are columns of the warehouse views) -----------

def duplicated_across_documents(df: pd.DataFrame) -> pd.Series:
    """True where the same region/metric/kind/period/value/unit was loaded from more than one document."""
    groups = _group_ids(df, (*SERIES_KEY, "value_low", "value_high", "unit"))
    return _documents_per_group(df, groups) > 1


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
