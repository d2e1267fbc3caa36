"""The run report's attainment page: per region and headline metric (a catalog code with a headline_code), the
chart and table of expectations.attainment_chart, with met/missed counts. Every value from the data is escaped."""
from __future__ import annotations

from collections import defaultdict

import pandas as pd

from .attainment_chart import CSS as CHART_CSS, LEGEND, Row, esc, pair_section, records, status_counts

MAX_CHARTS = 120

_CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:72rem;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.82rem;margin:.5rem 0 1.5rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right}.muted{color:#777}
""" + CHART_CSS


def render_attainment(run_id: str, rows: pd.DataFrame, actuals: pd.DataFrame, back_href: str | None = None) -> str:
    """The attainment page: `rows` from warehouse.attainment.attainment, `actuals` from series_actuals."""
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>mubiao run {esc(run_id)}: targets and outcomes</title><style>{_CSS}</style></head><body>",
             f"<h1>Targets and outcomes 目标完成情况 — run {esc(run_id)}</h1>"]
    if back_href:
        parts.append(f'<p><a href="{esc(back_href)}">← run report</a></p>')
    parts.append('<p class="muted">Status from the warehouse view target_attainment (the rule is in its COMMENT). '
                 f"{LEGEND}</p>")
    if rows.empty and actuals.empty:
        parts.append('<p class="muted">No figures with a catalog metric, region and year are loaded.</p></body></html>')
        return "\n".join(parts)
    placed = rows["region"].notna() & rows["metric_code"].notna()
    if unplaced := int((~placed).sum()):
        parts.append(f'<p class="muted">{unplaced} targets without a region or a catalog metric are not shown.</p>')
    headline = rows["headline_code"].notna()
    if other := int((placed & ~headline).sum()):
        parts.append(f'<p class="muted">{other} targets of other catalog metrics (no headline code) are not shown: '
                     "<code>mubiao attainment --metric CODE</code>.</p>")
    rows, actuals = rows[placed & headline], actuals[actuals["headline_code"].notna()]
    parts.append(status_counts(rows["status"]))
    by_pair: dict[tuple[str, str], list[Row]] = defaultdict(list)
    actuals_by_pair: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in records(rows):
        by_pair[(r["region"], r["metric_code"])].append(r)
    for a in records(actuals):
        actuals_by_pair[(a["region"], a["metric_code"])].append(a)
    keys = sorted({*by_pair, *actuals_by_pair})
    for region, metric in keys[:MAX_CHARTS]:
        pair = (region, metric)
        parts += [f"<h2>{esc(region)} · {esc(metric)}</h2>",
                  pair_section(region, metric, by_pair.get(pair, []), actuals_by_pair.get(pair, []))]
    if len(keys) > MAX_CHARTS:
        parts.append(f'<p class="muted">… and {len(keys) - MAX_CHARTS} more region and metric pairs: '
                     "<code>mubiao attainment --region R --metric M</code>.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)
