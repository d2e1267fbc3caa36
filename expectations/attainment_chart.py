"""The attainment chart of one region and metric, shared by the run report's attainment page and the desk: the
target band vs the actual by year (inline SVG, no script, no network), status counts and the table of rows. Every
value from the data is escaped.

Marks: a filled circle (class `pair`) per annual target judged met or missed, at its actual; a hollow circle
(class `actual-only`) for a year's actual with no target; a band per target (its approx tolerance, range, or a
line for a point or bound); `none` above a year whose report declined to set a target. Average and cumulative
targets (年均, 累计) are listed in the tables, not drawn.
"""
from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

Row = Mapping[str, Any]
Rows = pd.DataFrame | Iterable[Row]

STATUS_ORDER: tuple[str, ...] = ("met", "missed", "pending", "unknown", "no target set")
STATUS_COLOR = {"met": "#2e7d32", "missed": "#c62828", "pending": "#757575", "unknown": "#9e9e9e",
                "no target set": "#6a1b9a"}
_WIDTH, _HEIGHT, _LEFT, _RIGHT, _TOP, _BOTTOM = 460, 190, 56, 12, 24, 22
# The status colours and marks of the tables, for the stylesheet of any page that shows them.
CSS = """.counts span{margin-right:1rem}.status-met{color:#2e7d32}.status-missed{color:#c62828}
.status-pending,.status-unknown{color:#757575}.status-no-target-set{color:#6a1b9a}tr:target{background:#fff8d6}
"""
LEGEND = ("Blue band: the target (with its 左右 tolerance); filled dot: the actual of a judged target (green met, red "
          "missed); hollow dot: an actual with no target; <i>none</i>: the report declined to set a target. Average "
          "and cumulative targets are in the tables.")


