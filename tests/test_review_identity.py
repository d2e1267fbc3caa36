"""Reviewers' decisions survive rule changes and edits: figure ids come from the text, not from the rules."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import transforms.extract
from flows.cli import app
from flows.ingest import ingest
from transforms.subjects import Subject

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_server")]

REPORT = """某市2024年政府工作报告
今年经济社会发展的主要预期目标是：地区生产总值增长500%左右；城镇新增就业2万人以上；城镇调查失业率控制在150%以内；一般公共预算收入增长5%；固定资产投资增长8%左右。
"""


def _rows(wh: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _shifted_subjects(monkeypatch: pytest.MonkeyPatch, chars: int) -> None:
    """A changed rule set: every subject starts `chars` characters later (a shorter subject phrase)."""
    original = transforms.extract.read_subject

    def read_subject(text: str, lo: int, pos: int, cut: int) -> Subject:
        subject = original(text, lo, pos, cut)
        cut_by = min(chars, max(0, len(subject.name) - 1))
        return dataclasses.replace(subject, name=subject.name[cut_by:], start=subject.start + cut_by)

    monkeypatch.setattr(transforms.extract, "read_subject", read_subject)


def _decided(wh: Path) -> dict[str, str]:
    """figure_id → the latest accept or reject (review_log, folded by the view figure_corrections)."""
    return dict(_rows(wh, "select figure_id, status from figure_corrections where status is not null"))


def test_decisions_stay_attached_when_a_rule_moves_subject_boundaries_and_when_the_text_is_edited(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MUBIAO_WORKERS", "1")  # the changed rule must run in this process
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.txt").write_text(REPORT, encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    ingest(inbox=str(inbox), warehouse=str(wh))
    held = dict(_rows(wh, "select value_text, figure_id from quarantine where level = 'figure'"))
    gdp, unemployment = held["500%左右"], held["150%以内"]
    _cli("review", "accept", gdp, "--note", "typo in the source, keep", "--warehouse", str(wh))
    _cli("review", "reject", unemployment, "--note", "not a rate", "--warehouse", str(wh))
    before = dict(_rows(wh, "select figure_id, start_offset from figure_rows"))

    _shifted_subjects(monkeypatch, 2)
    ingest(inbox=str(inbox), warehouse=str(wh), reprocess=True)

    after = dict(_rows(wh, "select figure_id, start_offset from figure_rows"))
    assert set(after) == set(before)  # the same figures under the same ids ...
    assert all(after[f] == before[f] + 2 for f in before)  # ... though every subject boundary moved
    assert _decided(wh) == {gdp: "accepted", unemployment: "rejected"}
    assert _rows(wh, "select released, metric_name from figures where figure_id = ?", [gdp]) == [(True, "生产总值")]
    assert _rows(wh, "select count(*) from figures where figure_id = ?", [unemployment]) == [(0,)]
    assert _rows(wh, "select status from quarantine q join documents d using (document_id) "
                     "where q.figure_id = ? and q.run_id = d.run_id", [unemployment]) == [("rejected",)]
    assert "(0)" in _cli("review", "--orphans", "--warehouse", str(wh))

    # Corrections and rejections of loaded figures and a document correction, in the same store, follow too.
    [(jobs,)] = _rows(wh, "select figure_id from figures where value_text = '2万人以上'")
    [(investment,)] = _rows(wh, "select figure_id from figures where value_text = '8%左右'")
    [(document,)] = _rows(wh, "select document_id from documents")
    _cli("review", "correct", jobs, "--period", "2025", "--note", "the plan's year", "--warehouse", str(wh))
    _cli("review", "reject", investment, "--note", "quoted from another report", "--warehouse", str(wh))
    _cli("review", "set-document", document, "--year", "2025", "--note", "misdated", "--warehouse", str(wh))

    # An edit elsewhere in the file changes the document and so every id; the decisions follow their sentences.
    monkeypatch.undo()
    monkeypatch.setenv("MUBIAO_WORKERS", "1")
    (inbox / "report.txt").write_text(REPORT.replace("报告\n", "报告\n（2024年1月10日）\n"), encoding="utf-8")
    ingest(inbox=str(inbox), warehouse=str(wh))
    decided = _rows(wh, "select target_id, action, previous_ids from review_log "
                        "where list_contains(previous_ids, ?) or list_contains(previous_ids, ?) order by action",
                    [gdp, unemployment])
    assert [(d, p) for _, d, p in decided] == [("accept", [gdp]), ("reject", [unemployment])]
    new_gdp, new_unemployment = (d[0] for d in decided)
    assert new_gdp != gdp
    released = _rows(wh, "select released, value_text from figures where figure_id = ?", [new_gdp])
    assert released == [(True, "500%左右")]
    assert _rows(wh, "select count(*) from figures where value_text = '150%以内'") == [(0,)]
    [(new_jobs, period)] = _rows(wh, "select figure_id, period_year from figures where value_text = '2万人以上'")
    assert new_jobs != jobs and period == 2025
    assert _rows(wh, "select count(*) from figures where value_text = '8%左右'") == [(0,)]
    assert _rows(wh, "select distinct report_year from figures") == [(2025,)]

    # A sentence that is gone leaves its decisions orphaned, an accept and a correction alike: listed, never dropped
    # (the jobs figure's sentence now starts with the lead-in that the removed GDP clause had).
    [(decisions,)] = _rows(wh, "select count(*) from review_log")
    (inbox / "report.txt").write_text(REPORT.replace("地区生产总值增长500%左右；", ""), encoding="utf-8")
    ingest(inbox=str(inbox), warehouse=str(wh))
    assert _rows(wh, "select count(*) from review_log") == [(decisions,)]
    orphans = _cli("review", "--orphans", "--format", "json", "--warehouse", str(wh))
    assert new_gdp in orphans and "地区生产总值增长500%左右" in orphans and new_unemployment not in orphans
    assert new_jobs in orphans and "period_year=2025" in orphans  # a correction, not only accept/reject
