"""GX Data Docs for a run: one escaped, shortened result per suite, old runs pruned, the site built."""
from __future__ import annotations

import html
import json
import os
import re
import shutil
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
PARTIAL_ROWS = 20  # GX's own length of partial_* lists
COUNT_KEYS = ("element_count", "missing_count", "unexpected_count")
ASSETS_DIR = Path(__file__).resolve().parent / "data_docs_assets"  # vendored copies; see its README.md
VENDOR = "static/vendor"  # where the site keeps them

# What GX's page templates load from the internet → the vendored file (None: the tag is dropped).
CDN_ASSETS: dict[str, str | None] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap-4.3.1.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap-4.3.1.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper-1.12.9.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table-1.19.1.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table-1.19.1.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css":
        "bootstrap-table-filter-control-1.19.1.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css":
        "bootstrap-table-filter-control-1.19.1.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js":
        "bootstrap-table-filter-control-1.19.1.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css":
        "bootstrap-datepicker-1.9.0.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js":
        "bootstrap-datepicker-1.9.0.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "css/fontawesome-6.6.0.min.css",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega-5.33.1.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite-5.23.0.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed-6.29.0.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": None,
}
_GX_IMAGES = re.compile(r"https://great-expectations-web-assets\.s3[\w.-]*\.amazonaws\.com/[\w.-]+(\?[^'\")\s]*)?")
_FAVICON = re.compile(r'href="[./]*static/images/favicon\.ico"')
_SRI = re.compile(r'\s(?:integrity|crossorigin)="[^"]*"')


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


def prepare_for_docs(suite_result: ExpectationSuiteValidationResult) -> ExpectationSuiteValidationResult:
    """The suite result with row values HTML-escaped and row lists shortened (mutated and returned)."""
    for r in suite_result.results:
        r.result = _for_docs(r.result)
    return suite_result


def _percent(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


def _merged(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two batches' results of one expectation as one: counts summed, row lists appended, percentages recomputed."""
    out = dict(a)
    for key, value in b.items():
        mine = a.get(key)
        if key in COUNT_KEYS:
            out[key] = (mine or 0) + (value or 0)
        elif key == "partial_unexpected_counts":
            counts: dict[str, dict[str, Any]] = {}
            for item in [*(mine or []), *(value or [])]:
                k = json.dumps(item.get("value"), sort_keys=True, default=str)
                counts.setdefault(k, {"value": item.get("value"), "count": 0})["count"] += item.get("count", 0)
            out[key] = sorted(counts.values(), key=lambda c: -c["count"])[:PARTIAL_ROWS]
        elif key == "unexpected_index_query":
            out.pop(key, None)  # a query over one batch's row index; it means nothing for the merged batches
        elif isinstance(value, list) and key != "unexpected_index_column_names":
            out[key] = [*(mine or []), *value][:PARTIAL_ROWS if key.startswith("partial_") else MAX_DOCS_ROWS]
        elif mine is None:
            out[key] = value
    total, missing, unexpected = (out.get(k) or 0 for k in COUNT_KEYS)
    recomputed = {"unexpected_percent": _percent(unexpected, total - missing),
                  "unexpected_percent_total": _percent(unexpected, total),
                  "unexpected_percent_nonmissing": _percent(unexpected, total - missing),
                  "missing_percent": _percent(missing, total)}
    out.update({k: v for k, v in recomputed.items() if k in out})
    return out


def merge_for_docs(into: ExpectationSuiteValidationResult, other: ExpectationSuiteValidationResult) -> None:
    """Fold another batch's prepared result of the same suite into `into`, so one run shows one result per suite."""
    if [r.expectation_config.type for r in into.results] != [r.expectation_config.type for r in other.results]:
        raise ValueError(f"{into.suite_name}: cannot merge results of different expectation lists")
    for a, b in zip(into.results, other.results):
        a.result = _merged(a.result, b.result)
        a.success = bool(a.success and b.success)
    passed = sum(1 for r in into.results if r.success)
    into.success = passed == len(into.results)
    into.statistics.update(successful_expectations=passed, unsuccessful_expectations=len(into.results) - passed,
                           success_percent=_percent(passed, len(into.results)))


def store_for_docs(ctx: AbstractDataContext, suite_result: ExpectationSuiteValidationResult,
                   run_id: RunIdentifier, batch_id: str) -> None:
    """Store a prepared suite result for Data Docs under this run."""
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


def offline_page(page: str, vendor_href: str, images_href: str) -> str:
    """A Data Docs page that loads nothing from the internet: CDN links point at the vendored copies."""
    for url, local in CDN_ASSETS.items():
        if local is None:
            page = re.sub(rf'<link[^>]*href="{re.escape(url)}"[^>]*>', "", page)
        else:
            page = page.replace(url, f"{vendor_href}/{local}")
    page = _GX_IMAGES.sub(f"{images_href}/logo-long.png", page)
    page = _FAVICON.sub(f'href="{images_href}/favicon.ico"', page)  # GX links it one level too shallow
    return _SRI.sub("", page)  # integrity hashes and CORS mode are for the CDN copies


def make_offline(site: Path) -> int:
    """Copy the vendored assets into the site and rewrite every page to use them; returns pages rewritten."""
    shutil.copytree(ASSETS_DIR, site / VENDOR, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    rewritten = 0
    pages = [*site.rglob("*.html"), *(css for css in site.rglob("*.css") if VENDOR not in css.as_posix())]
    for page in pages:
        to_root = Path(os.path.relpath(site, page.parent)).as_posix()
        text = page.read_text(encoding="utf-8")
        offline = offline_page(text, f"{to_root}/{VENDOR}", f"{to_root}/static/images")
        if offline != text:
            page.write_text(offline, encoding="utf-8")
            rewritten += 1
    return rewritten


def build_site(ctx: AbstractDataContext) -> Path:
    """Render the local Data Docs site, made to work offline; returns the path of its index.html."""
    urls = ctx.build_data_docs(site_names=[SITE_NAME])
    index = Path(unquote(urlparse(urls[SITE_NAME]).path))
    make_offline(index.parent)
    return index
