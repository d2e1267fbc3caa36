"""A run SIGKILLed in the middle of a chunk's load, then run again, leaves the warehouse an uninterrupted run makes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.register_assert_rewrite("ops_support")
from ops_support import (INBOX_FILES, Reference, assert_no_duplicates, assert_same_warehouse, query,  # noqa: E402
                         run_mubiao, start_mubiao, wait_for_load_writes)

from warehouse.runs import ABANDONED  # noqa: E402

pytest_plugins = ["ops_support"]
pytestmark = pytest.mark.integration

# Chunks of 60 documents loaded in batches of 5: the killed run loads chunk 0 and dies inside chunk 1's load, whose
# twelve commits leave time to kill it while it writes even when the machine is busy.
CHUNK, BATCH = 60, 5
SECOND_LOAD_STARTS = re.compile(r"Task run 'load-0' - Finished")  # chunk 1 validates while chunk 0 loads
SECOND_LOAD_ENDS = re.compile(r"Task run 'load-1' - Finished")


def test_a_run_killed_mid_load_is_completed_by_the_next_run(reference: Reference, ops_env: dict[str, str],
                                                            tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    killed = start_mubiao(["run", "--inbox", str(reference.inbox), "--warehouse", str(wh)],
                          {**ops_env, "MUBIAO_CHUNK_DOCS": str(CHUNK), "MUBIAO_LOAD_BATCH_DOCS": str(BATCH)},
                          tmp_path / "killed.log")
    try:
        killed.wait_for(SECOND_LOAD_STARTS, timeout_s=180)
        wait_for_load_writes(wh, killed, timeout_s=60)
    finally:
        killed.kill()
    assert killed.popen.returncode == -9
    assert not SECOND_LOAD_ENDS.search(killed.output()), "the second chunk's load finished before the kill"

    # The crash left the first chunk's files recorded, at most part of the second loaded, and the run open.
    committed = query(wh, "SELECT count(*) FROM documents")[0][0]
    recorded = query(wh, "SELECT count(*) FROM source_files")[0][0]
    assert recorded == CHUNK <= committed < 2 * CHUNK, (committed, recorded)
    [(killed_run, status)] = query(wh, "SELECT run_id, status FROM runs")
    assert status == "running"

    rerun = run_mubiao(reference.inbox, wh, ops_env, tmp_path / "rerun.log")

    assert_same_warehouse(wh, reference.snapshot)
    assert_no_duplicates(wh)
    run_rows = query(wh, "SELECT run_id, status, error, files_loaded, files_skipped FROM runs ORDER BY started_at")
    assert run_rows[0] == (killed_run, "failed", ABANDONED, None, None)
    assert run_rows[1][1:] == ("succeeded", None, INBOX_FILES - recorded, recorded), rerun.tail()
