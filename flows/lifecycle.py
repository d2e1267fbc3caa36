"""A run's first step on the inbox: record renamed files as moves and retire files that left (unless kept)."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from flows.inbox import InboxFile, reconcile
from warehouse import lifecycle


@dataclass(frozen=True)
class Reconciled:
    """The files still to plan, and how many were moved or retired."""

    files: list[InboxFile]
    moved: int
    retired: int


def reconcile_inbox(con: duckdb.DuckDBPyConnection, run_id: str, files: list[InboxFile],
                    keep_missing: bool) -> Reconciled:
    """Record moves and retirements of this run; return the files left to plan (new, changed or unchanged)."""
    changes = reconcile(files, lifecycle.known_files(con))
    lifecycle.move_files(con, run_id, [(old, f.name, f.size) for old, f in changes.moves])
    if keep_missing:
        lifecycle.record_kept_missing(con, run_id, changes.missing)
    else:
        lifecycle.retire_files(con, run_id, changes.missing)
    return Reconciled(changes.remaining(files), len(changes.moves), 0 if keep_missing else len(changes.missing))
