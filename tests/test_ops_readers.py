"""Readers never block the writer: analysts read the published copy; a run that cannot start says so in one line."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytest.register_assert_rewrite("ops_support")
from ops_support import SEEDS, query, run_mubiao, start, start_mubiao  # noqa: E402

pytestmark = pytest.mark.integration
pytest_plugins = ["ops_support"]

# A notebook-like reader: counts documents, waits for a signal file, counts again on the same connection, then
# reconnects and counts a third time.
READER = """
import os, sys, time
import duckdb
path, ready, go = sys.argv[1:]
con = duckdb.connect(path, read_only=True)
print(con.execute("select count(*) from documents").fetchone()[0], flush=True)
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.05)
print(con.execute("select count(*) from documents").fetchone()[0], flush=True)
con.close()
con = duckdb.connect(path, read_only=True)
print(con.execute("select count(*) from documents").fetchone()[0], flush=True)
"""

HOLDER = """
import os, sys, time
import duckdb
path, ready, go = sys.argv[1:]
con = duckdb.connect(path, read_only=True)
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.05)
"""


def _wait_for(path: Path, proc, timeout_s: float = 60) -> None:  # noqa: ANN001 - ops_support.Proc
    import time

    deadline = time.monotonic() + timeout_s
    while not path.exists():
        assert proc.popen.poll() is None and time.monotonic() < deadline, proc.tail()
        time.sleep(0.05)


def test_readers_of_the_published_copy_never_block_a_run_and_a_run_that_cannot_start_says_so(
        ops_env: dict[str, str], tmp_path: Path) -> None:
    inbox, wh = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    samples = sorted(SEEDS.iterdir())
    for p in samples[:3]:
        shutil.copy(p, inbox / p.name)
    run_mubiao(inbox, wh, ops_env, tmp_path / "run1.log")
    published = tmp_path / "w.published.duckdb"
    assert query(published, "select count(*) from documents") == [(3,)]

    reader = start(["-c", READER, str(published), str(tmp_path / "ready"), str(tmp_path / "go")], ops_env,
                   tmp_path / "reader.log")
    try:
        _wait_for(tmp_path / "ready", reader)
        for p in samples[3:]:
            shutil.copy(p, inbox / p.name)
        run_mubiao(inbox, wh, {**ops_env, "MUBIAO_LOCK_TIMEOUT": "5"}, tmp_path / "run2.log")  # no wait for the reader
        (tmp_path / "go").touch()
        assert reader.finish(60) == 0, reader.tail()
    finally:
        reader.kill()
    assert reader.output().split() == ["3", "3", "5"]  # the old version until it reconnects, then the new one

    holder = start(["-c", HOLDER, str(wh), str(tmp_path / "held"), str(tmp_path / "release")], ops_env,
                   tmp_path / "holder.log")  # someone opened the warehouse itself, not the published copy
    try:
        _wait_for(tmp_path / "held", holder)
        blocked = start_mubiao(["run", "--inbox", str(inbox), "--warehouse", str(wh)],
                               {**ops_env, "MUBIAO_LOCK_TIMEOUT": "1"}, tmp_path / "run3.log")
        assert blocked.finish() == 2
    finally:
        (tmp_path / "release").touch()
        holder.finish(60)
    [line] = blocked.output().splitlines()
    assert line.startswith("mubiao: run ") and "did not start" in line and f"PID {holder.pid}" in line, line
    latest = (tmp_path / "w_dq" / "runs" / "latest.html").read_text(encoding="utf-8")
    assert "— failed: " in re.sub(r"<[^>]+>", "", latest)  # the title, without its markup

    run_mubiao(inbox, wh, ops_env, tmp_path / "run4.log")  # the failed run enters the runs table
    statuses = query(published, "select status, error is not null from runs order by started_at")
    assert statuses == [("succeeded", False), ("succeeded", False), ("failed", True), ("succeeded", False)]
    assert not (tmp_path / "w.pending_runs.jsonl").exists()
