"""Runs that could not open the warehouse: noted in a small log beside it, moved into `runs` once it is free."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb

from .transaction import transaction


def pending_path(warehouse: Path) -> Path:
    """The log of runs not yet in the warehouse's runs table, beside the warehouse."""
    return warehouse.with_name(f"{warehouse.stem}.pending_runs.jsonl")


def note_failed(warehouse: Path, run_id: str, started_at: datetime, finished_at: datetime, inbox: str,
                error: str) -> None:
    """Append a failed run to the pending log (one JSON line)."""
    entry = {"run_id": run_id, "started_at": started_at.isoformat(), "finished_at": finished_at.isoformat(),
             "inbox": inbox, "error": error}
    with pending_path(warehouse).open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def record_pending(con: duckdb.DuckDBPyConnection, warehouse: Path) -> int:
    """Move the pending failed runs into `runs` (status failed, with their error); return how many."""
    path = pending_path(warehouse)
    if not path.exists():
        return 0
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a process killed mid-append: that run stays unrecorded, the others do not
    with transaction(con, f"{path}: failed runs not recorded"):
        for e in entries:
            con.execute("INSERT OR IGNORE INTO runs (run_id, started_at, finished_at, status, inbox, error) "
                        "VALUES (?, ?, ?, 'failed', ?, ?)",
                        [e["run_id"], datetime.fromisoformat(e["started_at"]).replace(tzinfo=None),
                         datetime.fromisoformat(e["finished_at"]).replace(tzinfo=None), e["inbox"], e["error"]])
    path.unlink()
    return len(entries)
