"""The single writer of reviewers' actions, for `mubiao review accept|reject|correct|set-document` and the desk.

An action is stored under the run lock (no run starts meanwhile), after any actions queued before it, and the
analysts' copy is refreshed so every reader sees it. When a run holds the lock the action is queued beside the
warehouse (warehouse.review_queue) instead of failing: the CLI after waiting MUBIAO_LOCK_TIMEOUT, the desk at
once. The run applies the queue when it refreshes the analysts' copy at its end, the next run when it starts, and
an open desk (QueueWorker) as soon as the lock is free.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from flows.runlock import RunLocked, run_lock
from warehouse import db, review_queue
from warehouse.errors import WarehouseError
from warehouse.publish import publish, published_path
from warehouse.review_queue import ReviewAction

log = logging.getLogger("mubiao.review")


@dataclass(frozen=True)
class Queued:
    """The result of an action that waits in the queue for a run to end; `why` names the run holding the lock."""

    action: ReviewAction
    why: str


def _apply_holding_lock(warehouse: Path, action: ReviewAction | None, timeout_s: float) -> object:
    with db.connect(warehouse, timeout_s=timeout_s) as con:
        applied, _ = review_queue.apply_queued(con, warehouse)
        result = review_queue.apply(con, action) if action is not None else None
    if (action is not None or applied) and published_path(warehouse).exists():
        publish(warehouse, timeout_s)
    return result


def submit(warehouse: Path, action: ReviewAction, wait_s: float, timeout_s: float) -> object:
    """Apply an action now, waiting up to wait_s for a run to release the warehouse; else queue it (Queued).

    timeout_s bounds the wait for the warehouse file itself once the run lock is held (another process reading it).
    """
    try:
        with run_lock(warehouse, wait_s):
            return _apply_holding_lock(warehouse, action, timeout_s)
    except RunLocked as e:
        return Queued(review_queue.enqueue(warehouse, action), str(e))


def apply_queued(warehouse: Path, wait_s: float, timeout_s: float) -> None:
    """Apply whatever is queued, waiting up to wait_s for the run lock (RunLocked after that)."""
    with run_lock(warehouse, wait_s):
        _apply_holding_lock(warehouse, None, timeout_s)


class QueueWorker:
    """Applies the queue in a background thread as soon as no run holds the warehouse (one thread at a time)."""

    RETRY_S = 30.0  # each wait for the run lock; the thread waits again while the queue is not empty

    def __init__(self, warehouse: Path, timeout_s: float) -> None:
        self.warehouse, self.timeout_s = warehouse, timeout_s
        self._mutex = threading.Lock()
        self._thread: threading.Thread | None = None

    def kick(self) -> None:
        """Make sure a thread is applying the queue (call after queueing an action)."""
        with self._mutex:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mubiao-review-queue", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                apply_queued(self.warehouse, self.RETRY_S, self.timeout_s)
            except RunLocked:
                pass  # the run goes on; wait again
            except (WarehouseError, OSError) as e:  # left queued: the next run applies it
                log.warning("%s: queued review actions not applied yet: %s", self.warehouse, e)
                with self._mutex:
                    self._thread = None
                return
            with self._mutex:  # queue checked and thread cleared together: a kick() after this starts a new one
                if not review_queue.queued(self.warehouse):
                    self._thread = None
                    return
