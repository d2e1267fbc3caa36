"""Which id each document of a run gets: its content's, unless another current file already holds that content."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pandas as pd

from flows.settings import Settings
from transforms.documents import document_id_for
from warehouse import db, state

if TYPE_CHECKING:
    from flows.chunks import Chunk


class DocumentIdentity:
    """Assigns document ids chunk by chunk, remembering what the run has already claimed.

    | document                                              | id                                   |
    | ----------------------------------------------------- | ------------------------------------ |
    | re-extracted from stored text                         | its stored id (ids never change)     |
    | content held by no current document, or by this file  | content id (the loader replaces it)  |
    | content held by another current file, or by an        | content id + its own path (a copy:   |
    | earlier file of this run                              | both load, flagged as duplicates)    |
    | content of a retired document                         | content id (the document comes back) |
    """

    def __init__(self, settings: Settings, stale: pd.DataFrame) -> None:
        self.settings = settings
        self.stored = {(str(r.source_file), str(r.part or "")): str(r.document_id)
                       for r in stale.itertuples(index=False)}
        self.claimed: dict[str, str] = {}

    def assign(self, chunk: Chunk) -> Chunk:
        """Set the ids of a chunk's documents in place; return the chunk."""
        for d in chunk.reprocessed:
            d.document_id = self.stored.get((d.source_file, d.part), d.document_id)
            self.claimed[d.document_id] = d.source_file
        fresh = [d for r in chunk.results for d in r.documents]
        if not fresh:
            return chunk
        with db.connect(self.settings.warehouse, timeout_s=self.settings.lock_timeout_s) as con:
            holders = state.document_holders(con, [d.document_id for d in fresh])
        for d in fresh:
            holder = self.claimed.get(d.document_id) or holders.get(d.document_id)
            if holder is not None and holder != d.source_file:
                d.document_id = document_id_for(d.content_hash, d.part, d.source_file)
            self.claimed[d.document_id] = d.source_file
        return chunk

    def stream(self, chunks: Iterator[Chunk]) -> Iterator[Chunk]:
        """The chunks with their documents' ids assigned."""
        for chunk in chunks:
            yield self.assign(chunk)
