"""Opening the warehouse: file format, locking, migrations and comments, on real DuckDB files."""
from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from warehouse import db
from warehouse.migrate import MIGRATIONS_DIR, migrate, migrations

# Highest storage version the duckdb 1.5.x CLI reads ("we can only read versions between 64 and 68").
DUCKDB_1_5_MAX_STORAGE_VERSION = 68

# Holds a writer connection until its stdin closes, or for argv[2] seconds.
HOLD_WRITER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
time.sleep(float(sys.argv[2])) if len(sys.argv) > 2 else sys.stdin.read()
"""


def _holder(path: Path, *seconds: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(path), *seconds], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def _release(proc: subprocess.Popen) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=10)


def test_a_new_warehouse_is_written_for_duckdb_1_5_readers(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with db.connect(path):
        pass
    header = path.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert struct.unpack("<Q", header[12:20])[0] <= DUCKDB_1_5_MAX_STORAGE_VERSION
    with duckdb.connect(str(path), read_only=True) as con:
        tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    assert tags["storage_version"].startswith("v1.5")


def test_every_table_view_and_column_has_a_comment(tmp_path: Path) -> None:
    with db.connect(tmp_path / "w.duckdb") as con:
        tables = con.execute("SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
        views = con.execute("SELECT view_name, comment FROM duckdb_views() "
                            "WHERE schema_name = 'main' AND NOT internal").fetchall()
        columns = con.execute("SELECT table_name, column_name, comment FROM duckdb_columns() "
                              "WHERE schema_name = 'main' AND NOT internal").fetchall()
    names = {t for t, _ in tables} | {v for v, _ in views}
    assert {"documents", "figure_rows", "quarantine", "review_log", "runs", "run_files", "source_files",
            "dq_results", "regions", "metrics", "units", "qualitative_targets", "document_findings",
            "figures", "targets", "actuals", "target_attainment"} <= names
    assert [t for t, c in tables + views if not c] == []
    assert [f"{t}.{c}" for t, c, comment in columns if not comment] == []


def test_migrate_is_idempotent_and_refuses_an_edited_migration(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with db.connect(path) as con:
        applied = con.execute("SELECT name FROM schema_migrations ORDER BY version").fetchall()
        assert [a[0] for a in applied] == [m.name for m in migrations()]
        assert migrate(con) == []
        assert con.execute("SELECT count(*) FROM metrics").fetchone()[0] > 0

    edited = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, edited)
    first = sorted(edited.glob("*.sql"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    with db.connect(path) as con, pytest.raises(db.WarehouseError, match="changed after it was applied"):
        migrate(con, edited)


def test_a_held_file_raises_warehouse_locked_after_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with db.connect(path):
        pass
    holder = _holder(path)
    try:
        started = time.monotonic()
        with pytest.raises(db.WarehouseLocked) as raised, db.connect(path, timeout_s=0.6):
            pass
        assert time.monotonic() - started >= 0.6
        message = str(raised.value)
        assert f"PID {holder.pid}" in message and str(path) in message and "\n" not in message
    finally:
        _release(holder)
    with db.connect(path, read_only=True, timeout_s=0.6) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (0,)


def test_the_lock_wait_defaults_to_mubiao_lock_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.duckdb"
    with db.connect(path):
        pass
    monkeypatch.setenv("MUBIAO_LOCK_TIMEOUT", "0.3")
    holder = _holder(path)
    try:
        with pytest.raises(db.WarehouseLocked, match="waited 0.3 s"), db.connect(path, read_only=True):
            pass
    finally:
        _release(holder)
    monkeypatch.setenv("MUBIAO_LOCK_TIMEOUT", "soon")
    with pytest.raises(db.WarehouseError, match="MUBIAO_LOCK_TIMEOUT='soon' is not a number"), db.connect(path):
        pass


def test_a_reader_waits_for_the_writer_to_close(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with db.connect(path):
        pass
    holder = _holder(path, "0.8")
    try:
        started = time.monotonic()
        with db.connect(path, read_only=True, timeout_s=10) as con:
            assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migrations())
        assert time.monotonic() - started >= 0.5
    finally:
        holder.wait(timeout=10)


def test_bad_paths_are_one_line_warehouse_errors(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(db.WarehouseError, match="cannot create the folder") as raised, \
            db.connect(blocker / "w.duckdb"):
        pass
    assert "\n" not in str(raised.value)
    with pytest.raises(db.WarehouseError, match="does not exist"), \
            db.connect(tmp_path / "missing.duckdb", read_only=True):
        pass
    assert not (tmp_path / "missing.duckdb").exists()
