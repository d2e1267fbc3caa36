"""HTML of the review desk: one small stylesheet, no scripts, no external resources; every value escaped."""
from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

import pandas as pd

from expectations.attainment_chart import CSS as ATTAINMENT_CSS, LEGEND, pair_section
from expectations.report_page import run_status
from expectations.wording import highlight
from warehouse.desk_queries import FACETS, PAGE_SIZE
from warehouse.review_queue import ReviewAction

QUEUED_NOTE = "queued; applied when the current run ends"

_CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#222}
header{background:#263238;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.5rem;align-items:center}
header a{color:#fff;text-decoration:none}header b{font-size:1.1rem}main{padding:1rem 1.2rem;max-width:90rem}
.layout{display:flex;gap:1.5rem}.facets{min-width:14rem;max-width:16rem;font-size:.85rem}
.facets h3{font-size:.8rem;text-transform:uppercase;color:#555;margin:1rem 0 .3rem}
.facets a{display:block;text-decoration:none;color:#1a5fb4;padding:.05rem 0}.facets a.on{font-weight:bold;color:#000}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border-bottom:1px solid #e0e0e0;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f5f5f5}mark{background:#ffe082;font-weight:bold;padding:0 .1rem}
.muted{color:#777}.num{text-align:right}form.inline{display:inline}input,select{font:inherit;padding:.2rem .3rem}
fieldset{border:1px solid #ddd;border-radius:.4rem;margin:1rem 0;padding:.6rem 1rem}legend{font-weight:bold}
.context{background:#fafafa;border-left:3px solid #ccc;padding:.6rem 1rem;line-height:1.7}
.badge{font-size:.75rem;border-radius:.3rem;padding:.05rem .4rem;background:#eee}.ok{color:#2e7d32}.bad{color:#b00020}
button{font:inherit;padding:.25rem .8rem;cursor:pointer}dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem 1rem}
dt{color:#555}dd{margin:0}.error{background:#fdecea;border:1px solid #f5c6cb;padding:.5rem 1rem}
.queued{background:#fff8e1;border:1px solid #ffe082;padding:.5rem 1rem}
""" + ATTAINMENT_CSS


def e(value: object) -> str:
    """A value as escaped text (empty for NULL, floats without noise)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return html.escape(f"{value:.12g}")
    return html.escape(str(value), quote=True)


def page(title: str, body: str) -> str:
    """A whole desk page."""
    nav = "".join(f'<a href="{href}">{label}</a>' for href, label in (
        ("/figures", "Figures"), ("/documents", "Documents"), ("/attainment", "Attainment"),
        ("/quarantine", "Quarantine"), ("/status", "Status")))
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)} · mubiao desk</title>'
            '<link rel="icon" href="data:,">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>'
            f"<body><header><b>mubiao desk</b>{nav}</header><main><h1>{e(title)}</h1>{body}</main></body></html>")


def table(df: pd.DataFrame, columns: Iterable[str], links: Mapping[str, str] | None = None,
          numeric: Iterable[str] = ()) -> str:
    """A table of some columns; `links` maps a column to a URL prefix its value is appended to."""
    shown = [c for c in columns if c in df.columns]
    if df.empty:
        return '<p class="muted">None.</p>'
    links, numeric = links or {}, set(numeric)
    head = "".join(f"<th>{e(c)}</th>" for c in shown)
    rows = []
    for record in df[shown].to_dict("records"):
        cells = []
        for c in shown:
            text = e(record[c])
            if c in links and text:
                text = f'<a href="{links[c]}{e(record[c])}">{text}</a>'
            cells.append(f'<td{" class=num" if c in numeric else ""}>{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _query(filters: Mapping[str, str], **changes: str | None) -> str:
    merged = {k: v for k, v in {**filters, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else ""


def figures_page(filters: Mapping[str, str], query: str, page_no: int, total: int, rows: pd.DataFrame,
                 facets: Mapping[str, list]) -> str:
    """Figures with facets (each a link that adds or removes its filter) and a search box over sentences."""
    side = []
    for name, values in facets.items():
        current = filters.get(name)
        links = [f'<a class="facet on" data-facet="{e(name)}" href="/figures{_query(filters, **{name: None}, q=query)}">'
                 f"✕ {e(current)}</a>"] if current else []
        for value, n in values:
            shown = value if value is not None else "(none)"
            if shown == current:
                continue
            links.append(f'<a class="facet" data-facet="{e(name)}" data-value="{e(shown)}" '
                         f'href="/figures{_query(filters, **{name: shown}, q=query)}">{e(shown)} '
                         f'<span class="muted">{n}</span></a>')
        side.append(f"<h3>{e(name)}</h3>" + "".join(links))
    hidden = "".join(f'<input type="hidden" name="{e(k)}" value="{e(v)}">' for k, v in filters.items() if v)
    search = (f'<form method="get" action="/figures">{hidden}<input name="q" value="{e(query)}" size="40" '
              'placeholder="search sentences, e.g. 就业 增长" aria-label="search"> <button>Search</button></form>')
    lines = []
    for r in rows.to_dict("records"):
        value = e(r["value_low"]) + (f"–{e(r['value_high'])}" if r["value_high"] != r["value_low"] else "")
        lines.append(
            f'<tr><td><a class="figure" href="/figures/{e(r["figure_id"])}">{e(r["figure_id"])}</a></td>'
            f'<td>{e(r["region_name"])}</td><td>{e(r["period_year"])}</td><td>{e(r["kind"])}</td>'
            f'<td>{e(r["metric_code"]) or e(r["metric_name"])}</td><td class="num">{value} {e(r["unit"])}</td>'
            f'<td>{highlight(r["sentence"], r["value_text"])}</td><td>{e(r["review_status"])}</td></tr>')
    pages = ""
    if total > PAGE_SIZE:
        last = (total - 1) // PAGE_SIZE
        prev = f'<a href="/figures{_query(filters, q=query, page=str(page_no - 1))}">← previous</a> ' if page_no else ""
        nxt = f' <a href="/figures{_query(filters, q=query, page=str(page_no + 1))}">next →</a>' if page_no < last else ""
        pages = f"<p>{prev}page {page_no + 1} of {last + 1}{nxt}</p>"
    body = (f"{search}<p><b id=\"total\">{total}</b> figures</p>"
            "<table><thead><tr><th>figure_id</th><th>region</th><th>year</th><th>kind</th><th>metric</th>"
            f"<th>value</th><th>sentence</th><th>review</th></tr></thead><tbody>{''.join(lines)}</tbody></table>"
            f"{pages}")
    return page("Figures", f'<div class="layout"><nav class="facets">{"".join(side)}</nav><div>{body}</div></div>')


def _dl(record: Mapping[str, object], keys: Iterable[str]) -> str:
    return "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(record.get(k))}</dd>" for k in keys) + "</dl>"


def _reviewer_fields(reviewer: str) -> str:
    return (f'<label>reviewer <input name="reviewer" value="{e(reviewer)}" required></label> '
            '<label>note <input name="note" size="40" required></label> ')


def history_table(history: pd.DataFrame) -> str:
    """The decisions logged on a figure or document, oldest first."""
    return table(history, ("decided_at", "reviewer", "action", "changes", "note"))


def queued_box(waiting: Iterable[ReviewAction]) -> str:
    """The actions on this page's figure or document that wait for a run to end."""
    items = "".join(f"<li>{e(a.describe())} <span class=muted>{e(a.queued_at)}</span></li>" for a in waiting)
    return f'<div class="queued" id="queued"><b>{QUEUED_NOTE}:</b><ul>{items}</ul></div>' if items else ""


def figure_page(f: Mapping[str, object], before: str, after: str, history: pd.DataFrame, reviewer: str,
                error: str | None = None, waiting: Iterable[ReviewAction] = ()) -> str:
    """One figure: its number marked in its sentence within the paragraph, its fields, history and actions."""
    fid = e(f["figure_id"])
    where = {"loaded": "in the views", "rejected": "rejected: not in the views",
             "quarantined": f"quarantined ({e(f.get('status'))}): {e(f.get('reason'))}"}[str(f["where"])]
    decide = (f'<fieldset><legend>Decide</legend><form method="post" action="/figures/{fid}/decide">'
              f'{_reviewer_fields(reviewer)}<button name="decision" value="accepted" id="accept">Accept</button> '
              '<button name="decision" value="rejected" id="reject">Reject</button></form></fieldset>')
    correct = ""
    if f["where"] != "quarantined":
        inputs = "".join(
            f'<label>{label} <input name="{name}" value="{e(f.get(name))}" size="{size}"></label> '
            for name, label, size in (("value_low", "value", 10), ("value_high", "high", 10), ("unit", "unit", 8),
                                      ("period_year", "period year", 6), ("metric_code", "metric code", 20)))
        kinds = "".join(f'<option{" selected" if f.get("kind") == k else ""}>{k}</option>' for k in ("target", "actual"))
        correct = (f'<fieldset><legend>Correct</legend><form method="post" action="/figures/{fid}/correct">'
                   f'{inputs}<label>kind <select name="kind">{kinds}</select></label><br><br>'
                   f'{_reviewer_fields(reviewer)}<button id="correct">Save correction</button></form></fieldset>')
    doc = f'<a href="/documents/{e(f["document_id"])}">{e(f.get("source_file"))}</a>'
    body = (f'{_error(error)}{queued_box(waiting)}<p>{where} · document {doc}</p>'
            f'<div class="context"><span class="muted">{e(before)}</span>'
            f'<span class="sentence">{highlight(f.get("sentence"), f.get("value_text"))}</span>'
            f'<span class="muted">{e(after)}</span></div>'
            + _dl(f, ("figure_id", "kind", "metric_code", "metric_name", "value_low", "value_high", "unit",
                      "value_base_low", "value_base_high", "base_unit", "comparator", "basis", "period_year",
                      "region_name", "report_year", "review_status"))
            + decide + correct + "<h2>History</h2>" + history_table(history))
    return page(f"Figure {f['figure_id']}", body)


def _error(error: str | None) -> str:
    return f'<p class="error" role="alert">{e(error)}</p>' if error else ""


def documents_page(docs: pd.DataFrame, query: str) -> str:
    """Every document with its metadata; a search over file names and titles."""
    search = (f'<form method="get" action="/documents"><input name="q" value="{e(query)}" size="40" '
              'aria-label="search documents"> <button>Search</button></form>')
    return page("Documents", search + table(
        docs, ("document_id", "source_file", "region_name", "region_level", "report_year", "doc_type", "title",
               "figures_in_views", "findings", "duplicate_of", "corrected"),
        links={"document_id": "/documents/", "duplicate_of": "/documents/"}, numeric=("figures_in_views", "findings")))


def document_page(d: Mapping[str, object], findings: pd.DataFrame, history: pd.DataFrame, reviewer: str,
                  error: str | None = None, waiting: Iterable[ReviewAction] = ()) -> str:
    """One document: metadata, findings, its figures' link, history and the metadata correction form."""
    did = e(d["document_id"])
    form = (f'<fieldset><legend>Correct metadata</legend><form method="post" action="/documents/{did}/correct">'
            f'<label>region (code or name) <input name="region" value="{e(d.get("region_code"))}" size="12"></label> '
            f'<label>report year <input name="report_year" value="{e(d.get("report_year"))}" size="6"></label> '
            f'<label>type <input name="doc_type" value="{e(d.get("doc_type"))}" size="24"></label><br><br>'
            f'{_reviewer_fields(reviewer)}<button id="save-document">Save</button></form></fieldset>')
    dup = (f'<p>A near-duplicate of <a href="/documents/{e(d["duplicate_of"])}">{e(d["duplicate_of"])}</a> '
           f'(similarity {e(d.get("duplicate_similarity"))}): its figures are not in the views.</p>'
           if d.get("duplicate_of") else "")
    figures_link = f'<p><a href="/figures?q={did}">figures</a> · {e(d.get("figures_in_views"))} in the views</p>'
    body = (_error(error) + queued_box(waiting) + dup + figures_link
            + _dl(d, ("document_id", "source_file", "title", "doc_type", "region_code", "region_name", "region_level",
                      "report_year", "publish_date", "source_url", "issuer", "fmt", "char_count", "figure_count"))
            + form + "<h2>Findings</h2>" + table(findings, ("check_name", "severity", "message", "detail"))
            + "<h2>History</h2>" + history_table(history))
    return page(f"Document {d.get('source_file')}", body)


def quarantine_page(items: pd.DataFrame) -> str:
    """The open quarantine queue; each figure links to its page, where it is accepted or rejected."""
    rows = []
    for r in items.to_dict("records"):
        ident = (f'<a href="/figures/{e(r["id"])}">{e(r["id"])}</a>' if r["level"] == "figure" else e(r["id"]))
        rows.append(f"<tr><td>{ident}</td><td>{e(r['level'])}</td><td>{e(r['source_file'])}</td>"
                    f"<td>{highlight(r['sentence'], r['value_text'])}</td><td>{e(r['reasons'])}</td></tr>")
    body = (f"<p>{len(items)} open items.</p><table><thead><tr><th>id</th><th>level</th><th>file</th><th>sentence</th>"
            f"<th>why</th></tr></thead><tbody>{''.join(rows)}</tbody></table>") if len(items) else \
        '<p class="muted">Nothing is waiting for review.</p>'
    return page("Quarantine", body)


def _options(values: Iterable[str], chosen: str) -> str:
    return "".join(f'<option{" selected" if v == chosen else ""} value="{e(v)}">{e(v)}</option>' for v in values)


def attainment_page(pairs: pd.DataFrame, region: str, metric: str, rows: pd.DataFrame | None,
                    actuals: pd.DataFrame | None) -> str:
    """Pick a region and metric; for the pair, the chart of targets vs actuals by year and the table of rows."""
    regions = sorted(set(pairs["region"]))
    metrics = sorted(set(pairs.loc[pairs["region"] == region, "metric_code"] if region else pairs["metric_code"]))
    picker = ('<form method="get" action="/attainment">'
              f'<label>region <select name="region"><option value="">—</option>{_options(regions, region)}</select>'
              f'</label> <label>metric <select name="metric"><option value="">—</option>{_options(metrics, metric)}'
              '</select></label> <button id="show">Show</button></form>')
    if rows is not None and actuals is not None:
        body = (f"<h2>{e(region)} · {e(metric)}</h2>" + f'<p class="muted">{LEGEND}</p>'
                + pair_section(region, metric, rows, actuals))
    else:
        shown = pairs[pairs["region"] == region] if region else pairs
        counts = ("targets", "met", "missed", "pending", "unknown")
        lines = "".join(
            f'<tr><td>{e(r["region"])}</td><td><a class="pair" '
            f'href="/attainment{e(_query({}, region=r["region"], metric=r["metric_code"]))}">{e(r["metric_code"])}</a>'
            "</td>" + "".join(f'<td class="num">{e(r[c])}</td>' for c in counts) + "</tr>"
            for r in shown.to_dict("records"))
        head = "".join(f"<th>{c}</th>" for c in ("region", "metric", *counts))
        body = ("<p>Choose a region and a metric, or one of the pairs with targets:</p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{lines}</tbody></table>"
                if len(shown) else '<p class="muted">No targets loaded.</p>')
    return page("Attainment", picker + body)


def open_items_text(counts: Mapping[str, int]) -> str:
    """Open review items by level in words ("2 figure, 1 file"), as status, review and the desk say it."""
    return ", ".join(f"{n} {level}" for level, n in counts.items()) or "none"


def runs_with_status(runs: pd.DataFrame) -> pd.DataFrame:
    """Runs with the status the run report shows (succeeded, succeeded with quarantines, failed, running)."""
    counts = ("files_quarantined", "documents_quarantined", "figures_quarantined")
    status = [run_status(r["status"], {k: int(r[k] or 0) for k in counts}) for r in runs.to_dict("records")]
    return runs.assign(status=status)


def status_page(s: Mapping[str, object], waiting: list[ReviewAction], failed: list[dict]) -> str:
    """The warehouse's status, as `mubiao status` prints it, with the review actions queued or not applied."""
    size = f"{int(s['size_bytes']) / 1e6:.1f} MB"  # type: ignore[arg-type]
    opened = open_items_text(s["open_items"])  # type: ignore[arg-type]
    body = (_dl({"warehouse": s["warehouse"], "size": size, "documents": s["documents"],
                 "near-duplicates": s["duplicates"], "open items": opened, "review decisions": s["decisions"]},
                ("warehouse", "size", "documents", "near-duplicates", "open items", "review decisions"))
            + queued_box(waiting)
            + ("<h2>Queued actions not applied</h2>" + table(
                pd.DataFrame(failed), ("queued_at", "kind", "target_id", "fields", "reviewer", "note", "error"))
               if failed else "")
            + "<h2>Last runs</h2>" + table(runs_with_status(s["runs"]), list(s["runs"].columns))  # type: ignore
            + "<h2>Figures by level</h2>" + table(s["by_level"], ("level", "figures"), numeric=("figures",))
            + "<h2>Figures by report year</h2>"
            + table(s["by_year"], ("report_year", "figures", "targets", "actuals"),
                    numeric=("figures", "targets", "actuals")))
    return page("Status", body)


FACET_NAMES = tuple(FACETS)
