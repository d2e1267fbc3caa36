"""The run report: one self-contained HTML page (inline CSS and SVG, no network) and a Markdown twin."""
from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from .attainment_chart import esc
from .wording import describe, highlight

MAX_ROWS = 200
MAX_EXAMPLES = 5  # examples shown per cause; `mubiao review` lists every item
COUNT_ORDER: tuple[str, ...] = (
    "files_seen", "files_loaded", "files_skipped", "files_quarantined", "documents_loaded",
    "documents_quarantined", "figures_loaded", "figures_quarantined", "warnings",
)
CARD_LABELS = {"warnings": "figures with warnings", "files_skipped": "files unchanged"}

_CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:72rem;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right}.critical{color:#b00020}.warning{color:#a15c00}.info{color:#555}
.cards{display:flex;flex-wrap:wrap;gap:.75rem}.card{border:1px solid #ddd;border-radius:.4rem;padding:.5rem .9rem;min-width:9rem}
.card b{display:block;font-size:1.4rem}.charts{display:flex;flex-wrap:wrap;gap:2rem}.muted{color:#777}code{font-size:.8rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}mark{background:#ffe082;padding:0 .1rem;font-weight:bold}
.badge{font-size:.75rem;border-radius:.3rem;padding:.05rem .4rem;color:#fff;background:#777;vertical-align:middle}
.badge.critical{background:#b00020}.badge.warning{background:#a15c00}.badge.info{background:#555}
"""


@dataclass
class Section:
    """A section another part of the pipeline adds to the report (e.g. attainment): title, HTML body, Markdown."""

    title: str
    html: str  # already escaped
    markdown: str = ""


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
    status: str = "completed"  # the run's status (runs.status); the title says run_status(status, counts)
    duplicates: pd.DataFrame = field(default_factory=pd.DataFrame)  # source_file, duplicate_of_file, similarity
    sections: list[Section] = field(default_factory=list)  # further sections, shown after the duplicates



def with_context(failures: pd.DataFrame, df: pd.DataFrame, id_column: str,
                 columns: Sequence[str] = ("source_file", "sentence")) -> pd.DataFrame:
    """Failures (ValidationOutcome.failures) joined with the failing rows' context columns from the validated frame."""
    present = [c for c in columns if c in df.columns and c != id_column]
    context = df.drop_duplicates(id_column)[[id_column, *present]].rename(columns={id_column: "id"})
    return failures.merge(context, on="id", how="left")


def _safe_href(href: str | None) -> str | None:
    """Only relative links: anything with a scheme (http:, javascript:, data:) is dropped."""
    if not href or re.match(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.strip().startswith("//"):
        return None
    return href


def _table(df: pd.DataFrame, columns: Sequence[str], numeric: Sequence[str] = ()) -> str:
    shown = [c for c in columns if c in df.columns]
    if df.empty or not shown:
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{esc(c)}</th>" for c in shown)
    body = []
    for row in df[shown].head(MAX_ROWS).itertuples(index=False):
        cells = []
        for c, v in zip(shown, row):
            is_severity = c == "severity" and isinstance(v, str) and v in ("critical", "warning", "info")
            cls = ' class="num"' if c in numeric else (f' class="{v}"' if is_severity else "")
            cells.append(f"<td{cls}>{esc(v)}</td>")
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
                    f"<title>{esc(label)}: {esc(value)}</title></rect>")
    axis = (f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 4}" y2="{pad_top + plot_h}" stroke="#999"/>'
            f'<text x="{pad_left - 4}" y="{pad_top + 4}" font-size="10" text-anchor="end">{esc(f"{top:g}")}</text>'
            f'<text x="{pad_left - 4}" y="{pad_top + plot_h}" font-size="10" text-anchor="end">0</text>')
    first_last = ""
    if labels:
        first_last = (f'<text x="{pad_left}" y="{height - 4}" font-size="10">{esc(labels[0])}</text>'
                      f'<text x="{width - 4}" y="{height - 4}" font-size="10" text-anchor="end">{esc(labels[-1])}</text>')
    return (f'<svg role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><title>{esc(title)}</title>'
            f'<text x="{pad_left}" y="14" font-size="12" font-weight="bold">{esc(title)}</text>'
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


def run_status(status: str, counts: dict[str, int]) -> str:
    """What a run's title says: failed, succeeded, or succeeded with quarantines (anything kept out)."""
    if status != "succeeded":
        return status
    kept_out = sum(counts.get(k, 0) for k in ("files_quarantined", "documents_quarantined", "figures_quarantined"))
    return "succeeded with quarantines" if kept_out else "succeeded"


def _frame_or_empty(df: pd.DataFrame | None) -> pd.DataFrame:
    return df if df is not None else pd.DataFrame()


_CHECK_SUFFIX = re.compile(r" \(expect_[a-z0-9_]+\)$")  # reasons end with the raw check name; the report names it in words


def issues_frame(quarantine: pd.DataFrame, warnings: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows and warned rows in one shape: id, level, severity, check, kwargs, reason, context."""
    parts = []
    if not quarantine.empty:
        q = quarantine
        level = q["level"] if "level" in q else pd.Series("figure", index=q.index)
        ids = q["figure_id"] if "figure_id" in q else q.get("id", pd.Series(None, index=q.index))
        if "document_id" in q:
            ids = ids.where(level == "figure", q["document_id"])
        ids = ids.where(ids.notna(), q.get("source_file"))
        parts.append(pd.DataFrame({
            "id": ids, "level": level, "severity": "critical",
            "check": q.get("failed_check", pd.Series(None, index=q.index)),
            "kwargs": q.get("check_params", pd.Series(None, index=q.index)), "reason": q.get("reason"),
            "source_file": q.get("source_file"), "sentence": q.get("sentence"), "value_text": q.get("value_text"),
            "status": q.get("status", pd.Series("open", index=q.index))}))
    if not warnings.empty:
        w = warnings
        suite = w.get("suite", pd.Series("figures", index=w.index)).fillna("figures").astype(str)
        parts.append(pd.DataFrame({
            "id": w.get("id"), "level": suite.map(lambda x: "document" if x.startswith("documents") else "figure"),
            "severity": w.get("severity", pd.Series("warning", index=w.index)),
            "check": w.get("expectation_type"), "kwargs": w.get("kwargs"), "reason": w.get("reason"),
            "source_file": w.get("source_file"), "sentence": w.get("sentence"), "value_text": w.get("value_text"),
            "status": "loaded"}))
    columns = ["id", "level", "severity", "check", "kwargs", "reason", "source_file", "sentence", "value_text",
               "status"]
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)[columns].astype(object).where(lambda f: f.notna(), None)
    out["reason"] = out["reason"].map(lambda r: _CHECK_SUFFIX.sub("", r) if isinstance(r, str) else r)
    return out


def _kwargs(raw: object) -> dict:
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def check_words(check: object, kwargs: object, level: str = "figure") -> str:
    """A failed check in plain words; a file that could not be read has no check."""
    if check is None:
        return "the file can be read as a report" if level == "file" else "loads into the warehouse"
    return describe(str(check), _kwargs(kwargs))


def fix_command(level: str, severity: str, item_id: str) -> str:
    """The command that settles an item of this kind.

    | level    | severity | command                                                         |
    | -------- | -------- | --------------------------------------------------------------- |
    | figure   | critical | review accept ID (keep it as read) or review reject ID          |
    | figure   | warning  | review correct ID (fix value, unit, kind, period, metric) or reject |
    | document | any      | review set-document ID (region, year, type)                     |
    | file     | critical | fix or replace the file in the inbox, then mubiao run           |
    """
    if level == "file":
        return f"fix or replace {item_id} in the inbox, then `mubiao run`"
    if level == "document":
        return f'mubiao review set-document {item_id} --region CODE --year YYYY --note "…"'
    if severity == "critical":
        return f'mubiao review accept {item_id} --note "…"  (or: mubiao review reject {item_id} --note "…")'
    return f'mubiao review correct {item_id} --value … --unit … --note "…"  (or: mubiao review reject {item_id})'


@dataclass
class IssueGroup:
    """Items failing one check: the check in plain words, how many, and the first few examples."""

    severity: str
    level: str
    words: str
    count: int
    examples: pd.DataFrame


def issue_groups(issues: pd.DataFrame, examples: int = MAX_EXAMPLES) -> list[IssueGroup]:
    """Issues grouped by cause (severity, level, check and its parameters), biggest group first within a severity."""
    if issues.empty:
        return []
    keyed = issues.assign(_kw=issues["kwargs"].map(lambda k: json.dumps(_kwargs(k), sort_keys=True, default=str)),
                          _check=issues["check"].fillna(""))
    groups = []
    for (severity, level, check, kw), rows in keyed.groupby(["severity", "level", "_check", "_kw"], sort=False):
        distinct = rows.drop_duplicates("id")
        groups.append(IssueGroup(severity, level, check_words(check or None, kw, level), len(distinct),
                                 distinct.head(examples)))
    rank = {"critical": 0, "warning": 1, "info": 2}
    return sorted(groups, key=lambda g: (rank.get(g.severity, 3), -g.count, g.words))


def count_items(issues: pd.DataFrame, severity: str) -> dict[str, int]:
    """Distinct items per level (figure, document, file) with an issue of this severity: the report's one count."""
    rows = issues[issues["severity"] == severity].drop_duplicates(["level", "id"])  # copies share figure ids
    return {level: int(n) for level, n in rows["level"].value_counts().items()}


def report_counts(quarantine: pd.DataFrame, warnings: pd.DataFrame) -> dict[str, int]:
    """figures_quarantined and warnings (figures with a warning) as the report's sections count them."""
    issues = issues_frame(quarantine, warnings)
    return {"figures_quarantined": count_items(issues, "critical").get("figure", 0),
            "warnings": count_items(issues, "warning").get("figure", 0)}


def _items_phrase(counts: dict[str, int]) -> str:
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in sorted(counts.items()) if n]
    return ", ".join(parts) or "none"


def _group_html(group: IssueGroup) -> str:
    rows = []
    for r in group.examples.itertuples(index=False):
        shown = (f'{highlight(r.sentence, r.value_text)}<br><span class="muted">{esc(r.reason)}</span>'
                 if r.sentence else esc(r.reason))
        rows.append(f"<tr><td><code class=\"id\">{esc(r.id)}</code><br><span class=\"muted\">{esc(r.source_file)}"
                    f"</span></td><td>{shown}</td>"
                    f"<td><code>{esc(fix_command(group.level, group.severity, str(r.id)))}</code></td></tr>")
    more = group.count - len(group.examples)
    tail = f'<p class="muted">… and {more} more: <code>mubiao review</code> lists them all.</p>' if more > 0 else ""
    return (f'<div class="group"><h3><span class="badge {esc(group.severity)}">{esc(group.severity)}</span> '
            f"{esc(group.words)} — <b>{group.count}</b> {esc(group.level)}{'s' if group.count != 1 else ''}</h3>"
            "<table><thead><tr><th>id · file</th><th>sentence (number marked) · reason</th><th>what to do</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{tail}</div>")


def _groups_html(groups: list[IssueGroup]) -> str:
    return "".join(_group_html(g) for g in groups) or '<p class="muted">None.</p>'


def _checks_table(dq_results: pd.DataFrame) -> pd.DataFrame:
    failed = _failed_checks(dq_results)
    if failed.empty:
        return pd.DataFrame(columns=["check", "severity", "suite", "rows_checked", "failing_rows"])
    return pd.DataFrame({
        "check": [check_words(t, k) for t, k in zip(failed["expectation_type"], failed["kwargs"])],
        "severity": failed["severity"], "suite": failed["suite"], "rows_checked": failed["element_count"],
        "failing_rows": failed["unexpected_count"]})


def _findings_groups(findings: pd.DataFrame) -> str:
    if findings.empty or "check_name" not in findings.columns:
        return '<p class="muted">None.</p>'
    out = []
    for (check, severity), rows in findings.groupby(["check_name", "severity"], sort=True, dropna=False):
        out.append(f'<div class="group"><h3><span class="badge {esc(severity)}">{esc(severity)}</span> '
                   f"{esc(str(check).replace('_', ' '))} — <b>{len(rows)}</b></h3>"
                   + _table(rows.head(MAX_EXAMPLES), ("source_file", "message", "detail")) + "</div>")
    return "".join(out)


def _duplicates_html(duplicates: pd.DataFrame) -> str:
    if duplicates.empty:
        return '<p class="muted">None.</p>'
    return ('<p>Each listed document repeats an earlier one; its figures are kept out of the views '
            "(<code>documents.duplicate_of</code>).</p>"
            + _table(duplicates, ("source_file", "duplicate_of_file", "similarity"), numeric=["similarity"]))


def render_summary(summary: RunSummary) -> str:
    """The run report as one self-contained HTML page; every value from the data is escaped."""
    issues = issues_frame(_frame_or_empty(summary.quarantine), _frame_or_empty(summary.warnings))
    held, warned = count_items(issues, "critical"), count_items(issues, "warning")
    cards = "".join(f'<div class="card">{esc(CARD_LABELS.get(k, k.replace("_", " ")))}<b>{esc(v)}</b></div>'
                    for k, v in _count_items(summary.counts))
    href = _safe_href(summary.data_docs_href)
    docs_link = (f'<p>Every check and its results: <a href="{esc(href)}">Great Expectations Data Docs</a></p>'
                 if href else "")
    attainment = _safe_href(summary.attainment_href)
    attainment_link = (f'<p>Targets and outcomes: <a href="{esc(attainment)}">attainment by region and metric</a></p>'
                       if attainment else "")
    groups = issue_groups(issues)
    extra = [f"<h2>{esc(s.title)}</h2>{s.html}" for s in summary.sections]
    status = run_status(summary.status, summary.counts)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mubiao run {esc(summary.run_id)}</title><style>{_CSS}</style></head><body>",
        f'<h1>mubiao run {esc(summary.run_id)} — <span class="status">{esc(status)}</span></h1>',
        f'<p class="muted">started {esc(summary.started_at)} · finished {esc(summary.finished_at)}</p>',
        f'<div class="cards">{cards}</div>',
        docs_link,
        attainment_link,
        f'<h2 id="quarantined">Quarantined: {esc(_items_phrase(held))} (not loaded; decide each)</h2>',
        _groups_html([g for g in groups if g.severity == "critical"]),
        f'<h2 id="warnings">Warnings: {esc(_items_phrase(warned))} (loaded; check them)</h2>',
        _groups_html([g for g in groups if g.severity != "critical"]),
        f'<h2 id="findings">Document findings ({len(summary.findings)})</h2>', _findings_groups(summary.findings),
        f'<h2 id="duplicates">Near-duplicate documents ({len(summary.duplicates)})</h2>',
        _duplicates_html(summary.duplicates),
        *extra,
        "<h2>Loaded vs quarantined figures, recent runs</h2>", _charts(summary.recent_runs),
        "<h2>Checks by suite</h2>",
        _table(checks_by_suite(summary.dq_results), ["suite", "checks", "failed", "failing_rows"],
               numeric=["checks", "failed", "failing_rows"]),
        "<h2>Checks with failing rows</h2>",
        _table(_checks_table(summary.dq_results), ["check", "severity", "suite", "rows_checked", "failing_rows"],
               numeric=["rows_checked", "failing_rows"]),
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


def _md_groups(groups: list[IssueGroup]) -> str:
    if not groups:
        return "_None._"
    lines = []
    for g in groups:
        lines.append(f"- **{md_escape(g.severity)}** {md_escape(g.words)}: {g.count} {md_escape(g.level)}(s), e.g. "
                     + "; ".join(f"`{md_escape(r.id)}` {md_escape(r.source_file)}"
                                 for r in g.examples.head(3).itertuples(index=False)))
    return "\n".join(lines)


def render_markdown(summary: RunSummary) -> str:
    """The run report as Markdown for the Prefect artifact; every value from the data is escaped."""
    counts = "\n".join(f"- **{md_escape(CARD_LABELS.get(k, k.replace('_', ' ')))}**: {md_escape(v)}"
                       for k, v in _count_items(summary.counts))
    issues = issues_frame(_frame_or_empty(summary.quarantine), _frame_or_empty(summary.warnings))
    groups = issue_groups(issues)
    return "\n\n".join([
        f"# mubiao run {md_escape(summary.run_id)} — {md_escape(run_status(summary.status, summary.counts))}",
        f"started {md_escape(summary.started_at)} · finished {md_escape(summary.finished_at)}",
        counts or "_No counts._",
        f"## Quarantined: {md_escape(_items_phrase(count_items(issues, 'critical')))}",
        _md_groups([g for g in groups if g.severity == "critical"]),
        f"## Warnings: {md_escape(_items_phrase(count_items(issues, 'warning')))}",
        _md_groups([g for g in groups if g.severity != "critical"]),
        f"## Document findings ({len(summary.findings)})",
        _md_table(summary.findings, ("source_file", "severity", "message")),
        f"## Near-duplicate documents ({len(summary.duplicates)})",
        _md_table(summary.duplicates, ("source_file", "duplicate_of_file", "similarity")),
        *(f"## {md_escape(s.title)}\n\n{s.markdown}" for s in summary.sections if s.markdown),
        "## Checks by suite",
        _md_table(checks_by_suite(summary.dq_results), ["suite", "checks", "failed", "failing_rows"]),
    ]) + "\n"
