"""A run's extraction as a stream of chunks of about `chunk_documents` documents: the flow holds at most two."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field

import pandas as pd

from flows.identity import DocumentIdentity
from flows.inbox import InboxFile
from flows.processing import FileResult, process_files, reprocess_stored
from flows.progress import RunProgress
from flows.settings import Settings
from transforms.models import Extraction, RawDocument
from transforms.documents import ProcessedDocument
from warehouse import db, state


@dataclass
class Chunk:
    """Consecutive extracted files (each with all its documents) and re-extracted stored documents."""

    results: list[FileResult] = field(default_factory=list)
    reprocessed: list[ProcessedDocument] = field(default_factory=list)

    @property
    def documents(self) -> list[ProcessedDocument]:
        """Every document of the chunk, files' first."""
        return [d for r in self.results for d in r.documents] + self.reprocessed

    def release_content(self) -> None:
        """Drop the documents' texts, figures and findings once the chunk's frames hold them: loading reads only each
        document's id and file. Two chunks' texts and figure objects held to the end were ~100 MB of a run's peak."""
        for d in self.documents:
            d.text = d.raw_text = ""
            d.extraction = Extraction()
            d.findings = []

    @property
    def size(self) -> int:
        """Documents held, a file that yielded none counted as one."""
        return sum(max(1, len(r.documents)) for r in self.results) + len(self.reprocessed)


def chunked(items: Iterable[FileResult | ProcessedDocument], max_documents: int,
            total_items: int = 0) -> Iterator[Chunk]:
    """Group a stream of file results and re-extracted documents into chunks of about max_documents documents.

    A file is never split: all documents of a bundle land in one chunk, so each file's outcome is decided once.
    Each chunk is validated and loaded after it is extracted, so the chunks of a stream of `total_items` items
    shrink as its end nears, leaving little to do once the workers have finished:

    | items left, this chunk's included              | this chunk closes at                                  |
    |------------------------------------------------|-------------------------------------------------------|
    | any                                            | max_documents documents                               |
    | total_items ≤ max_documents (a one-chunk run)  | (no other limit)                                      |
    | more than 2 × max_documents, none announced,   | (no other limit)                                      |
    | or more items came than announced              |                                                       |
    | otherwise                                      | half the items left; all, if that left < max_docs // 8 |
    """
    chunk, taken, in_chunk = Chunk(), 0, 0
    limit = _item_limit(total_items, total_items, max_documents)
    for item in items:
        taken += 1
        in_chunk += 1
        if isinstance(item, FileResult):
            chunk.results.append(item)
        else:
            chunk.reprocessed.append(item)
        if chunk.size >= max_documents or in_chunk >= limit:
            yield chunk
            chunk, in_chunk = Chunk(), 0
            limit = _item_limit(total_items - taken, total_items, max_documents)
    if chunk.size:
        yield chunk


def _item_limit(left: int, total: int, max_documents: int) -> float:
    if total <= max_documents or left > 2 * max_documents or left <= 0:
        return float("inf")
    half = -(-left // 2)
    return left if left - half < max_documents // 8 else half


def stored_documents(settings: Settings, document_ids: list[str], batch: int = 64) -> Iterator[RawDocument]:
    """The documents' stored raw text as RawDocuments, read from the warehouse a batch at a time."""
    for i in range(0, len(document_ids), batch):
        with db.connect(settings.warehouse, timeout_s=settings.lock_timeout_s) as con:
            rows = state.raw_documents(con, document_ids[i:i + batch])
        for r in rows.itertuples(index=False):
            yield RawDocument(source_file=r.source_file, text=r.raw_text, fmt=r.fmt, part=r.part or "",
                              encoding=r.encoding, meta=json.loads(r.raw_meta) if r.raw_meta else {})


@contextmanager
def extraction(settings: Settings, files: list[InboxFile], stale: pd.DataFrame,
               shown: RunProgress) -> Iterator[Iterator[Chunk]]:
    """The run's chunks: new or changed files, then stale stored documents; workers live as long as the block."""
    with ExitStack() as stack:
        if settings.dask_address:
            from flows.distributed import extract_on_dask  # imports dask only when used

            file_results = stack.enter_context(extract_on_dask(settings.dask_address, files, settings.max_file_bytes))
        else:
            # workers start now and run up to half a chunk ahead: they extract while Prefect and GX start, and while
            # the flow validates one chunk and loads the one before (two chunks held: memory, not speed, sets this)
            file_results = process_files(files, settings.max_file_bytes, settings.workers,
                                         settings.chunk_documents // 2)

        def items() -> Iterator[FileResult | ProcessedDocument]:
            for result in file_results:
                shown.extracted()
                yield result
            stale_ids = [str(i) for i in stale["document_id"]]
            for document in reprocess_stored(stored_documents(settings, stale_ids), len(stale_ids), settings.workers):
                shown.extracted()
                yield document

        stack.enter_context(closing(file_results))
        chunks = stack.enter_context(closing(chunked(items(), settings.chunk_documents, len(files) + len(stale))))
        yield stack.enter_context(closing(DocumentIdentity(settings, stale).stream(chunks)))
