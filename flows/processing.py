"""Read and extract inbox files (or re-extract stored documents), in worker processes, streamed in input order."""
from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from typing import TypeVar

from transforms.models import RawDocument, ReadError
from transforms.documents import ProcessedDocument
from transforms.pipeline import process_document
from transforms.read import read_document
from transforms.reference import default_reference

from flows.inbox import InboxFile

log = logging.getLogger("mubiao")

READ_ATTEMPTS = 3
BATCH_ITEMS = 8  # items per task sent to a worker
IN_FLIGHT_PER_WORKER = 4  # batches queued per worker: both cores stay busy, the inbox is not buffered whole
WORKER_NICENESS = 5  # lower priority than the flow process

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class FileResult:
    """What became of one file: its documents, or the one-line reason it is quarantined."""

    file: InboxFile
    documents: list[ProcessedDocument] = field(default_factory=list)
    error: str | None = None


def _read_bytes(file: InboxFile) -> bytes:
    """Read a file, retrying transient OS errors with backoff; a missing file is not transient."""
    for attempt in range(1, READ_ATTEMPTS):
        try:
            return file.path.read_bytes()
        except (FileNotFoundError, PermissionError, IsADirectoryError):
            raise
        except OSError:
            time.sleep(0.2 * 2 ** attempt)
    return file.path.read_bytes()


def process_file(file: InboxFile, max_bytes: int) -> FileResult:
    """Read, clean and extract one file; never raises for bad input."""
    if file.error:
        return FileResult(file, error=file.error)
    if file.size > max_bytes:
        return FileResult(file, error=f"{file.name}: {file.size / 2**20:.1f} MB is over the size limit of "
                                      f"{max_bytes / 2**20:.0f} MB (MUBIAO_MAX_FILE_MB)")
    try:
        raws = read_document(file.name, _read_bytes(file))
    except ReadError as e:
        return FileResult(file, error=str(e))
    except OSError as e:
        return FileResult(file, error=f"{file.name}: cannot be read ({e.strerror or e})")
    ref = default_reference()
    return FileResult(file, documents=[process_document(raw, ref) for raw in raws])


def _safe_process(file: InboxFile, max_bytes: int) -> FileResult:
    try:
        return process_file(file, max_bytes)
    except Exception as e:  # an extractor bug on one file must not stop the others
        log.exception("unexpected error on %s", file.name)
        return FileResult(file, error=f"{file.name}: internal error while extracting ({type(e).__name__}: {e})")


def _safe_reprocess(raw: RawDocument) -> ProcessedDocument | str:
    try:
        return process_document(raw, default_reference())
    except Exception as e:  # the stored version stays loaded; the next run tries again
        return f"{raw.source_file}: internal error while re-extracting ({type(e).__name__}: {e})"


def _map_batch(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    return [fn(item) for item in items]


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    source = iter(items)
    while batch := list(islice(source, size)):
        yield batch


def ordered_map(fn: Callable[[T], R], items: Iterable[T], total: int, workers: int, what: str,
                ahead: int = 0) -> Iterator[R]:
    """fn over `total` items, results in input order, on `workers` spawned processes when it pays off.

    The workers start at once, before the first result is asked for, and run ahead of the consumer by at most
    `ahead` items (at least IN_FLIGHT_PER_WORKER batches per worker), so memory is bounded by that window, not by
    the number of items. If a worker dies, the rest is processed in this process. Close the iterator to stop early.
    """
    stream = _ordered_map(fn, items, total, workers, what, ahead)
    next(stream)  # runs up to the pool's start: the first window is submitted now
    return stream


def _ordered_map(fn: Callable[[T], R], items: Iterable[T], total: int, workers: int, what: str,
                 ahead: int) -> Iterator[R]:
    if workers <= 1 or total < 4:
        yield None  # type: ignore[misc]  # the start marker ordered_map consumes
        yield from map(fn, items)
        return
    size = max(1, min(BATCH_ITEMS, total // (workers * 8)))
    batches = _batches(items, size)
    window = max(workers * IN_FLIGHT_PER_WORKER, -(-ahead // size))
    queued: deque[list[T]] = deque()  # batches sent to the pool and not handed out yet, oldest first
    futures: deque[Future[list[R]]] = deque()
    ready: list[R] = []  # results received and not handed out yet
    done = 0
    try:
        # workers yield the CPU to this process: its validate-and-load is the run's critical path
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=os.nice, initargs=(WORKER_NICENESS,)) as pool:
            def send(batch: list[T]) -> None:
                queued.append(batch)
                futures.append(pool.submit(_map_batch, fn, batch))

            for batch in islice(batches, window):
                send(batch)
            yield None  # type: ignore[misc]  # the start marker ordered_map consumes
            while futures:
                ready = futures[0].result()
                futures.popleft()
                queued.popleft()
                if (batch := next(batches, None)) is not None:
                    send(batch)
                else:  # all sent: the workers exit once no batch is pending, not when the consumer reaches the end
                    pool.shutdown(wait=False)
                yield from ready
                done += len(ready)
                ready = []
    except BrokenProcessPool:
        log.warning("a worker process died after %d of %d %s; processing the rest in this process",
                    done, total, what)
        yield from ready
        yield from map(fn, chain(chain.from_iterable(queued), chain.from_iterable(batches)))


def process_files(files: Sequence[InboxFile], max_bytes: int, workers: int, ahead: int = 0) -> Iterator[FileResult]:
    """Read and extract files in input order, on `workers` processes when it pays off; never raises for bad input.

    The workers start at once and run up to `ahead` files ahead of the consumer (see ordered_map).
    """
    return ordered_map(partial(_safe_process, max_bytes=max_bytes), files, len(files), workers, "files", ahead)


def reprocess_stored(stored: Iterable[RawDocument], total: int, workers: int) -> Iterator[ProcessedDocument]:
    """Re-extract `total` documents from the raw text the warehouse stored, without the files.

    A document whose re-extraction fails keeps its stored version (logged; the next run tries again).
    """
    for outcome in ordered_map(_safe_reprocess, stored, total, workers, "stored documents"):
        if isinstance(outcome, str):
            log.warning("%s; its stored version stays loaded", outcome)
        else:
            yield outcome
