"""Read and extract inbox files, in worker processes when there are several: one result per file."""
from __future__ import annotations

import json
import logging
import multiprocessing
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import pandas as pd

from transforms.models import RawDocument, ReadError
from transforms.pipeline import ProcessedDocument, process_document
from transforms.read import read_document
from transforms.reference import default_reference

from flows.inbox import InboxFile

log = logging.getLogger("mubiao")

READ_ATTEMPTS = 3


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
    return FileResult(file, documents=process_raw_documents(raws))


def process_raw_documents(raws: Sequence[RawDocument]) -> list[ProcessedDocument]:
    """Clean and extract already-read documents."""
    ref = default_reference()
    return [process_document(raw, ref) for raw in raws]


def reprocess_stored(stored: pd.DataFrame) -> list[ProcessedDocument]:
    """Re-extract documents from the raw text the warehouse stored (state.stale_documents rows), without the files."""
    return process_raw_documents([
        RawDocument(source_file=r.source_file, text=r.raw_text, fmt=r.fmt, part=r.part or "", encoding=r.encoding,
                    meta=json.loads(r.raw_meta) if r.raw_meta else {})
        for r in stored.itertuples(index=False)])


def _safe_process(file: InboxFile, max_bytes: int) -> FileResult:
    try:
        return process_file(file, max_bytes)
    except Exception as e:  # an extractor bug on one file must not stop the others
        log.exception("unexpected error on %s", file.name)
        return FileResult(file, error=f"{file.name}: internal error while extracting ({type(e).__name__}: {e})")


def process_files(files: Sequence[InboxFile], max_bytes: int, workers: int) -> Iterator[FileResult]:
    """Process files in input order, on `workers` processes when it pays off."""
    if workers <= 1 or len(files) < 4:
        for f in files:
            yield _safe_process(f, max_bytes)
        return
    ctx = multiprocessing.get_context("spawn")
    chunk = max(1, min(32, len(files) // (workers * 8)))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            for result in pool.map(_safe_process, files, [max_bytes] * len(files), chunksize=chunk):
                done += 1
                yield result
    except BrokenProcessPool:
        log.warning("a worker process died after %d of %d files; processing the rest in this process",
                    done, len(files))
        for f in files[done:]:
            yield _safe_process(f, max_bytes)
