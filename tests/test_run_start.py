"""A flow run (as `mubiao serve` starts them) that cannot get the warehouse ends Failed with its reason, no traceback."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from prefect.exceptions import FailedRun

from flows.ingest import ingest
from flows.runlock import run_lock

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
