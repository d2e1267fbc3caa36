"""The run report page: self-contained, charts present, and hostile report text never becomes markup."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd

from expectations.report_page import (RunSummary, bar_chart_svg, render_markdown, render_summary, report_counts,
                                      run_status, with_context)

HOSTILE = "城镇新增就业1.8万人<script>alert(1)</script><img src=x onerror=alert(1)>"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def parse(page: str) -> _Collector:
    c = _Collector()
    c.feed(page)
    c.close()
    return c


def summary(**overrides) -> RunSummary:
    results = pd.DataFrame([
        {"suite": "figures.critical", "table_name": "figures", "severity": "critical",
         "expectation_type": "expect_column_pair_values_a_to_be_greater_than_b",
         "kwargs": '{"column_A": "plausible_base_max", "column_B": "value_base_high"}', "success": False,
         "element_count": 10, "unexpected_count": 1, "unexpected_ids": '["f1"]'},
        {"suite": "figures.critical", "table_name": "figures", "severity": "critical",
         "expectation_type": "expect_column_values_to_not_be_null", "kwargs": '{"column": "sentence"}',
         "success": True, "element_count": 10, "unexpected_count": 0, "unexpected_ids": "[]"},
    ])
    base = dict(
        run_id="20261124-0200", started_at="2026-11-24 02:00:00", finished_at="2026-11-24 02:00:09",
        counts={"documents_in": 5, "documents_loaded": 4, "documents_quarantined": 1, "figures_loaded": 120,
                "figures_quarantined": 1},
        dq_results=results,
        quarantine=pd.DataFrame([{"id": "f1", "source_file": "evil<b>.txt", "sentence": HOSTILE,
                                  "reason": f"value_text {HOSTILE} does not occur in its sentence"}]),
        findings=pd.DataFrame([{"document_id": "d1", "source_file": "a.txt", "check_name": "spam_removed",
                                "severity": "warning", "message": HOSTILE, "detail": "<svg onload=alert(1)>"}]),
        recent_runs=pd.DataFrame({"run_id": ["r1", "r2", "<i>r3</i>"], "figures_loaded": [100, 118, 120],
                                  "figures_quarantined": [0, 3, 1]}),
        warnings=pd.DataFrame([{"id": "f2", "source_file": "a.txt", "severity": "warning", "sentence": HOSTILE,
                                "reason": "unit 所 is not in the unit catalog"}]),
        data_docs_href="gx/uncommitted/data_docs/local_site/index.html",
    )
    base.update(overrides)
    return RunSummary(**base)


def test_hostile_text_never_becomes_live_markup():
    page = render_summary(summary())
    parsed = parse(page)
    assert not {"script", "img", "i"} & set(parsed.tags)
    assert not [name for name, _ in parsed.attrs if name.lower().startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "evil&lt;b&gt;.txt" in page
    assert "城镇新增就业1.8万人" in page


def test_page_has_svg_charts_and_no_external_urls():
    page = render_summary(summary())
    parsed = parse(page)
    assert parsed.tags.count("svg") == 2 and parsed.tags.count("rect") == 6
    assert not re.search(r"https?://", page)
    refs = [v for name, v in parsed.attrs if name in ("src", "href")]
    assert refs == ["gx/uncommitted/data_docs/local_site/index.html"]
    assert "<style>" in page and "<link" not in page


def test_page_shows_counts_failed_checks_and_quarantine_reasons():
    page = render_summary(summary())
    assert "documents quarantined<b>1</b>" in page
    assert "plausible_base_max ≥ value_base_high" not in page  # or_equal not set in this result's kwargs
    assert "plausible_base_max &gt; value_base_high" in page
    assert "Quarantined: 1 figure" in page and "does not occur in its sentence" in page
    assert "every row has a sentence" not in page  # passing check is not listed as failing


def test_scheme_links_are_dropped():
    for href in ("javascript:alert(1)", "https://example.com/docs", "//evil.example/x"):
        page = render_summary(summary(data_docs_href=href))
        assert "href=" not in page


def test_empty_run_renders():
    empty = summary(dq_results=pd.DataFrame(), quarantine=pd.DataFrame(), findings=pd.DataFrame(),
                    recent_runs=pd.DataFrame(), warnings=pd.DataFrame(), counts={}, data_docs_href=None)
    page = render_summary(empty)
    assert "No earlier runs recorded." in page and "<svg" not in page
    assert "_None._" in render_markdown(empty)


def test_bar_heights_scale_to_the_largest_value():
    svg = bar_chart_svg("t", ["a", "b"], [5, 10], "#000", height=160)
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights[1] == 2 * heights[0] > 0


def test_markdown_escapes_markup_and_keeps_text():
    md = render_markdown(summary())
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;" in md
    assert "城镇新增就业1\\.8万人" in md
    assert "evil&lt;b&gt;\\.txt" in md


def test_with_context_adds_sentence_by_id():
    failures = pd.DataFrame([{"id": "f1", "suite": "figures.critical", "severity": "critical",
                              "expectation_type": "x", "kwargs": "{}", "reason": "r"}])
    frame = pd.DataFrame({"figure_id": ["f1", "f2"], "sentence": ["s1", "s2"], "source_file": ["a", "b"]})
    out = with_context(failures, frame, "figure_id")
    assert out[["id", "sentence", "source_file"]].values.tolist() == [["f1", "s1", "a"]]


UNITS = [f"单位{i}" for i in range(120)]  # a long allowed set, as the unit catalog resolves to


def _warned(n: int) -> pd.DataFrame:
    return pd.DataFrame([{"id": f"w{i}", "suite": "figures.warning", "severity": "warning",
                          "expectation_type": "expect_column_values_to_be_in_set",
                          "kwargs": json.dumps({"column": "unit", "value_set": UNITS}, ensure_ascii=False),
                          "source_file": "a.txt", "sentence": f"新建学校{i}所，完成目标。", "value_text": f"{i}所",
                          "reason": f"unit 所 is not in the unit catalog"} for i in range(n)])


def test_checks_read_in_plain_words_with_a_short_set_and_their_severity():
    page = render_summary(summary(warnings=_warned(3)))
    assert "expect_" not in page
    assert "unit is one of 单位0, 单位1, 单位2, 单位3, 单位4 and 115 more" in page
    assert "单位60" not in page
    assert '<span class="badge warning">warning</span>' in page and '<span class="badge critical">critical</span>' in page


def test_warnings_are_grouped_by_cause_with_count_and_top_examples():
    page = render_summary(summary(warnings=_warned(12)))
    group = page[page.index('id="warnings"'):page.index('id="findings"')]
    assert group.count("<h3>") == 1 and "<b>12</b> figures" in group
    assert group.count("<tr>") == 1 + 5  # header and the top five examples
    assert "… and 7 more" in group


def test_examples_mark_the_number_and_give_the_id_and_the_command():
    page = render_summary(summary(warnings=_warned(1)))
    assert "新建学校<mark>0所</mark>，完成目标。" in page
    assert "mubiao review accept f1" in page  # the quarantined figure
    assert "mubiao review correct w0" in page  # the warned one


def test_cards_and_sections_give_one_count():
    quarantine = pd.DataFrame([{"figure_id": f, "level": "figure", "source_file": "a.txt", "failed_check": c,
                                "check_params": "{}", "reason": "r", "sentence": "s", "value_text": "1"}
                               for f in ("f1", "f2") for c in ("expect_x", "expect_y")])
    warnings = pd.concat([_warned(4), _warned(4).assign(expectation_type="expect_z")], ignore_index=True)
    counts = {"figures_loaded": 10, **report_counts(quarantine, warnings)}
    assert counts["figures_quarantined"] == 2 and counts["warnings"] == 4
    page = render_summary(summary(quarantine=quarantine, warnings=warnings, counts=counts))
    assert "figures quarantined<b>2</b>" in page and "Quarantined: 2 figures" in page
    assert "figures with warnings<b>4</b>" in page and "Warnings: 4 figures" in page


def test_run_status_says_whether_anything_was_kept_out():
    assert run_status("succeeded", {"figures_quarantined": 0, "files_quarantined": 0}) == "succeeded"
    assert run_status("succeeded", {"files_quarantined": 6}) == "succeeded with quarantines"
    assert run_status("failed", {"files_quarantined": 6}) == "failed"
    page = render_summary(summary(status="succeeded"))
    assert "— <span class=\"status\">succeeded with quarantines</span></h1>" in page