def esc(value: object) -> str:
    """A value as escaped HTML text (empty for NULL or NaN)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def _num(value: object) -> float | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _slug(status: str) -> str:
    return status.replace(" ", "-")


def _tick(value: float) -> str:
    """Axis label: 1.2万亿, 10500亿, 900万, 6.5."""
    for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"), (1.0, "")):
        if abs(value) >= size or size == 1.0:
            scaled = value / size
            return (f"{scaled:.0f}" if abs(scaled) >= 1000 else f"{scaled:.4g}") + word
    return ""


def records(rows: Rows) -> list[Row]:
    """Rows as plain dicts: iterating a frame of Arrow strings row by row costs ~100x more."""
    return rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)


def _band(row: Row) -> tuple[float, float] | None:
    """The target band in base units: the approx tolerance around the value, a range, or the value itself."""
    lo, hi = _num(row["target_base_low"]), _num(row["target_base_high"])
    if lo is None:
        return None
    hi = lo if hi is None else hi
    lo, hi = min(lo, hi), max(lo, hi)
    if row["comparator"] == "approx":
        tol = _num(row["tolerance"]) or 0.0
        return lo - tol * abs(lo), hi + tol * abs(hi)
    return lo, hi


def chart_svg(region: str, metric: str, targets: Rows, actuals: Rows, absent_years: Iterable[int]) -> str:
    """One region and metric: target bands and actual marks by year (annual basis only)."""
    title = f"{region} {metric}"
    targets, actuals = records(targets), records(actuals)
    absent_years = sorted(set(absent_years))
    years = sorted({int(t["period_year"]) for t in targets} | {int(a["period_year"]) for a in actuals}
                   | set(absent_years))
    values: list[float] = []
    for t in targets:
        if band := _band(t):
            values += list(band)
        if t["status"] in ("met", "missed") and (a := _num(t["actual_value_base"])) is not None:
            values.append(a)
    values += [v for v in (_num(a["actual_value_base"]) for a in actuals) if v is not None]
    if not years:
        return ""
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if high - low < 1e-12:
        low, high = low - max(abs(low) * 0.1, 1.0), high + max(abs(high) * 0.1, 1.0)
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    slot = plot_w / len(years)

    def x(year: int) -> float:
        return _LEFT + slot * (years.index(int(year)) + 0.5)

    def y(value: float) -> float:
        return _TOP + plot_h * (high - value) / (high - low)

    parts = [f'<text x="{_LEFT}" y="14" font-size="12" font-weight="bold">{esc(title)}</text>',
             f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_WIDTH - _RIGHT}" y2="{_TOP + plot_h}" stroke="#999"/>',
             f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}" stroke="#999"/>']
    for value in (low + pad, high - pad):
        parts.append(f'<text x="{_LEFT - 4}" y="{y(value) + 3:.1f}" font-size="10" text-anchor="end">'
                     f"{esc(_tick(value))}</text>")
    for year in years:
        parts.append(f'<text x="{x(year):.1f}" y="{_HEIGHT - 6}" font-size="10" text-anchor="middle">{year}</text>')
    for t in targets:
        band = _band(t)
        if band is None:
            continue
        top, bottom = y(band[1]), y(band[0])
        height = max(bottom - top, 2.0)
        parts.append(f'<rect class="band" x="{x(t["period_year"]) - slot * 0.3:.1f}" y="{top:.1f}" '
                     f'width="{slot * 0.6:.1f}" height="{height:.1f}" fill="#1565c0" fill-opacity="0.25" '
                     f'stroke="#1565c0"><title>target {esc(t["period_year"])}: {esc(t["target"])}</title></rect>')
    for year in absent_years:
        parts.append(f'<text class="absent" x="{x(year):.1f}" y="{_TOP + 10}" font-size="10" text-anchor="middle" '
                     f'fill="{STATUS_COLOR["no target set"]}">none<title>{year}: no numeric target set</title></text>')
    paired_years = set()
    for t in targets:
        a = _num(t["actual_value_base"])
        if t["status"] not in ("met", "missed") or a is None:
            continue
        paired_years.add(int(t["period_year"]))
        parts.append(f'<a href="#t-{esc(t["figure_id"])}"><circle class="mark pair status-{esc(t["status"])}" '
                     f'cx="{x(t["period_year"]):.1f}" cy="{y(a):.1f}" r="4.5" fill="{STATUS_COLOR[t["status"]]}">'
                     f'<title>{esc(t["period_year"])}: actual {esc(t["actual"])} vs target {esc(t["target"])}: '
                     f'{esc(t["status"])}</title></circle></a>')
    for a in actuals:
        value = _num(a["actual_value_base"])
        if value is None or int(a["period_year"]) in paired_years:
            continue
        parts.append(f'<circle class="mark actual-only" cx="{x(a["period_year"]):.1f}" cy="{y(value):.1f}" r="3.5" '
                     f'fill="white" stroke="#555"><title>{esc(a["period_year"])}: actual {esc(a["actual"])} '
                     f"(no target)</title></circle>")
    return (f'<svg role="img" class="attainment-chart" data-region="{esc(region)}" data-metric="{esc(metric)}" '
            f'width="{_WIDTH}" height="{_HEIGHT}" '
            f'viewBox="0 0 {_WIDTH} {_HEIGHT}"><title>{esc(title)}</title>{"".join(parts)}</svg>')


def _period(row: Row) -> str:
    if pd.isna(row["period_year"]):
        return "?"
    if row["basis"] == "annual":
        return str(row["period_year"])
    return f"{row['period_start_year']}–{row['period_year']} {row['basis']}"


def status_table(rows: Rows) -> str:
    """Each row of warehouse.attainment.attainment: period, target, status (and why), actual, gap, sentences."""
    head = ("<tr><th>period</th><th>target</th><th>status</th><th>actual</th><th class=num>gap</th>"
            "<th>target sentence</th><th>actual sentence</th></tr>")
    body = []
    for r in records(rows):
        gap = _num(r["gap"])
        reason = f'<br><span class="muted">{esc(r["reason"])}</span>' if esc(r["reason"]) else ""
        body.append(
            f'<tr id="t-{esc(r["figure_id"])}"><td>{esc(_period(r))}</td><td>{esc(r["target"])}</td>'
            f'<td class="status-{esc(_slug(r["status"]))}">{esc(r["status"])}{reason}</td><td>{esc(r["actual"])}</td>'
            f'<td class="num">{"" if gap is None else esc(f"{gap:+.4g}")}</td>'
            f'<td>{esc(r["target_sentence"])}<br><span class="muted">{esc(r["target_file"])}</span></td>'
            f'<td>{esc(r["actual_sentence"])}<br><span class="muted">{esc(r["actual_file"])}</span></td></tr>')
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def status_counts(statuses: Iterable[str]) -> str:
    """How many rows have each status, in STATUS_ORDER."""
    counts = Counter(statuses)
    return '<p class="counts">' + "".join(
        f'<span class="status-{_slug(s)}">{esc(s)} <b>{int(counts.get(s, 0))}</b></span>'
        for s in STATUS_ORDER if counts.get(s, 0)) + "</p>"


def pair_section(region: str, metric: str, rows: Rows, actuals: Rows) -> str:
    """One region and metric: status counts, the chart of its annual targets and actuals, the table of its rows.

    `rows` and `actuals` come from warehouse.attainment (attainment, series_actuals), already cut to the pair.
    """
    rows = records(rows)
    annual = [r for r in rows if r["basis"] == "annual" and _num(r["period_year"]) is not None]
    targets = [r for r in annual if r["status"] != "no target set"]
    absent = [int(r["period_year"]) for r in annual if r["status"] == "no target set"]
    return (status_counts(r["status"] for r in rows) + chart_svg(region, metric, targets, actuals, absent)
            + (status_table(rows) if rows else '<p class="muted">No targets loaded: actuals only.</p>'))
