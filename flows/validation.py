"""GX validation in a process of its own, so that the flow process never imports GX and does not wait for it.

The process starts with the run's first chunk and imports GX while this process starts Prefect and waits for
extraction; afterwards it validates a chunk while this process loads the previous one. It holds the run's GX
context (its Data Docs results) until `build_data_docs`.

| call in the flow               | what runs in the validation process                                      |
|--------------------------------|--------------------------------------------------------------------------|
| ValidationProcess(gx_dir, run) | spawn; import GX; install the committed suites (expectations.validate)   |
| submit(table, frame, id)       | validate the frame's named columns with the table's suites               |
| build_data_docs()              | store the run's merged results, prune old runs, render the offline site  |
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import pandas as pd

from expectations.outcome import ValidationOutcome

if TYPE_CHECKING:
    from expectations.validate import Validator

_validator: Validator | None = None  # the validation process's own


def _start(gx_dir: Path, run_name: str) -> None:
    global _validator
    from expectations.validate import Validator

    _validator = Validator(gx_dir, run_name=run_name)


def _used_columns() -> dict[str, set[str]]:
    assert _validator is not None
    return _validator.used_columns()


def _validate(table: str, frame: pd.DataFrame, id_column: str) -> ValidationOutcome:
    assert _validator is not None
    return _validator.validate(table, frame, id_column)


def _build_data_docs() -> Path:
    assert _validator is not None
    return _validator.build_data_docs()


class ValidationProcess:
    """The run's validator, in its own process; `validate` and `build_data_docs` as on expectations.Validator."""

    def __init__(self, gx_dir: Path, run_name: str) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start, initargs=(gx_dir, run_name))
        self._columns = self._pool.submit(_used_columns)  # starts the process (and GX's import) now

    def submit(self, table: str, frame: pd.DataFrame, id_column: str) -> Future[ValidationOutcome]:
        """Validate `frame` with the table's suites; only the columns they read or name in reasons are sent."""
        used = self._columns.result().get(table, set()) | {id_column}
        return self._pool.submit(_validate, table, frame[[c for c in frame.columns if c in used]], id_column)

    def validate(self, table: str, frame: pd.DataFrame, id_column: str) -> ValidationOutcome:
        """Validate and wait for the outcome."""
        return self.submit(table, frame, id_column).result()

    def build_data_docs(self) -> Path:
        """Store the run's results and render the Data Docs site; returns its index.html."""
        return self._pool.submit(_build_data_docs).result()

    def close(self) -> None:
        """Stop the process (its GX context goes with it)."""
        self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> ValidationProcess:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
