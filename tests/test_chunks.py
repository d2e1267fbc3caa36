"""Streaming a run: chunks never split a file, worker pools run a bounded window ahead and survive a dead worker."""
from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.chunks import Chunk, chunked
from flows.inbox import InboxFile
from flows.processing import BATCH_ITEMS, IN_FLIGHT_PER_WORKER, FileResult, ordered_map, reprocess_stored
from transforms.models import RawDocument
from transforms.documents import ProcessedDocument


def _doc(name: str) -> ProcessedDocument:
    return ProcessedDocument(document_id=name, source_file=name, part="", content_hash="", fmt="txt", encoding=None,
                             text="", raw_text="", raw_meta={}, meta=None, extraction=None,  # type: ignore[arg-type]
                             extractor_version="v")


def _result(name: str, documents: int) -> FileResult:
    return FileResult(InboxFile(name, Path(name), 1, "h"), documents=[_doc(f"{name}#{i}") for i in range(documents)],
                      error=None if documents else f"{name}: unreadable")


def test_chunks_hold_about_n_documents_and_never_split_a_file() -> None:
    items = [_result("a", 2), _result("bundle", 5), _result("bad", 0), _result("c", 1), _doc("stale1"), _doc("stale2")]
    chunks = list(chunked(items, 3))
    assert [[r.file.name for r in c.results] for c in chunks] == [["a", "bundle"], ["bad", "c"], []]
    assert [len(c.reprocessed) for c in chunks] == [0, 1, 1]
    assert [len(c.documents) for c in chunks] == [7, 2, 1]
    assert sum((c.results for c in chunks), []) == items[:4]


def test_the_last_chunks_of_a_run_shrink_by_halves_so_little_is_left_when_extraction_ends() -> None:
    def sizes(files: int, documents_each: int, announced: int) -> list[int]:
        stream = [_result(f"f{i}", documents_each) for i in range(files)]
        return [c.size for c in chunked(stream, 250, announced)]

    assert sizes(2000, 1, 2000) == [250] * 7 + [125, 63, 31, 31]
    assert sizes(260, 1, 260) == [130, 65, 33, 32]  # never a last chunk under 250 // 8
    assert sizes(40, 1, 40) == [40]  # a one-chunk run stays one chunk
    assert sizes(600, 1, 0) == [250, 250, 100]  # nothing announced: no shrinking
    assert sizes(40, 30, 40) == [270, 270, 270, 270, 120]  # bundles: still closed at 250 documents
    assert sizes(400, 1, 300) == [150, 75, 38, 37, 100]  # more than announced: no chunks of one item each


def test_releasing_a_chunks_content_keeps_what_loading_reads() -> None:
    from transforms.models import Extraction
    chunk = Chunk(results=[_result("a", 2)], reprocessed=[_doc("stale")])
    for d in chunk.documents:
        d.text = d.raw_text = "地区生产总值增长5%"
        d.extraction = Extraction(figures=[object()])  # type: ignore[list-item]
    chunk.release_content()
    assert [(d.document_id, d.source_file) for d in chunk.documents] == [("a#0", "a#0"), ("a#1", "a#1"),
                                                                          ("stale", "stale")]
    assert {(d.text, d.raw_text, len(d.extraction.figures), len(d.findings)) for d in chunk.documents} == {("", "", 0, 0)}


def test_validation_is_never_retried_as_it_releases_its_chunks_content() -> None:
    from flows.ingest import validate_chunk
    assert validate_chunk.retries == 0


def test_an_empty_stream_has_no_chunks() -> None:
    assert list(chunked([], 10)) == []
    assert Chunk().size == 0


def _mark(item: tuple[str, int]) -> int:
    folder, n = item
    Path(folder, str(n)).touch()
    return n * n


def test_workers_return_results_in_order_and_run_only_a_window_ahead(tmp_path: Path) -> None:
    items = [(str(tmp_path), n) for n in range(400)]
    batch = min(BATCH_ITEMS, len(items) // (2 * 8))
    drawn: list[tuple[str, int]] = []

    def source() -> Iterator[tuple[str, int]]:
        for item in items:
            drawn.append(item)
            yield item

    stream = ordered_map(_mark, source(), len(items), workers=2, what="items")
    assert next(stream) == 0
    time.sleep(1.0)  # time for the workers to run ahead as far as they are allowed
    ahead = len(list(tmp_path.iterdir()))
    assert ahead <= len(drawn) <= (2 * IN_FLIGHT_PER_WORKER + 1) * batch < len(items)
    assert [0, *stream] == [n * n for n in range(400)]
    assert len(list(tmp_path.iterdir())) == 400


def _die_on_13(n: int) -> int:
    if n == 13 and multiprocessing.parent_process() is not None:
        os._exit(1)  # a worker killed mid-file (out of memory, a crashing C library)
    return -n


def test_a_dead_worker_leaves_the_rest_to_this_process(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mubiao"):
        results = list(ordered_map(_die_on_13, range(40), 40, workers=2, what="files"))
    assert results == [-n for n in range(40)]
    assert any("a worker process died" in r.message and "of 40 files" in r.message for r in caplog.records)


def test_the_workers_exit_once_all_is_extracted_while_results_wait_for_the_consumer() -> None:
    stream = ordered_map(abs, range(-40, 0), 40, workers=2, what="items", ahead=40)  # all 40 sent at once
    assert next(stream) == 40
    deadline = time.monotonic() + 120
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []
    assert list(stream) == list(range(39, 0, -1))


def test_a_stored_document_that_fails_to_re_extract_keeps_its_version(caplog: pytest.LogCaptureFixture) -> None:
    stored = [RawDocument("good.txt", "今年地区生产总值增长5%左右。", "txt"),
              RawDocument("broken.txt", None, "txt")]  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="mubiao"):
        redone = list(reprocess_stored(stored, len(stored), workers=1))
    assert [d.source_file for d in redone] == ["good.txt"]
    assert [d.extraction.figures[0].value_low for d in redone] == [5.0]
    assert any(r.message.startswith("broken.txt: internal error while re-extracting") and "stays loaded" in r.message
               for r in caplog.records)


def test_a_chunk_loads_in_one_transaction_unless_the_batch_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.settings import settings_from_env
    monkeypatch.delenv("MUBIAO_LOAD_BATCH_DOCS", raising=False)
    monkeypatch.setenv("MUBIAO_CHUNK_DOCS", "40")
    assert settings_from_env().load_batch_documents == 40
    monkeypatch.setenv("MUBIAO_LOAD_BATCH_DOCS", "7")
    assert settings_from_env().load_batch_documents == 7
