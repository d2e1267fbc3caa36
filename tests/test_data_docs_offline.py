"""GX Data Docs and the run report render with their styles and scripts in a browser with the internet blocked."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_support import chromium, console_errors, screenshot_on_failure
from expectations.data_docs import CDN_ASSETS, offline_page
from test_warehouse_content import doc_frames, fig, make_doc

# Resources a page loads (not plain links a reader may click).
_LOADED = re.compile(r"""<(?:script|link|img)\b[^>]*?(?:src|href)=["'](https?:)?//|url\(['"]?https?://""", re.I)


def test_offline_page_points_every_cdn_asset_at_the_vendored_copy() -> None:
    page = "".join(f'<script src="{url}" integrity="sha384-x" crossorigin="anonymous"></script>'
                   if url.endswith("js") or "@" in url.rsplit("/", 1)[-1] else f'<link rel="stylesheet" href="{url}"/>'
                   for url in CDN_ASSETS)
    page += ("<img src=\"https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1&id=2\">"
             "<style>.x{background:url('https://great-expectations-web-assets.s3.amazonaws.com/full_logo_dark.png')}"
             "</style>")
    offline = offline_page(page, "../static/vendor", "../static/images")
    assert not _LOADED.search(offline), offline
    assert "integrity=" not in offline and "crossorigin=" not in offline
    assert '<script src="../static/vendor/jquery-3.7.1.min.js"></script>' in offline
    assert "url('../static/images/logo-long.png')" in offline


@pytest.fixture(scope="module")
def data_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from expectations.validate import Validator

    parts = doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 500), fig(9, "target", "cpi_growth", 3)]))
    validator = Validator(tmp_path_factory.mktemp("dq") / "gx", run_name="offline")
    validator.validate("figures", parts["figures"], "figure_id")
    return validator.build_data_docs()


def test_built_data_docs_load_nothing_from_the_internet(data_docs: Path) -> None:
    site = data_docs.parent
    pages = [*site.rglob("*.html"), *(p for p in site.rglob("*.css") if "vendor" not in p.parts)]
    assert len(pages) >= 3
    for page in pages:
        assert not _LOADED.search(page.read_text(encoding="utf-8")), page
    assert (site / "static/vendor/bootstrap-4.3.1.min.css").stat().st_size > 100_000


_STYLED = """
const btn = document.querySelector('.btn');
const table = document.querySelector('table');
return {
  jquery: typeof window.jQuery === 'function',
  bootstrapTable: !!(window.jQuery && jQuery.fn.bootstrapTable),
  vega: typeof window.vegaEmbed === 'function',
  rows: document.querySelectorAll('table tbody tr').length,
  btnPadding: btn ? getComputedStyle(btn).paddingLeft : null,
  tableBorderCollapse: table ? getComputedStyle(table).borderCollapse : null,
  fontAwesome: getComputedStyle(document.querySelector('.fas, .fa, [class*="fa-"]') || document.body).fontFamily,
};
"""


def test_data_docs_index_renders_with_styles_and_scripts_offline(data_docs: Path) -> None:
    with chromium() as driver:
        with screenshot_on_failure(driver, "data_docs_offline"):
            driver.get(data_docs.as_uri())
            state = driver.execute_script(_STYLED)
            assert state["jquery"] and state["bootstrapTable"] and state["vega"], state
            assert state["rows"] >= 1, state  # the results table is built by bootstrap-table
            assert state["btnPadding"] not in (None, "0px"), state  # bootstrap's .btn padding
            assert state["tableBorderCollapse"] == "collapse", state
            assert "Font Awesome" in state["fontAwesome"], state
            assert console_errors(driver) == []


def test_a_validation_page_renders_offline(data_docs: Path) -> None:
    page = next(data_docs.parent.glob("validations/**/*.html"))
    with chromium() as driver:
        with screenshot_on_failure(driver, "data_docs_validation_offline"):
            driver.get(page.as_uri())
            state = driver.execute_script(_STYLED)
            assert state["jquery"] and state["bootstrapTable"], state
            assert state["btnPadding"] not in (None, "0px"), state
            assert console_errors(driver) == []


def test_the_run_report_renders_with_its_styles_offline(tmp_path: Path) -> None:
    from expectations.report_page import render_summary
    from test_report_page import _warned, summary

    page = tmp_path / "run.html"
    page.write_text(render_summary(summary(warnings=_warned(2))), encoding="utf-8")
    with chromium() as driver:
        with screenshot_on_failure(driver, "run_report_offline"):
            driver.get(page.as_uri())
            state = driver.execute_script("""return {
                card: getComputedStyle(document.querySelector('.card')).borderTopStyle,
                mark: getComputedStyle(document.querySelector('mark')).backgroundColor,
                badge: getComputedStyle(document.querySelector('.badge.critical')).backgroundColor};""")
            assert state == {"card": "solid", "mark": "rgb(255, 224, 130)", "badge": "rgb(176, 0, 32)"}, state
            assert console_errors(driver) == []
