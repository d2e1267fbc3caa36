"""The CLI's one-line errors and read-only SQL (no flow run needed)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()


def _mubiao(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_every_command_has_help() -> None:
    for cmd in ([], ["run"], ["sql"], ["metrics"], ["review"], ["review", "accept"], ["review", "reject"],
                ["review", "correct"], ["review", "set-document"], ["desk"], ["status"], ["eval"], ["serve"]):
        result = runner.invoke(app, [*cmd, "--help"])
        assert result.exit_code == 0, (cmd, result.output)
        assert "Usage" in result.output


@pytest.mark.parametrize("args, message", [
    (["run", "--inbox", "/nonexistent/inbox"], "inbox /nonexistent/inbox does not exist"),
    (["sql", "select 1", "--warehouse", "/nonexistent/w.duckdb"], "does not exist yet"),
    (["review", "--warehouse", "/nonexistent/w.duckdb"], "does not exist yet"),
    (["metrics", "--warehouse", "/nonexistent/w.duckdb"], "does not exist yet"),
])
def test_bad_paths_give_one_line_errors_without_traceback(args: list[str], message: str) -> None:
    result = _mubiao(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_unwritable_warehouse_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = _mubiao("run", "--inbox", str(tmp_path), "--warehouse", str(blocker / "w.duckdb"))
    assert result.returncode == 2
    assert "cannot create the warehouse folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_scores_each_document_set_with_attribute_accuracy(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("各位代表：\n一、2023年工作回顾\n地区生产总值增长5.2%。\n二、2024年工作安排\n"
                                 "地区生产总值年均增长5%左右。\n", encoding="utf-8")
    header = "doc,quote,metric,metric_code,kind,value_low,value_high,unit,comparator,sign,period,basis,period_start,optional\n"
    first, second = tmp_path / "one.csv", tmp_path / "two.csv"
    first.write_text(header + "a.txt,地区生产总值增长5.2%,地区生产总值,gdp_growth,actual,5.2,5.2,%,point,+,2023,annual,,0\n",
                     encoding="utf-8")
    second.write_text(header + "a.txt,年均增长5%左右,地区生产总值,gdp_growth,target,5,5,%,approx,+,2024,annual,,0\n",
                      encoding="utf-8")
    result = runner.invoke(app, ["eval", "--gold", str(first), "--gold", str(second), "--inbox", str(inbox)])
    assert result.exit_code == 0, result.output
    assert f"== {first}" in result.output and f"== {second}" in result.output
    assert "kind 1/1 (1.000)" in result.output and "basis 0/1 (0.000)" in result.output  # 年均 is average_annual


# Another process holding the warehouse file for writing, as a run does, until a release file appears.
WRITER = """
import os, sys, time
import duckdb
path, ready, release = sys.argv[1:]
con = duckdb.connect(path)
open(ready, "w").close()
while not os.path.exists(release):
    time.sleep(0.05)
"""


def _warehouse_with_a_target(path: Path) -> None:
    from tests.attainment_rows import add_document, add_figure
    from warehouse import db

    with db.connect(path) as con:
        add_figure(con, add_document(con, "2015.txt", 2015), "target", "gdp_growth", 7.0, comparator="approx")


def test_attainment_and_status_answer_from_the_analysts_copy_while_a_run_writes(tmp_path: Path,
                                                                               monkeypatch) -> None:
    import time

    from warehouse.publish import publish

    wh = tmp_path / "w.duckdb"
    _warehouse_with_a_target(wh)
    publish(wh, timeout_s=10)
    monkeypatch.setenv("MUBIAO_LOCK_TIMEOUT", "1")
    ready, release = tmp_path / "ready", tmp_path / "release"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(wh), str(ready), str(release)])
    try:
        while not ready.exists():
            assert writer.poll() is None, "the writer process ended before holding the warehouse"
            time.sleep(0.05)
        attainment = runner.invoke(app, ["attainment", "--warehouse", str(wh), "--format", "csv"])
        status = runner.invoke(app, ["status", "--warehouse", str(wh)])
    finally:
        release.touch()
        writer.wait(60)
    assert attainment.exit_code == 0, attainment.output
    assert "gdp_growth" in attainment.stdout and "pending" in attainment.stdout
    assert status.exit_code == 0, status.output
    assert "documents: 1 " in status.stdout and "w.published.duckdb" in status.stdout


def test_before_a_copy_is_published_the_readers_say_they_read_the_warehouse(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    _warehouse_with_a_target(wh)
    for args in (["attainment", "--format", "csv"], ["status"], ["sql", "select count(*) from documents"]):
        result = runner.invoke(app, [*args, "--warehouse", str(wh)])
        assert result.exit_code == 0, (args, result.output)
        [line] = result.stderr.splitlines()
        assert line == f"mubiao: no analysts' copy yet ({wh.with_name('w.published.duckdb').name}); " \
                       f"reading {wh} itself", args
