"""GX Data Docs for a run: stored results made safe to render, old runs pruned, the static site built."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext

SITE_NAME = "local_site"


def escape_strings(value: Any) -> Any:
    """Copy of a nested result value with every string HTML-escaped (GX Data Docs render values as raw HTML)."""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {escape_strings(k): escape_strings(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(escape_strings(v) for v in value)
    return value


def store_sanitized(ctx: AbstractDataContext, suite_result: ExpectationSuiteValidationResult, suite_name: str,
                    run_id: RunIdentifier) -> None:
    """Replace the stored copy of a suite result by one whose row values are HTML-escaped."""
    for r in suite_result.results:
        r.result = escape_strings(r.result)
    store = ctx.validation_results_store
    for key in store.list_keys():
        if key.expectation_suite_identifier.name == suite_name and key.run_id.to_tuple() == run_id.to_tuple():
            store.set(key, suite_result)


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
