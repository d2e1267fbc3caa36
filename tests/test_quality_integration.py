"""Quarantine, review and release through the real flow; hostile text never becomes live markup."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.ingest import ingest

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_server")]

IMPLAUSIBLE = """某市2024年政府工作报告
今年经济社会发展的主要预期目标是：地区生产总值增长500%左右；城镇新增就业2万人以上；城镇调查失业率控制在150%以内；一般公共预算收入增长5%；固定资产投资增长8%左右。
"""


def _rows(wh: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_implausible_targets_are_quarantined_reviewed_and_released(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.txt").write_text(IMPLAUSIBLE, encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    ingest(inbox=str(inbox), warehouse=str(wh))

    loaded = {(r[0], r[1]) for r in _rows(wh, "select metric_code, value_low from figures")}
    assert ("new_urban_jobs", 2.0) in loaded and ("gdp_growth", 500.0) not in loaded
    held = _rows(wh, "select figure_id, metric_code, value_low, failed_check, sentence from quarantine "
                     "where level = 'figure' order by value_low")
    assert {(r[1], r[2]) for r in held} == {("unemployment_surveyed", 150.0), ("gdp_growth", 500.0)}
    assert all(r[3] and f"{r[2]:g}%" in r[4] for r in held)

    shown = CliRunner().invoke(app, ["review", "--warehouse", str(wh), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert "地区生产总值增长500%左右" in shown.output and held[0][3] in shown.output

    gdp_id = next(r[0] for r in held if r[1] == "gdp_growth")
    accepted = CliRunner().invoke(app, ["review", "accept", gdp_id, "--note", "typo in source, keep", "--warehouse", str(wh)])
    assert accepted.exit_code == 0, accepted.output
    assert _rows(wh, "select released from figures where figure_id = ?", [gdp_id]) == [(True,)]

    ingest(inbox=str(inbox), warehouse=str(wh))
    ingest(inbox=str(inbox), warehouse=str(wh), full_refresh=True)
    assert _rows(wh, "select released from figures where figure_id = ?", [gdp_id]) == [(True,)]
    unemployment = _rows(wh, "select count(*) from figures where headline_code = 'urban_unemployment_rate'")
    assert unemployment == [(0,)]


class _LiveMarkup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "object", "embed"):
            self.bad.append(tag)
        self.bad += [f"{tag}[{k}]" for k, _ in attrs if k.lower().startswith("on")]


def test_hostile_text_never_becomes_live_markup_in_the_reports(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    hostile = ("某区2024年政府工作报告\n今年力争地区生产总值增长500%左右<script>alert(1)</script>，"
               "<img src=x onerror=alert(1)>城镇新增就业1万人。\n")
    (inbox / "hostile.txt").write_text(hostile, encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    run = ingest(inbox=str(inbox), warehouse=str(wh))
    page = run.report_path.read_text(encoding="utf-8")
    parser = _LiveMarkup()
    parser.feed(page)
    assert parser.bad == []
