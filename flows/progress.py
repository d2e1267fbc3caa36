"""Progress of long stages: a bar on a terminal, a plain log line every few seconds otherwise."""
from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("mubiao")

LOG_EVERY_S = 10.0


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[str], None]]:
    """Yield `advance(item_name)`; draws a rich progress bar when stderr is a terminal."""
    if total == 0:
        yield lambda _name: None
        return
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      transient=True) as bar:
            task_id = bar.add_task(label, total=total)
            yield lambda _name: bar.advance(task_id)
        return
    done, started, last = 0, time.monotonic(), time.monotonic()

    def advance(name: str) -> None:
        nonlocal done, last
        done += 1
        now = time.monotonic()
        if now - last >= LOG_EVERY_S or done == total:
            last = now
            log.info("%s: %d/%d files (%.0f/s), last %s", label, done, total, done / max(now - started, 1e-9), name)
    yield advance
