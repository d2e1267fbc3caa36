"""GX validation of a run: in a process of its own when the run has several chunks, else in the flow's process.

| the run                  | where GX runs                                                                        |
|--------------------------|--------------------------------------------------------------------------------------|
| more than one chunk      | a validation process, started with the run: it imports GX while this process starts   |
|                          | Prefect and waits for extraction, then validates chunk k while chunk k-1 loads here   |
| one chunk (most nights)  | this process (`InProcessValidation`): nothing to overlap, and a long-lived process    |
|                          | (tests, a served deployment) imports GX once, not once per run                        |

Either way the validator holds the run's GX context (its Data Docs results) until `build_data_docs`.

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


class InProcessValidation:
    """The run's validator in this process, with ValidationProcess's interface (futures already done)."""

    def __init__(self, gx_dir: Path, run_name: str) -> None:
        from expectations.validate import Validator

        self._validator = Validator(gx_dir, run_name=run_name)

    def submit(self, table: str, frame: pd.DataFrame, id_column: str) -> Future[ValidationOutcome]:
        """Validate `frame` now; the outcome as a finished future."""
        done: Future[ValidationOutcome] = Future()
        try:
            done.set_result(self._validator.validate(table, frame, id_column))
        except Exception as e:  # raised by .result(), as from the validation process
            done.set_exception(e)
        return done

    def validate(self, table: str, frame: pd.DataFrame, id_column: str) -> ValidationOutcome:
        """Validate and return the outcome."""
        return self._validator.validate(table, frame, id_column)

    def build_data_docs(self) -> Path:
        """Store the run's results and render the Data Docs site; returns its index.html."""
        return self._validator.build_data_docs()

    def close(self) -> None:
        """Nothing to stop."""

    def __enter__(self) -> InProcessValidation:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def validates_in_process(planned_documents: int, chunk_documents: int) -> bool:
    """True when the run fits one chunk, so GX runs in the flow's process (the table above)."""
    return planned_documents <= chunk_documents


def run_validation(gx_dir: Path, run_name: str, planned_documents: int, chunk_documents: int) -> RunValidator:
    """The run's validator, where the table above puts it."""
    if validates_in_process(planned_documents, chunk_documents):
        return InProcessValidation(gx_dir, run_name)
    return ValidationProcess(gx_dir, run_name)


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


RunValidator = ValidationProcess | InProcessValidation
