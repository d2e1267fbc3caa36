"""The CLI's rough edges, each pinned: open items by default, one id, real CSV with a BOM, no float noise,
one-line errors for bad schedules and gold files, eval scoped to the inbox, sql row limit and DuckDB's hints,
the README naming documents' real columns (doc_type)."""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from test_warehouse_content import doc_frames, fig, hold, make_doc
from transforms import frames
from transforms.evaluate import load_gold
from transforms.reference import default_reference
from warehouse import db, load, runs
from warehouse.publish import publish

PROJECT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _mubiao(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True, timeout=180,
                          cwd=PROJECT)


@pytest.fixture
def warehouse(tmp_path: Path) -> tuple[Path, str]:
    """A warehouse with one figure quarantined by run r1 and a quiet later run r2; returns (path, held figure id)."""
    path = tmp_path / "w.duckdb"
    parts = hold(doc_frames(make_doc("a.txt", [fig(0, "target", "gdp_growth", 500), fig(9, "actual", "fixed_invest",
                                                                                     1.15, unit="亿元", factor=1e8,
                                                                                     base_unit="元")])), 0)
    with db.connect(path) as con:
        runs.start_run(con, "r1", "inbox", {})
        load.load_document(con, "r1", **parts)
        load.record_file(con, "r1", "a.txt", "hash", 10, "loaded", None, 1)
        runs.finish_run(con, "r1", "succeeded", {}, None)
        runs.start_run(con, "r2", "inbox", {})
        runs.finish_run(con, "r2", "succeeded", {}, None)
    publish(path, timeout_s=10)  # the analysts' copy a run leaves, which the read-only commands open
    return path, str(parts["quarantine"]["figure_id"].iloc[0])


def test_review_shows_open_items_of_earlier_runs_by_default(warehouse: tuple[Path, str]) -> None:
    path, held = warehouse
    shown = runner.invoke(app, ["review", "--warehouse", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "quarantine (1)" in shown.output
    assert held in shown.output


def test_review_table_leads_with_the_figure_id_that_accept_takes(warehouse: tuple[Path, str]) -> None:
    path, held = warehouse
    shown = runner.invoke(app, ["review", "--run", "r1", "--warehouse", str(path)])
    header = next(line for line in shown.output.splitlines() if "status" in line)
    assert re.match(r"\W*figure_id\b", header), header
    first_cell = next(line for line in shown.output.splitlines() if line.startswith("│")).split("│")[1].strip()
    assert first_cell == held
    accepted = runner.invoke(app, ["review", "accept", first_cell, "--note", "ok", "--warehouse", str(path)])
    assert accepted.exit_code == 0, accepted.output


def test_review_csv_is_one_csv_with_a_bom(warehouse: tuple[Path, str]) -> None:
    path, held = warehouse
    out = runner.invoke(app, ["review", "--warehouse", str(path), "--format", "csv"]).stdout
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert [r["figure_id"] for r in rows] == [held]
    assert "==" not in out


def test_sql_csv_starts_with_a_bom_and_parses(warehouse: tuple[Path, str]) -> None:
    path, _ = warehouse
    out = runner.invoke(app, ["sql", "select region_name, kind from figures", "-w", str(path), "-f", "csv"]).stdout
    assert out.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(out.removeprefix("\ufeff")))) == [["region_name", "kind"], ["广州市", "actual"]]


@pytest.mark.parametrize("args", [["metrics"], ["attainment"], ["sql", "select * from figures", "--output", "{out}"]])
def test_the_other_csv_exports_start_with_a_bom_and_parse(warehouse: tuple[Path, str], args: list[str],
                                                       tmp_path: Path) -> None:
    path, _ = warehouse
    out = tmp_path / "out.csv"
    result = runner.invoke(app, [*(arg.format(out=out) for arg in args), "-w", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8") if "--output" in args else result.stdout
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows and {len(r) for r in rows} == {len(rows[0])}, rows


def test_base_values_carry_no_float_noise() -> None:
    doc = make_doc("a.txt", [fig(0, "actual", "fixed_invest", 1.15, unit="亿元", factor=1e8, base_unit="元")])
    assert 1.15 * 1e8 != 115000000  # the noise this guards against
    figures = frames.figures_frame([doc], default_reference())
    assert figures["value_base_low"].tolist() == [115000000.0]


def test_sql_shows_base_values_without_noise(warehouse: tuple[Path, str]) -> None:
    path, _ = warehouse
    out = runner.invoke(app, ["sql", "select value_base_low from figures", "-w", str(path)]).stdout
    assert "115000000" in out and "99999" not in out


def test_sql_has_a_default_row_limit_with_a_note(warehouse: tuple[Path, str]) -> None:
    path, _ = warehouse
    query = "select * from range(5000)"
    cut = runner.invoke(app, ["sql", query, "-w", str(path), "-f", "csv"])
    assert len(cut.stdout.strip().splitlines()) == 1 + 1000
    assert "first 1000 rows" in cut.stderr and "--limit 0" in cut.stderr
    three = runner.invoke(app, ["sql", query, "-w", str(path), "-f", "csv", "--limit", "3"])
    assert len(three.stdout.strip().splitlines()) == 1 + 3
    every = runner.invoke(app, ["sql", query, "-w", str(path), "-f", "csv", "--limit", "0"])
    assert len(every.stdout.strip().splitlines()) == 1 + 5000
    assert every.stderr == ""
    exact = runner.invoke(app, ["sql", "select * from range(3)", "-w", str(path), "-f", "csv", "--limit", "3"])
    assert exact.stderr == ""


def test_sql_errors_keep_duckdbs_hint_on_one_line(warehouse: tuple[Path, str]) -> None:
    path, _ = warehouse
    result = _mubiao("sql", "select * from figurs", "-w", str(path))
    assert result.returncode == 2
    assert 'Did you mean "figures"' in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (["serve", "--cron", "every night"], "is not a cron string"),
    (["serve", "--timezone", "Mars/Olympus"], "is not an IANA time zone"),
    (["eval", "--gold", "README.md"], "README.md is not a gold CSV"),
    (["eval", "--gold", "README.md", "--inbox", "{empty}"], "README.md is not a gold CSV"),
])
def test_bad_schedules_and_gold_files_end_in_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    result = _mubiao(*(arg.format(empty=tmp_path) for arg in args))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_eval_scores_only_the_files_in_the_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "national-2010.txt").write_bytes((PROJECT / "tests/data/corpus/national-2010.txt").read_bytes())
    result = runner.invoke(app, ["eval", "--gold", str(PROJECT / "tests/data/dev_real.csv"), "--inbox", str(inbox)])
    assert result.exit_code == 0, result.output
    assert "national-2012" not in result.output and "district-hailar" not in result.output
    labelled = [g for g in load_gold(PROJECT / "tests/data/dev_real.csv")
                if g["doc"] == "national-2010" and not g["optional"]]
    assert int(re.search(r"gold=(\d+)", result.output).group(1)) == len(labelled)


def test_readme_names_the_documents_columns_as_the_warehouse_does(tmp_path: Path) -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `documents` |"))
    named = set(re.findall(r"`(\w+)`", row.split("|")[2]))
    with db.connect(tmp_path / "w.duckdb") as con:
        columns = {c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() "
                                             "WHERE table_name = 'documents'").fetchall()}
    assert "doc_type" in columns and "type" not in columns
    assert len(named) >= 10 and named <= columns, named - columns
