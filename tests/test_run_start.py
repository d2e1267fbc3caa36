"""A flow run (as `mubiao serve` starts them) that cannot get the warehouse ends Failed with its reason, no traceback."""
from __future__ import annotations

import gc
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from prefect.exceptions import FailedRun

from flows import prepare
from flows.inbox import InboxError
from flows.ingest import ingest
from flows.runlock import run_lock
from flows.runner import run_ingestion
from warehouse import db, runlog
from warehouse.errors import WarehouseError

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_server")]


def test_a_run_that_cannot_get_the_lock_fails_with_its_reason_and_the_report_says_so(
        sample_inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    wh = tmp_path / "w.duckdb"
    monkeypatch.setenv("MUBIAO_LOCK_TIMEOUT", "0.5")
    with run_lock(wh, 1), pytest.raises(FailedRun, match="did not start: another mubiao run"):
        ingest(inbox=str(sample_inbox), warehouse=str(wh))
    assert "Traceback" not in caplog.text
    [pending] = [json.loads(line) for line in (tmp_path / "w.pending_runs.jsonl").read_text().splitlines()]
    assert pending["error"].startswith("another mubiao run")
    page = (tmp_path / "w_dq" / "runs" / "latest.html").read_text(encoding="utf-8")
    assert f"{pending['run_id']} — failed: " in re.sub(r"<[^>]+>", "", page)  # the title, without its markup


def _runs(warehouse: Path) -> list[tuple[str, str | None]]:
    with db.connect(warehouse, read_only=True) as con:
        return con.execute("SELECT status, error FROM runs ORDER BY started_at").fetchall()


@pytest.mark.parametrize("entry", ["mubiao run", "ingest flow"])
def test_a_run_whose_inbox_is_a_file_is_closed_as_failed_with_the_reason(tmp_path: Path, entry: str) -> None:
    inbox, wh = tmp_path / "inbox.txt", tmp_path / "w.duckdb"
    inbox.write_text("not a folder", encoding="utf-8")
    with pytest.raises(InboxError, match="is not a folder"):
        if entry == "mubiao run":
            run_ingestion(inbox, wh)
        else:
            ingest(inbox=str(inbox), warehouse=str(wh))
    assert _runs(wh) == [("failed", f"InboxError: inbox {inbox} is not a folder")]


def test_a_warehouse_error_while_planning_closes_the_run_as_failed(
        sample_inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise WarehouseError("inbox history not recorded (disk full)")

    monkeypatch.setattr(prepare, "reconcile_inbox", broken)
    wh = tmp_path / "w.duckdb"
    with pytest.raises(WarehouseError):
        run_ingestion(sample_inbox, wh)
    assert _runs(wh) == [("failed", "WarehouseError: inbox history not recorded (disk full)")]


def test_a_run_that_fails_before_it_is_recorded_is_recorded_by_the_next_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise WarehouseError("abandoned runs not closed (I/O error)")

    inbox, wh = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    with monkeypatch.context() as patched:
        patched.setattr(prepare.runs, "fail_abandoned", broken)
        with pytest.raises(WarehouseError):
            run_ingestion(inbox, wh)
    assert _runs(wh) == []
    run_ingestion(inbox, wh)
    assert _runs(wh) == [("failed", "WarehouseError: abandoned runs not closed (I/O error)"), ("succeeded", None)]


def test_a_run_in_this_process_leaves_no_object_frozen_out_of_garbage_collection(sample_inbox: Path,
                                                                                  tmp_path: Path) -> None:
    run_ingestion(sample_inbox, tmp_path / "w.duckdb")  # the flow freezes its imports' objects while it runs
    assert _runs(tmp_path / "w.duckdb") == [("succeeded", None)]
    assert gc.get_freeze_count() == 0


def test_a_pending_line_cut_short_by_a_kill_does_not_block_later_runs(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    now = datetime.now(timezone.utc)
    runlog.note_failed(wh, "r-ok", now, now, "inbox", "another mubiao run holds the lock")
    with runlog.pending_path(wh).open("a", encoding="utf-8") as f:
        f.write('{"run_id": "r-cut", "started_at": "2026-')  # the writer was killed mid-line
    with db.connect(wh) as con:
        assert runlog.record_pending(con, wh) == 1
        assert con.execute("SELECT run_id, status FROM runs").fetchall() == [("r-ok", "failed")]
    assert not runlog.pending_path(wh).exists()
