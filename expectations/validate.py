"""Validate pipeline DataFrames against the committed suites with GX; per-row failures with readable reasons."""
from __future__ import annotations

import datetime
import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from .deferred_imports import defer_unused

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
defer_unused()

import great_expectations as gx  # noqa: E402
from great_expectations.core import ExpectationSuite, ExpectationSuiteValidationResult  # noqa: E402
from great_expectations.core.batch_definition import BatchDefinition  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.validator.v1_validator import Validator as V1Validator  # noqa: E402

from transforms.reference import Reference, default_reference  # noqa: E402

from .data_docs import build_site, merge_for_docs, prepare_for_docs, prune_runs, store_for_docs  # noqa: E402
from .outcome import FAILURE_COLUMNS, MAX_IDS_IN_RESULTS, RESULT_COLUMNS, ValidationOutcome  # noqa: E402
from .reasons import reason  # noqa: E402
from .suites import SUITES_DIR, SuiteFile, committed_suites, install_suite  # noqa: E402

DATASOURCE = "mubiao"
KEEP_RUNS = 10


class ValidationRunError(Exception):
    """An expectation could not be evaluated (missing column, bad kwargs): the data was not checked."""


def _plain(value: Any) -> Any:
    """numpy/pandas scalars to JSON-able Python values (missing values to None)."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _exception_message(info: dict[str, Any] | None) -> str | None:
    """The error of an expectation that raised; GX nests it per metric when a metric failed."""
    if not info:
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    nested = [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]
    return str(nested[0].get("exception_message")).splitlines()[0] if nested else None


def _kwargs_json(kwargs: dict[str, Any]) -> str:
    shown = {k: v for k, v in kwargs.items() if k != "batch_id"}
    return json.dumps(shown, ensure_ascii=False, sort_keys=True, default=str)


class Validator:
    """One GX file context per run: installs the committed suites once, then validates tables batch by batch."""

    def __init__(self, gx_dir: Path, ref: Reference | None = None, run_name: str | None = None,
                 keep_runs: int = KEEP_RUNS, suites_dir: Path = SUITES_DIR) -> None:
        self._ctx = gx.get_context(mode="file", context_root_dir=gx_dir)
        self._ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._run_id = RunIdentifier(run_name=run_name, run_time=datetime.datetime.now(datetime.timezone.utc))
        self._keep_runs = keep_runs
        self._suites = committed_suites(ref or default_reference(), suites_dir)
        datasource = self._ctx.data_sources.add_or_update_pandas(DATASOURCE)
        self._batch_definitions: dict[str, BatchDefinition] = {}
        self._loaded: dict[str, ExpectationSuite] = {}
        self._docs_results: dict[str, tuple[ExpectationSuiteValidationResult, str]] = {}
        self._checked_columns: dict[str, set[str]] = {}
        for table in sorted({s.table for s in self._suites.values()}):
            self._checked_columns[table] = _named_columns(self._table_suites(table))
            asset = datasource.add_dataframe_asset(table)
            self._batch_definitions[table] = asset.add_batch_definition_whole_dataframe("all")
            for suite in self._table_suites(table):
                self._loaded[suite.name] = install_suite(self._ctx, suite)

    def expectation_counts(self) -> dict[str, int]:
        """Expectations per suite as loaded into GX (equal to the committed files, or __init__ raised)."""
        return {name: len(suite.expectations) for name, suite in self._loaded.items()}

    def _table_suites(self, table: str) -> list[SuiteFile]:
        return [s for s in self._suites.values() if s.table == table]

    def validate(self, table: str, df: pd.DataFrame, id_column: str) -> ValidationOutcome:
        """Run every committed suite of `table` (critical and warning) on df; rows are named by id_column."""
        suites = self._table_suites(table)
        if not suites:
            raise ValueError(f"no committed suite for table {table!r} in {', '.join(sorted(self._suites))}")
        if id_column not in df.columns:
            raise ValueError(f"{table}: id column {id_column!r} is not in the frame")
        result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [id_column]}
        results: list[dict[str, Any]] = []
        failures: list[dict[str, Any]] = []
        rows = _RowLookup(df, id_column)
        checked = df[[c for c in df.columns if c == id_column or c in self._checked_columns[table]]]
        # one GX validator per frame: the batch is loaded (and fingerprinted) once for all the table's suites
        batch = V1Validator(self._batch_definitions[table], result_format=result_format,
                            batch_parameters={"dataframe": checked})
        for suite in suites:
            suite_result = batch.validate_expectation_suite(self._loaded[suite.name])
            for r in suite_result.results:
                cfg = r.expectation_config
                error = _exception_message(r.exception_info)
                if error is not None:
                    raise ValidationRunError(f"{suite.name}: {cfg.type} on {table} could not run: {error}")
                ids = [_plain(d.get(id_column)) for d in r.result.get("unexpected_index_list") or []]
                severity = cfg.severity.value
                kwargs = _kwargs_json(cfg.kwargs)
                results.append({
                    "suite": suite.name, "table_name": table, "severity": severity, "expectation_type": cfg.type,
                    "kwargs": kwargs, "success": bool(r.success),
                    "element_count": int(r.result.get("element_count") or 0),
                    "unexpected_count": int(r.result.get("unexpected_count") or 0),
                    "unexpected_ids": json.dumps(ids[:MAX_IDS_IN_RESULTS], ensure_ascii=False, default=str),
                })
                for row_id, row in zip(ids, rows.get(ids)):
                    failures.append({
                        "id": row_id, "suite": suite.name, "severity": severity, "expectation_type": cfg.type,
                        "kwargs": kwargs, "reason": reason(cfg.type, cfg.kwargs, cfg.meta or {}, row),
                    })
            self._hold_for_docs(suite.name, prepare_for_docs(suite_result), str(batch.active_batch_id))
        return ValidationOutcome(table, pd.DataFrame(results, columns=list(RESULT_COLUMNS)),
                                 pd.DataFrame(failures, columns=list(FAILURE_COLUMNS)))

    def _hold_for_docs(self, suite_name: str, suite_result: ExpectationSuiteValidationResult, batch_id: str) -> None:
        """Keep the suite's result, merged with its earlier batches in this run (a run validates in chunks); the
        store is written once, by build_data_docs, not per chunk."""
        if earlier := self._docs_results.get(suite_name):
            merge_for_docs(earlier[0], suite_result)
        else:
            self._docs_results[suite_name] = (suite_result, batch_id)

    def build_data_docs(self) -> Path:
        """Store the run's results, prune old runs' results and render the Data Docs site; returns its index.html."""
        for suite_result, batch_id in self._docs_results.values():
            store_for_docs(self._ctx, suite_result, self._run_id, batch_id)
        prune_runs(self._ctx, self._keep_runs)
        return build_site(self._ctx)


def _named_columns(suites: list[SuiteFile]) -> set[str]:
    """Every word in the suites' expectation kwargs (column names, row conditions): a superset of the columns
    the expectations read, so GX is handed (and fingerprints, filters and copies) only those, not the raw text."""
    words: set[str] = set()
    for suite in suites:
        for exp in suite.definition["expectations"]:
            words.update(re.findall(r"\w+", json.dumps(exp.get("kwargs", {}), ensure_ascii=False)))
    return words


class _RowLookup:
    """Row values by id for the reason templates (first row wins for duplicated ids)."""

    def __init__(self, df: pd.DataFrame, id_column: str) -> None:
        self._by_id = df.drop_duplicates(id_column).set_index(id_column, drop=False)

    def get(self, ids: list[Any]) -> list[dict[str, Any]]:
        """Row dicts for ids."""
        if not ids:
            return []
        known = [i for i in dict.fromkeys(ids) if i is not None and i in self._by_id.index]
        records = self._by_id.loc[known].to_dict("index")
        return [records.get(i, {}) for i in ids]
