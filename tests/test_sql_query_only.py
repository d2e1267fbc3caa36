"""`mubiao sql` is a query tool, not a file tool: file access, ATTACH, INSTALL and settings are refused by default."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from warehouse import db
from warehouse.publish import publish


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with db.connect(path) as con:
        con.execute("INSERT INTO runs (run_id, started_at, status) VALUES ('r1', now(), 'succeeded')")
    publish(path, timeout_s=10)  # the analysts' copy a run leaves, which `mubiao sql` opens
    return path


def _sql(warehouse: Path, query: str, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["sql", query, "--warehouse", str(warehouse), *options])
    return result.exit_code, result.output


REFUSED = {
    "copy to a file": "copy (select * from runs) to '{tmp}/out.csv'",
    "read_csv of a path": "select * from read_csv('{tmp}/w.duckdb.lock')",
    "attach": "attach '{tmp}/other.duckdb' as other",
    "install": "install '{tmp}/nothing.duckdb_extension'",
    "set": "set enable_external_access = true",
}


@pytest.mark.parametrize("query", REFUSED.values(), ids=REFUSED.keys())
def test_file_access_attach_install_and_settings_are_refused_in_one_line(warehouse: Path, query: str) -> None:
    (warehouse.parent / "w.duckdb.lock").write_text("a,b\n1,2\n")
    code, output = _sql(warehouse, query.format(tmp=warehouse.parent))
    assert code == 2
    assert output.count("\n") == 1 and output.startswith("mubiao: query refused: `mubiao sql` only queries"), output
    assert not (warehouse.parent / "out.csv").exists() and not (warehouse.parent / "other.duckdb").exists()


def test_allow_files_lets_a_person_copy_read_attach_and_install(warehouse: Path) -> None:
    tmp = warehouse.parent
    assert _sql(warehouse, f"copy (select run_id, status from runs) to '{tmp}/out.csv'", "--allow-files")[0] == 0
    assert (tmp / "out.csv").read_text().splitlines() == ["run_id,status", "r1,succeeded"]
    code, output = _sql(warehouse, f"select * from read_csv('{tmp}/out.csv')", "--allow-files", "--format", "csv")
    assert (code, output) == (0, "\ufeffrun_id,status\nr1,succeeded\n")  # CSV carries a BOM for Excel
    duckdb.connect(str(tmp / "other.duckdb")).close()
    assert _sql(warehouse, f"attach '{tmp}/other.duckdb' as other (read_only)", "--allow-files")[0] == 0
    code, output = _sql(warehouse, f"install '{tmp}/nothing.duckdb_extension'", "--allow-files")
    assert code == 2 and "query failed" in output and "refused" not in output  # tried: the file is not there


def test_results_export_as_csv_or_json_to_a_file(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "runs.json"
    assert _sql(warehouse, "select run_id, status from runs", "--format", "json", "--output", str(out)) == (0, "")
    assert json.loads(out.read_text(encoding="utf-8")) == [{"run_id": "r1", "status": "succeeded"}]
    assert _sql(warehouse, "select run_id from runs", "--format", "csv", "-o", str(tmp_path / "r.csv"))[0] == 0
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig") == "run_id\nr1\n"
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    code, output = _sql(warehouse, "select 1", "--output", str(tmp_path / "t.txt"))
    assert code == 2 and "--format csv" in output
