"""One run at a time per warehouse."""
import multiprocessing
import time
from pathlib import Path

import pytest

from flows.runlock import RunLocked, run_lock


def _hold(path: str, seconds: float, ready) -> None:  # noqa: ANN001
    with run_lock(Path(path), 5):
        ready.set()
        time.sleep(seconds)


def test_second_run_waits_then_fails_clearly_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(wh), 3.0, ready))
    holder.start()
    try:
        assert ready.wait(20)
        with pytest.raises(RunLocked, match=rf"PID {holder.pid}\).*waited 0 s"):
            with run_lock(wh, 0.3):
                pass
        started = time.monotonic()
        with run_lock(wh, 20):  # a bounded wait succeeds once the first run ends
            assert time.monotonic() - started > 1.0
    finally:
        holder.join(10)
    assert holder.exitcode == 0


def test_lock_is_released_when_the_holder_is_killed(tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(wh), 60.0, ready))
    holder.start()
    assert ready.wait(20)
    holder.kill()
    holder.join(10)
    with run_lock(wh, 2):
        pass
