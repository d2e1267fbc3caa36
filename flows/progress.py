"""A run's progress: on a terminal one bar over the items done (loaded or quarantined) with the run's stage, log
lines printed above it; otherwise a plain log line at each stage and every few seconds.

An item is an inbox file or a stored document re-extracted, the unit the run plans (`len(todo) + len(stale)`).
"""
from __future__ import annotations

import io
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

log = logging.getLogger("mubiao")

LOG_EVERY_S = 10.0


class RunProgress:
    """A run's items extracted and done, and its stage; shows nothing (see run_progress for what does)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.extracted_items = 0
        self.done_items = 0
        self.stage_label = "extracting"

    def stage(self, label: str) -> None:
        """The run entered a stage: extracting, validating, loading (with the chunk), checks, report."""
        self.stage_label = label
        self._show(changed=True)

    def extracted(self) -> None:
        """One more item read and extracted."""
        self.extracted_items += 1
        self._show(changed=False)

    def done(self, items: int) -> None:
        """A chunk of `items` items is through: loaded, or quarantined."""
        self.done_items += items
        self._show(changed=False)

    def route_logs(self) -> None:
        """Print the lines of logging handlers added since the block began (Prefect's, once imported) above the
        bar, if one is drawn."""

    def _show(self, changed: bool) -> None:
        pass


class _Lines(RunProgress):
    """Plain log lines: each stage, and the counts every LOG_EVERY_S seconds and when all are loaded."""

    def __init__(self, total: int) -> None:
        super().__init__(total)
        self._last = time.monotonic()

    def _show(self, changed: bool) -> None:
        now = time.monotonic()
        if changed or now - self._last >= LOG_EVERY_S or self.done_items == self.total:
            self._last = now
            log.info("%s: %d/%d done, %d extracted", self.stage_label, self.done_items, self.total,
                     self.extracted_items)


class _Bar(RunProgress):
    """A rich progress bar on stderr; the block's log lines and stray writes to stderr print above it."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        super().__init__(total)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("done, {task.fields[extracted]} extracted"), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True, redirect_stdout=sys.stdout.isatty())
        self._task = self.progress.add_task(self.stage_label, total=total, extracted=0)

    def _show(self, changed: bool) -> None:
        self.progress.update(self._task, description=self.stage_label, completed=self.done_items,
                             extracted=self.extracted_items, refresh=changed)

    @contextmanager
    def live(self) -> Iterator[None]:
        """Draw the bar for the block, with the logging handlers that write to stderr printing above it."""
        terminal = sys.stderr
        with self.progress:
            self._terminal, self._above = terminal, sys.stderr  # rich's proxy while live: lines go above the bar
            self.route_logs()
            try:
                yield
            finally:
                _route_handlers(self._above, terminal, terminal)

    def route_logs(self) -> None:
        """Print the lines of logging handlers added since the bar started above it."""
        _route_handlers(self._terminal, self._above, _Above(self._above))


class _Above(io.TextIOBase):
    """A stream into rich's proxy that a rich Console does not see through (it would write past the bar)."""

    def __init__(self, proxy: IO[str]) -> None:
        self._proxy = proxy

    def write(self, text: str) -> int:
        return self._proxy.write(text)

    def flush(self) -> None:
        self._proxy.flush()

    def isatty(self) -> bool:
        return True


def _route_handlers(old: IO[str], new: IO[str], new_console_file: IO[str]) -> None:
    """Point the logging handlers that write to `old` at `new`: stream handlers, and rich consoles such as
    Prefect's console handler's (whose Console would write to the terminal past a proxy)."""
    if old is new:
        return
    loggers = [logging.getLogger(), *(logger for logger in logging.Logger.manager.loggerDict.values()
                                      if isinstance(logger, logging.Logger))]
    for handler in {h for logger in loggers for h in logger.handlers}:
        if isinstance(handler, logging.StreamHandler) and handler.stream in (old, new):
            handler.setStream(new)
            console = getattr(handler, "console", None)  # prefect.logging.handlers.PrefectConsoleHandler
            if console is not None and hasattr(console, "file"):
                console.file = new_console_file


@contextmanager
def run_progress(total: int) -> Iterator[RunProgress]:
    """A run's progress for the block: a bar when stderr is a terminal, else a log line per stage and every
    LOG_EVERY_S seconds."""
    if not sys.stderr.isatty():
        yield _Lines(total)
        return
    bar = _Bar(total)
    with bar.live():
        yield bar
