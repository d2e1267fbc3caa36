"""Extraction on a local Dask cluster gives what local extraction gives, bad files included."""
from __future__ import annotations

import dataclasses
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.distributed import _api_for_workers, extract_on_dask
from flows.inbox import InboxFile, discover
from flows.processing import FileResult, process_files


SAMPLES = Path(__file__).resolve().parent.parent / "seeds" / "reports"
MAX_BYTES = 50 * 2**20


def outcome(results: list[FileResult]) -> list[tuple]:
    """Per file: its name, its error and the figures of each of its documents, as plain tuples."""
    return [(r.file.name, r.error, [(d.document_id, [dataclasses.astuple(f) for f in d.extraction.figures])
                                    for d in r.documents]) for r in results]


@task(cache_policy=NO_CACHE)
def extract_task(address: str, files: list[InboxFile]) -> list[FileResult]:
    with extract_on_dask(address, files, MAX_BYTES, chunk_files=2) as results:
        return list(results)


@flow(validate_parameters=False)
def extract_flow(address: str, files: list[InboxFile]) -> list[FileResult]:
    """The way the ingest flow calls it: from inside a task of a running flow."""
    return extract_task(address, files)


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.mark.integration
def test_dask_extraction_matches_local_and_returns_bad_files_as_errors(
        prefect_server: None, dask_address: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES, inbox)
    (inbox / "broken.pdf").write_bytes(b"this is not a pdf")
    files = discover(inbox)
    files.append(InboxFile("vanished.txt", inbox / "vanished.txt", 10, "0" * 64))
    local = list(process_files(files, MAX_BYTES, workers=1))

    with caplog.at_level(logging.WARNING, logger="mubiao"):
        remote = extract_flow(dask_address, files)

    assert not [r.message for r in caplog.records if "failed on the Dask cluster" in r.message]
    assert outcome(remote) == outcome(local)
    assert sum(len(r.documents) for r in remote) == 5
    assert sum(len(d.extraction.figures) for r in remote for d in r.documents) > 50
    errors = {r.file.name: r.error for r in remote if r.error}
    assert set(errors) == {"broken.pdf", "vanished.txt"}
    assert all(name in error for name, error in errors.items())


def test_a_temporary_server_is_shared_only_with_workers_on_this_machine() -> None:
    with temporary_settings(updates={PREFECT_API_URL: "http://prefect.example:4200/api"}):
        assert _api_for_workers("tcp://dask.example:8786") is None
    with temporary_settings(restore_defaults={PREFECT_API_URL}), \
            pytest.raises(RuntimeError, match="dask.example:8786 is on another machine.*PREFECT_API_URL"):
        _api_for_workers("tcp://dask.example:8786")


def test_no_files_need_no_cluster() -> None:
    with extract_on_dask("tcp://dask.example:8786", [], MAX_BYTES) as results:
        assert list(results) == []


@pytest.mark.integration
def test_an_unreachable_scheduler_is_named_in_one_line(prefect_server: None) -> None:
    import dask

    files = discover(SAMPLES)
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
            pytest.raises(RuntimeError, match=r"^Dask scheduler tcp://127.0.0.1:1 cannot be reached: [^\n]*$"):
        with extract_on_dask("tcp://127.0.0.1:1", files, MAX_BYTES):
            pass
