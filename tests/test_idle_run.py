"""A run with nothing to do records its run, skipped files and report without Prefect, GX or the extractor (no
server, no validator, no rules compiled)."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from flows.inbox import discover
from warehouse import db, load, runs

# Runs `mubiao run` in a fresh interpreter and prints which heavy packages it imported.
RUN_AND_LIST_IMPORTS = """
import sys
from flows.cli import app
try:
    app(sys.argv[1:], prog_name="mubiao")
except SystemExit as e:
    code = e.code
print("IMPORTED", sorted(m for m in ("prefect", "great_expectations", "transforms.pipeline", "transforms.extract")
                         if m in sys.modules), "EXIT", code)
"""


def _mubiao_run(inbox: Path, warehouse: Path) -> str:
    result = subprocess.run([sys.executable, "-c", RUN_AND_LIST_IMPORTS, "run", "--inbox", str(inbox),
                             "--warehouse", str(warehouse)], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


def _already_loaded(inbox: Path, warehouse: Path) -> None:
    """A warehouse whose incremental state says every inbox file was loaded as it is now."""
    files = discover(inbox)
    with db.connect(warehouse) as con:
        runs.start_run(con, "earlier-run", str(inbox), {})
        load.record_files(con, "earlier-run", pd.DataFrame(
            [(f.name, f.file_hash, f.size, "loaded", None, 1) for f in files], columns=list(load.FILE_OUTCOME_COLUMNS)))
        runs.finish_run(con, "earlier-run", "succeeded", {"files_seen": len(files), "files_loaded": len(files)}, None)


def test_an_unchanged_inbox_is_recorded_and_reported_without_prefect_gx_or_the_extractor(tmp_path: Path) -> None:
    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    (inbox / "a.txt").write_text("今年地区生产总值增长5%左右。", encoding="utf-8")
    (inbox / "b.txt").write_text("城镇新增就业1.8万人。", encoding="utf-8")
    _already_loaded(inbox, warehouse)

    out = _mubiao_run(inbox, warehouse)
    assert "IMPORTED [] EXIT 0" in out, out
    assert "2 files seen, 0 loaded, 2 unchanged" in out

    with duckdb.connect(str(warehouse), read_only=True) as con:
        run_id, status, seen, skipped, report = con.execute(
            "SELECT run_id, status, files_seen, files_skipped, report_path FROM runs "
            "WHERE run_id <> 'earlier-run'").fetchone()
        outcomes = con.execute("SELECT source_file, outcome FROM run_files WHERE run_id = ? ORDER BY 1",
                               [run_id]).fetchall()
    assert (status, seen, skipped) == ("succeeded", 2, 2)
    assert outcomes == [("a.txt", "skipped"), ("b.txt", "skipped")]
    page = Path(report).read_text(encoding="utf-8")
    assert run_id in page and (Path(report).parent / "latest.html").read_text(encoding="utf-8") == page


def test_a_changed_file_is_work_and_an_empty_inbox_is_not(tmp_path: Path) -> None:
    from flows.prepare import prepare_run
    from flows.settings import settings_from_env
    from flows.startup import new_run_id

    inbox, warehouse = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    settings = settings_from_env(inbox=inbox, warehouse=warehouse)
    assert not prepare_run(settings, new_run_id(), datetime.now(timezone.utc)).has_work
    (inbox / "a.txt").write_text("今年地区生产总值增长5%左右。", encoding="utf-8")
    _already_loaded(inbox, warehouse)
    assert not prepare_run(settings, new_run_id(), datetime.now(timezone.utc)).has_work
    (inbox / "a.txt").write_text("今年地区生产总值增长6%左右。", encoding="utf-8")
    prepared = prepare_run(settings, new_run_id(), datetime.now(timezone.utc))
    assert prepared.has_work and [f.name for f in prepared.plan.todo] == ["a.txt"]
