"""One ingestion at a time per warehouse: an OS file lock held for the whole run, with a bounded wait."""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RunLocked(Exception):
    """Another ingestion holds the warehouse for longer than we were willing to wait."""


def lock_path(warehouse: Path) -> Path:
    """The lock file beside a warehouse file."""
    return warehouse.with_name(warehouse.name + ".lock")


@contextmanager
def run_lock(warehouse: Path, timeout_s: float) -> Iterator[None]:
    """Hold the warehouse's run lock; wait up to timeout_s for another run to finish, then give up clearly."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
                    raise RunLocked(f"another mubiao run (PID {holder}) is loading {warehouse}; waited "
                                    f"{timeout_s:.0f} s (MUBIAO_LOCK_TIMEOUT)") from None
                time.sleep(0.25)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock, also when the process is killed
