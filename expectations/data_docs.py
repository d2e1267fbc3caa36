"""GX Data Docs for a run: results stored safe to render (escaped, shortened), old runs pruned, the site built."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

SITE_NAME = "local_site"
MAX_DOCS_ROWS = 200  # failing rows kept per expectation in stored results (the full list is in ValidationOutcome)


def escape_strings(value: Any) -> Any:
    """Copy of a nested result value with every string HTML-escaped (GX Data Docs render values as raw HTML)."""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {escape_strings(k): escape_strings(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(escape_strings(v) for v in value)
    return value


def _for_docs(result: dict[str, Any]) -> dict[str, Any]:
    """A result dict with row lists cut to MAX_DOCS_ROWS and every string HTML-escaped."""
    cut = {k: v[:MAX_DOCS_ROWS] if isinstance(v, list) else v for k, v in result.items()}
    return escape_strings(cut)


def store_for_docs(ctx: AbstractDataContext, suite_result: ExpectationSuiteValidationResult,
                   run_id: RunIdentifier, batch_id: str) -> None:
    """Store a suite result for Data Docs, with row values HTML-escaped and row lists shortened (mutates it)."""
    for r in suite_result.results:
        r.result = _for_docs(r.result)
    suite_result.meta["run_id"] = run_id
    suite_result.meta["validation_time"] = run_id.run_time
    key = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite_result.suite_name),
        run_id=run_id, batch_identifier=batch_id)
    ctx.validation_results_store.set(key, suite_result)


def prune_runs(ctx: AbstractDataContext, keep_runs: int) -> int:
    """Delete stored results of all but the newest `keep_runs` runs; returns how many results were deleted."""
    store = ctx.validation_results_store
    keys = store.list_keys()
    run_times = sorted({k.run_id.run_time for k in keys}, reverse=True)
    old = set(run_times[keep_runs:])
    doomed = [k for k in keys if k.run_id.run_time in old]
    for key in doomed:
        store.remove_key(key)
    return len(doomed)


def build_site(ctx: AbstractDataContext) -> Path:
    """Render the local Data Docs site; returns the path of its index.html."""
    urls = ctx.build_data_docs(site_names=[SITE_NAME])
    return Path(unquote(urlparse(urls[SITE_NAME]).path))
