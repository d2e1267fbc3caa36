"""Reviewers' actions as data, and the queue of those that arrived while a run held the warehouse.

An action (accept, reject, correct a figure, correct a document) is applied by warehouse.corrections on a writer
connection. While a run holds the warehouse the desk (or the CLI, after waiting) appends it to a JSON-lines file
beside the warehouse (`<name>.review_queue.jsonl`, fsynced: closing the desk does not lose it); whoever next
holds the run lock applies the queue in order before anything else — the desk as soon as the run ends, the next
run when it starts, every refresh of the analysts' copy (warehouse.publish). An action that no longer applies
(its figure gone, a value refused) moves to `<name>.review_queue_failed.jsonl` with the reason, shown by the desk.
Both files are guarded by an OS lock on the queue file, so an append never races with the queue being applied.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

import duckdb

from . import corrections
from .clock import utc_now
from .errors import WarehouseError

log = logging.getLogger("mubiao.review")

KINDS = ("decide", "correct", "set_document")


@dataclass(frozen=True)
class ReviewAction:
    """One reviewer's action: decide (fields: decision), correct (FigureCorrection fields) or set_document
    (region, report_year, doc_type) on a figure or document id, with the note and the reviewer."""

    kind: str
    target_id: str
    note: str
    reviewer: str
    fields: dict[str, object] = field(default_factory=dict)
    queued_at: str | None = None

    def describe(self) -> str:
        """One line for people: what is asked of which figure or document."""
        what = ", ".join(f"{k}={v}" for k, v in self.fields.items() if v is not None)
        target = "document" if self.kind == "set_document" else "figure"
        return f"{self.kind} {target} {self.target_id}: {what} ({self.reviewer}: {self.note})"


def apply(con: duckdb.DuckDBPyConnection, action: ReviewAction) -> object:
    """Apply one action through warehouse.corrections on a writer connection; return what that returns."""
    f = action.fields
    if action.kind == "decide":
        return corrections.decide(con, action.target_id, str(f.get("decision", "")), action.note, action.reviewer)
    if action.kind == "correct":
        fix = corrections.FigureCorrection(**{k: f.get(k) for k in corrections.FIGURE_FIELDS})  # type: ignore[arg-type]
        return corrections.correct(con, action.target_id, fix, action.note, action.reviewer)
    if action.kind == "set_document":
        return corrections.set_document(con, action.target_id, action.note, action.reviewer,
                                        region=f.get("region"), report_year=f.get("report_year"),  # type: ignore
                                        doc_type=f.get("doc_type"))  # type: ignore[arg-type]
    raise WarehouseError(f"unknown review action {action.kind!r} (one of {', '.join(KINDS)})")


def queue_path(warehouse: Path) -> Path:
    """The queue of actions waiting for the writer, beside the warehouse."""
    return warehouse.with_name(f"{warehouse.stem}.review_queue.jsonl")


def failed_path(warehouse: Path) -> Path:
    """Queued actions that could not be applied, with the reason, beside the warehouse."""
    return warehouse.with_name(f"{warehouse.stem}.review_queue_failed.jsonl")


@contextmanager
def _locked(warehouse: Path) -> Iterator[IO[str]]:
    path = queue_path(warehouse)
    with path.open("a+", encoding="utf-8") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # released when the file closes
        f.seek(0)
        yield f


def _read(f: IO[str]) -> list[ReviewAction]:
    actions = []
    for line in f.read().splitlines():
        try:
            actions.append(ReviewAction(**json.loads(line)))
        except (json.JSONDecodeError, TypeError):
            continue  # a line cut short by a process killed mid-append: that action never completed
    return actions


def enqueue(warehouse: Path, action: ReviewAction) -> ReviewAction:
    """Append an action to the queue, on disk before this returns; return it with its queue time."""
    queued = ReviewAction(**{**asdict(action), "queued_at": utc_now().isoformat(timespec="seconds")})
    with _locked(warehouse) as f:
        f.write(json.dumps(asdict(queued), ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    return queued


def queued(warehouse: Path) -> list[ReviewAction]:
    """The actions waiting in the queue, oldest first."""
    if not queue_path(warehouse).exists():
        return []
    with _locked(warehouse) as f:
        return _read(f)


def failed(warehouse: Path) -> list[dict]:
    """Queued actions that could not be applied: the action's fields plus `error`."""
    path = failed_path(warehouse)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def apply_queued(con: duckdb.DuckDBPyConnection, warehouse: Path) -> tuple[int, int]:
    """Apply the queued actions in order (call holding the run lock); return (applied, failed).

    A process killed between applying and emptying the queue applies those actions again next time: their effect
    is the same, the history shows the entry twice — a decision is never lost.
    """
    if not queue_path(warehouse).exists():
        return 0, 0
    done = refused = 0
    with _locked(warehouse) as f:
        for action in _read(f):
            try:
                apply(con, action)
                done += 1
            except WarehouseError as e:
                refused += 1
                log.warning("queued review action not applied: %s: %s", action.describe(), e)
                with failed_path(warehouse).open("a", encoding="utf-8") as out:
                    out.write(json.dumps({**asdict(action), "error": str(e)}, ensure_ascii=False) + "\n")
        f.truncate(0)  # emptied, not removed: a process waiting on this file's lock appends to the same file
        f.flush()
        os.fsync(f.fileno())
    return done, refused
