"""Opening the warehouse: connections with lock retry and backoff, migrations on every writer connect.

While a connection to a file is open in this process, another `connect` to it reuses the same database (DuckDB's
instance cache): a run holds one open from start to end (flows.startup.holding_warehouse), so its tasks' connections
neither replay the write-ahead log on opening nor checkpoint on closing.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from flows import settings  # the one home of every setting (it imports nothing of mubiao)

from .errors import WarehouseError, WarehouseLocked
from .migrate import migrate, sync_reference
from .transaction import first_line

__all__ = ["connect", "WarehouseError", "WarehouseLocked", "migrate", "sync_reference"]

# Analysts open the file with the duckdb CLI 1.5.x, which reads storage versions up to v1.5.0.
STORAGE_COMPATIBILITY = "v1.5.0"
# Write-ahead log size that triggers a checkpoint on commit. DuckDB's 16MB made a run's load commits checkpoint
# every few batches (a third of the flow's time); at this size a 2,000-report run checkpoints about twice, and
# what is committed stays durable in the log between checkpoints.
CHECKPOINT_THRESHOLD = "256MB"
_LOCK_PID = re.compile(r"PID (\d+)")
_FIRST_WAIT_S = 0.05
_MAX_WAIT_S = 1.0


def lock_timeout_s() -> float:
    """How long to wait for another process's lock (flows.settings: MUBIAO_LOCK_TIMEOUT)."""
    try:
        return settings.lock_timeout_s()
    except settings.SettingError as e:
        raise WarehouseError(str(e)) from None


def _open(path: Path, read_only: bool, timeout_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + timeout_s
    wait = _FIRST_WAIT_S
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only,
                                  config={"storage_compatibility_version": STORAGE_COMPATIBILITY,
                                          "memory_limit": settings.duckdb_memory(),
                                          "checkpoint_threshold": CHECKPOINT_THRESHOLD})
        except duckdb.IOException as e:
            message = first_line(e)
            if "Could not set lock" not in message:
                raise WarehouseError(f"{path}: cannot open the warehouse ({message})") from None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pid = _LOCK_PID.search(message)
                holder = f"PID {pid.group(1)}" if pid else "unknown PID"
                raise WarehouseLocked(
                    f"{path} is locked by another process ({holder}); waited {timeout_s:g} s — "
                    "retry when it has finished or raise MUBIAO_LOCK_TIMEOUT") from None
            time.sleep(min(wait, remaining))
            wait = min(wait * 2, _MAX_WAIT_S)
        except duckdb.Error as e:
            raise WarehouseError(f"{path}: cannot open the warehouse ({first_line(e)})") from None


@contextmanager
def connect(path: str | Path, *, read_only: bool = False,
            timeout_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, waiting up to timeout_s (default lock_timeout_s()) for a lock; migrate it when writable."""
    path = Path(path)
    timeout_s = lock_timeout_s() if timeout_s is None else timeout_s
    if read_only and not path.exists():
        raise WarehouseError(f"{path} does not exist: run `mubiao run` first")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise WarehouseError(f"{path}: cannot create the folder {path.parent} ({e.strerror})") from None
    con = _open(path, read_only, timeout_s)
    try:
        if not read_only:
            migrate(con)
        yield con
    finally:
        con.close()
