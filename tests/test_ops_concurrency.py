"""Two runs started at once on one warehouse take turns on the run lock; `mubiao sql` waits for, or reports, a load."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.register_assert_rewrite("ops_support")
from ops_support import (INBOX_FILES, LOAD_STARTS, Reference, assert_no_duplicates, assert_same_warehouse,  # noqa: E402
                         first_to_print, query, start, start_mubiao, wait_until_locked_by)

pytest_plugins = ["ops_support"]
pytestmark = pytest.mark.integration

# `mubiao sql`, warmed up and then started the moment a file appears: a cold CLI start takes longer than a load
# holds the warehouse, so a plain subprocess could not be aimed at the load. The warm-up runs the same command
# on a warehouse that does not exist (a clean one-line error) so every module it needs is already imported.
SQL_WHEN_SIGNALLED = """
import contextlib, io, os, sys, time
from flows.cli import main
signal_file, args = sys.argv[1], sys.argv[2:]
def mubiao(argv):
    sys.argv = ["mubiao", *argv]
    main()
with contextlib.redirect_stderr(io.StringIO()), contextlib.suppress(SystemExit):
    mubiao([*args, "--warehouse", os.path.join(os.devnull, "absent.duckdb")])
while not os.path.exists(signal_file):
    time.sleep(0.002)
mubiao(args)
"""


def test_two_runs_at_once_take_turns_and_sql_waits_for_the_load(reference: Reference, ops_env: dict[str, str],
                                                               tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    signal_file = tmp_path / "loading"
    sql = ["sql", "SELECT count(*) AS documents FROM documents", "--warehouse", str(wh), "--format", "csv"]
    patient = start(["-c", SQL_WHEN_SIGNALLED, str(signal_file), *sql], {**ops_env, "MUBIAO_LOCK_TIMEOUT": "60"},
                    tmp_path / "sql_patient.log")
    impatient = start(["-c", SQL_WHEN_SIGNALLED, str(signal_file), *sql], {**ops_env, "MUBIAO_LOCK_TIMEOUT": "0.2"},
                      tmp_path / "sql_impatient.log")
    pair = [start_mubiao(["run", "--inbox", str(reference.inbox), "--warehouse", str(wh)], ops_env,
                         tmp_path / f"run_{i}.log") for i in (1, 2)]
    try:
        loader = first_to_print(pair, LOAD_STARTS, timeout_s=180)
        wait_until_locked_by(wh, loader, timeout_s=30)
        signal_file.touch()
        assert [p.finish() for p in (*pair, patient, impatient)] == [0, 0, 0, 2], [p.tail() for p in pair]
    finally:
        for p in (*pair, patient, impatient):
            p.kill()

    for p in pair:
        assert "Traceback" not in p.output(), p.tail(80)
    # no run has published the analysts' copy yet: sql reads the warehouse itself, says so on stderr, and waits
    note = f"mubiao: no analysts' copy yet ({wh.stem}.published.duckdb); reading {wh} itself"
    assert sorted(patient.output().splitlines()) == sorted([note, "\ufeffdocuments", str(INBOX_FILES)])
    [message] = impatient.output().splitlines()
    assert message.startswith(f"{note}: {wh} is locked by another process (PID {loader.pid}); waited 0.2 s")

    first, second = query(wh, """SELECT status, files_loaded, files_skipped, started_at, finished_at
                                  FROM runs ORDER BY started_at""")
    assert first[:3] == ("succeeded", INBOX_FILES, 0) and second[:3] == ("succeeded", 0, INBOX_FILES)
    assert second[3] >= first[4], "the runs overlapped"
    assert query(wh, "SELECT count(*) FROM run_files WHERE outcome = 'skipped'") == [(INBOX_FILES,)]
    assert_same_warehouse(wh, reference.snapshot)
    assert_no_duplicates(wh)
