"""The run report: one self-contained HTML page (inline CSS and SVG, no network) and a Markdown twin."""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

MAX_ROWS = 200
COUNT_ORDER: tuple[str, ...] = (
    "files_seen", "files_loaded", "files_skipped", "files_quarantined", "documents_loaded",
    "documents_quarantined", "figures_loaded", "figures_quarantined", "warnings",
)
ISSUE_COLUMNS: tuple[str, ...] = ("source_file", "severity", "sentence", "reason")
FINDING_COLUMNS: tuple[str, ...] = ("source_file", "check_name", "severity", "message", "detail")
CHECK_COLUMNS: tuple[str, ...] = ("suite", "severity", "expectation_type", "kwargs", "unexpected_count")

_CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:72rem;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right}.critical{color:#b00020}.warning{color:#a15c00}.info{color:#555}
.cards{display:flex;flex-wrap:wrap;gap:.75rem}.card{border:1px solid #ddd;border-radius:.4rem;padding:.5rem .9rem;min-width:9rem}
.card b{display:block;font-size:1.4rem}.charts{display:flex;flex-wrap:wrap;gap:2rem}.muted{color:#777}code{font-size:.8rem}
"""


@dataclass
class RunSummary:
    """Everything the run report shows; frames may be empty, and missing optional columns are skipped."""

    run_id: str
    started_at: datetime | str
    finished_at: datetime | str | None
    counts: dict[str, int]
    dq_results: pd.DataFrame  # ValidationOutcome.results of all tables, concatenated
    quarantine: pd.DataFrame  # id, source_file, sentence, reason, ... (critical failures with context)
    findings: pd.DataFrame  # transforms.frames.findings_frame columns
    recent_runs: pd.DataFrame  # run_id, figures_loaded, figures_quarantined; oldest first
    warnings: pd.DataFrame = field(default_factory=pd.DataFrame)  # like quarantine, for warning/info rows
    data_docs_href: str | None = None  # relative link to the Data Docs index.html
    attainment_href: str | None = None  # relative link to the run's attainment page (expectations.attainment_page)
    status: str = "completed"


def with_context(failures: pd.DataFrame, df: pd.DataFrame, id_column: str,
                 columns: Sequence[str] = ("source_file", "sentence")) -> pd.DataFrame:
    """Failures (ValidationOutcome.failures) joined with the failing rows' context columns from the validated frame."""
    present = [c for c in columns if c in df.columns and c != id_column]
    context = df.drop_duplicates(id_column)[[id_column, *present]].rename(columns={id_column: "id"})
    return failures.merge(context, on="id", how="left")


def _e(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def _safe_href(href: str | None) -> str | None:
    """Only relative links: anything with a scheme (http:, javascript:, data:) is dropped."""
    if not href or re.match(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.strip().startswith("//"):
        return None
    return href


def _table(df: pd.DataFrame, columns: Sequence[str], numeric: Sequence[str] = ()) -> str:
    shown = [c for c in columns if c in df.columns]
    if df.empty or not shown:
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{_e(c)}</th>" for c in shown)
    body = []
    for row in df[shown].head(MAX_ROWS).itertuples(index=False):
        cells = []
        for c, v in zip(shown, row):
            is_severity = c == "severity" and isinstance(v, str) and v in ("critical", "warning", "info")
            cls = ' class="num"' if c in numeric else (f' class="{v}"' if is_severity else "")
            cells.append(f"<td{cls}>{_e(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = f'<p class="muted">… and {len(df) - MAX_ROWS} more.</p>' if len(df) > MAX_ROWS else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _count_items(counts: dict[str, int]) -> list[tuple[str, int]]:
    keys = [k for k in COUNT_ORDER if k in counts] + sorted(k for k in counts if k not in COUNT_ORDER)
    return [(k, counts[k]) for k in keys]


def checks_by_suite(dq_results: pd.DataFrame) -> pd.DataFrame:
    """Per suite: expectations run, expectations failed, failing rows."""
    if dq_results.empty:
        return pd.DataFrame(columns=["suite", "checks", "failed", "failing_rows"])
    grouped = dq_results.groupby("suite", sort=True)
    return pd.DataFrame({
        "checks": grouped.size(),
        "failed": grouped["success"].apply(lambda s: int((~s.astype(bool)).sum())),
        "failing_rows": grouped["unexpected_count"].sum(),
    }).reset_index()


def _failed_checks(dq_results: pd.DataFrame) -> pd.DataFrame:
    if dq_results.empty:
        return dq_results
    return dq_results[(~dq_results["success"].astype(bool)) | (dq_results["unexpected_count"] > 0)]


def bar_chart_svg(title: str, labels: Sequence[str], values: Sequence[float], color: str,
                  width: int = 420, height: int = 160) -> str:
    """A small inline SVG bar chart (one bar per label, hover shows label and value)."""
    pad_left, pad_bottom, pad_top = 36, 18, 22
    n = max(len(values), 1)
    top = max([float(v) for v in values] + [1.0])
    slot = (width - pad_left - 4) / n
    plot_h = height - pad_bottom - pad_top
    bars = []
    for i, (label, value) in enumerate(zip(labels, values)):
        h = plot_h * float(value) / top
        x = pad_left + i * slot + slot * 0.15
        y = pad_top + plot_h - h
        bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{color}">'
                    f"<title>{_e(label)}: {_e(value)}</title></rect>")
    axis = (f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 4}" y2="{pad_top + plot_h}" stroke="#999"/>'
            f'<text x="{pad_left - 4}" y="{pad_top + 4}" font-size="10" text-anchor="end">{_e(f"{top:g}")}</text>'
            f'<text x="{pad_left - 4}" y="{pad_top + plot_h}" font-size="10" text-anchor="end">0</text>')
    first_last = ""
    if labels:
        first_last = (f'<text x="{pad_left}" y="{height - 4}" font-size="10">{_e(labels[0])}</text>'
                      f'<text x="{width - 4}" y="{height - 4}" font-size="10" text-anchor="end">{_e(labels[-1])}</text>')
    return (f'<svg role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><title>{_e(title)}</title>'
            f'<text x="{pad_left}" y="14" font-size="12" font-weight="bold">{_e(title)}</text>'
            f"{axis}{''.join(bars)}{first_last}</svg>")


def _charts(recent: pd.DataFrame) -> str:
    needed = {"run_id", "figures_loaded", "figures_quarantined"}
    if recent.empty or not needed <= set(recent.columns):
        return '<p class="muted">No earlier runs recorded.</p>'
    labels = [str(r) for r in recent["run_id"]]
    loaded = recent["figures_loaded"].fillna(0).tolist()
    quarantined = recent["figures_quarantined"].fillna(0).tolist()
    return ('<div class="charts">'
            + bar_chart_svg("Figures loaded per run", labels, loaded, "#2e7d32")
            + bar_chart_svg("Figures quarantined per run", labels, quarantined, "#c62828")
            + "</div>")


def render_summary(summary: RunSummary) -> str:
    """The run report as one self-contained HTML page; every value from the data is escaped."""
    cards = "".join(f'<div class="card">{_e(k.replace("_", " "))}<b>{_e(v)}</b></div>'
                    for k, v in _count_items(summary.counts))
    href = _safe_href(summary.data_docs_href)
    docs_link = (f'<p>Full check results: <a href="{_e(href)}">Great Expectations Data Docs</a></p>'
                 if href else "")
    attainment = _safe_href(summary.attainment_href)
    attainment_link = (f'<p>Targets and outcomes: <a href="{_e(attainment)}">attainment by region and metric</a></p>'
                       if attainment else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mubiao run {_e(summary.run_id)}</title><style>{_CSS}</style></head><body>",
        f"<h1>mubiao run {_e(summary.run_id)} — {_e(summary.status)}</h1>",
        f'<p class="muted">started {_e(summary.started_at)} · finished {_e(summary.finished_at)}</p>',
        f'<div class="cards">{cards}</div>',
        docs_link,
        attainment_link,
        "<h2>Loaded vs quarantined figures, recent runs</h2>", _charts(summary.recent_runs),
        "<h2>Checks by suite</h2>",
        _table(checks_by_suite(summary.dq_results), ["suite", "checks", "failed", "failing_rows"],
               numeric=["checks", "failed", "failing_rows"]),
        "<h2>Checks with failing rows</h2>",
        _table(_failed_checks(summary.dq_results), CHECK_COLUMNS, numeric=["unexpected_count"]),
        f"<h2>Quarantined ({len(summary.quarantine)})</h2>", _table(summary.quarantine, ("id", *ISSUE_COLUMNS)),
        f"<h2>Warnings ({len(summary.warnings)})</h2>", _table(summary.warnings, ("id", *ISSUE_COLUMNS)),
        f"<h2>Document findings ({len(summary.findings)})</h2>", _table(summary.findings, FINDING_COLUMNS),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_escape(value: object) -> str:
    """Text safe inside Markdown (and the HTML it may become): markup characters escaped, one line."""
    text = "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)
    text = html.escape(" ".join(text.split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_table(df: pd.DataFrame, columns: Sequence[str], limit: int = 50) -> str:
    shown = [c for c in columns if c in df.columns]
    if df.empty or not shown:
        return "_None._"
    lines = ["| " + " | ".join(md_escape(c) for c in shown) + " |", "|" + "---|" * len(shown)]
    lines += ["| " + " | ".join(md_escape(v) for v in row) + " |"
              for row in df[shown].head(limit).itertuples(index=False)]
    if len(df) > limit:
        lines.append(f"\n_… and {len(df) - limit} more (see the HTML report)._")
    return "\n".join(lines)


def render_markdown(summary: RunSummary) -> str:
    """The run report as Markdown for the Prefect artifact; every value from the data is escaped."""
    counts = "\n".join(f"- **{md_escape(k.replace('_', ' '))}**: {md_escape(v)}" for k, v in _count_items(summary.counts))
    return "\n\n".join([
        f"# mubiao run {md_escape(summary.run_id)} — {md_escape(summary.status)}",
        f"started {md_escape(summary.started_at)} · finished {md_escape(summary.finished_at)}",
        counts or "_No counts._",
        "## Checks by suite",
        _md_table(checks_by_suite(summary.dq_results), ["suite", "checks", "failed", "failing_rows"]),
        f"## Quarantined ({len(summary.quarantine)})",
        _md_table(summary.quarantine, ("source_file", "sentence", "reason")),
        f"## Warnings ({len(summary.warnings)})",
        _md_table(summary.warnings, ("source_file", "severity", "reason")),
        f"## Document findings ({len(summary.findings)})",
        _md_table(summary.findings, ("source_file", "severity", "message")),
    ]) + "\n"
