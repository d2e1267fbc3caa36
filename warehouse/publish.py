"""The analysts' copy: a read-only copy of the warehouse beside it, replaced atomically after every commit.

Analysts (`mubiao sql`, `mubiao review`, notebooks, the duckdb CLI) open the copy, never the warehouse itself, so
an open reader cannot make a run wait: DuckDB lets one process write a file only while no other process has it
open. Replacing the copy with os.replace leaves open readers on the old version until they reconnect. Reviewers' actions queued while the lock was held
(warehouse.review_queue) are applied first, so the copy a run publishes at its end shows them.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import review_queue
from .db import connect
from .errors import WarehouseError


def published_path(warehouse: Path) -> Path:
    """The analysts' copy of a warehouse: warehouse/mubiao.duckdb → warehouse/mubiao.published.duckdb."""
    return warehouse.with_name(f"{warehouse.stem}.published{warehouse.suffix}")


def reader_path(warehouse: Path) -> Path:
    """What read-only commands open: the analysts' copy when there is one, else the warehouse itself."""
    copy = published_path(warehouse)
    return copy if copy.exists() else warehouse


def publish(warehouse: Path, timeout_s: float) -> Path:
    """Apply queued review actions, checkpoint the warehouse and replace the analysts' copy with it; call while
    holding the run lock."""
    target = published_path(warehouse)
    with connect(warehouse, timeout_s=timeout_s) as con:
        review_queue.apply_queued(con, warehouse)
        con.execute("CHECKPOINT")  # everything committed is in the main file, nothing left in the write-ahead log
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        shutil.copyfile(warehouse, partial)
        with partial.open("rb+") as f:
            os.fsync(f.fileno())
        partial.chmod(0o444)
        os.replace(partial, target)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise WarehouseError(f"{target}: the analysts' copy could not be refreshed ({e.strerror or e})") from None
    return target
