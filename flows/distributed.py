"""Extraction on a Dask cluster: chunks of inbox files run as Prefect tasks on a DaskTaskRunner."""
from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from urllib.parse import urlparse

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect_dask import DaskTaskRunner

from flows.inbox import InboxFile
from flows.processing import FileResult, process_files

log = logging.getLogger("mubiao")

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@task(cache_policy=NO_CACHE, task_run_name="extract-chunk-{index}")
def extract_chunk(index: int, files: list[InboxFile], max_bytes: int) -> list[FileResult]:
    """Read and extract one chunk of files on a Dask worker; bad files come back as errors."""
    return list(process_files(files, max_bytes, workers=1))


def _api_for_workers(address: str) -> str | None:
    """The temporary Prefect API of this process, to share with Dask workers; None when PREFECT_API_URL is set.

    Without it every worker would start a temporary server of its own and record its task runs there.
    """
    if PREFECT_API_URL.value():
        return None
    host = urlparse(address if "://" in address else f"tcp://{address}").hostname
    if host not in LOOPBACK_HOSTS:
        raise RuntimeError(f"Dask scheduler {address} is on another machine, but this run has no Prefect server "
                           f"the workers can reach: run `prefect server start --host 0.0.0.0` and set "
                           f"PREFECT_API_URL to its address (the workers get it from the run)")
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the process-wide temporary server, started at most once
    server.start()
    return server.api_url


@contextmanager
def _outside_calling_task() -> Iterator[None]:
    """Submit as children of the flow run, not of the calling task: Prefect ships the caller's parameters
    (the whole file list) with every submitted task."""
    token = TaskRunContext.__var__.set(None)  # type: ignore[arg-type]
    try:
        yield
    finally:
        TaskRunContext.__var__.reset(token)


@contextmanager
def extract_on_dask(address: str, files: Sequence[InboxFile], max_bytes: int,
                    chunk_files: int = 20) -> Iterator[Iterator[FileResult]]:
    """Submit files to the Dask scheduler at `address`, `chunk_files` per task; yields their results in input order.

    A chunk's results stay on its worker until the iterator reaches it, so the caller holds one chunk at a time;
    the cluster connection lasts as long as the block. A chunk that fails on the cluster (e.g. its worker died
    repeatedly) is extracted here instead.
    """
    chunks = [list(files[i:i + chunk_files]) for i in range(0, len(files), chunk_files)]
    if not chunks:
        yield iter(())
        return
    api = _api_for_workers(address)
    with DaskTaskRunner(address=address) as runner:
        try:
            runner.client  # connect now, so that a wrong address fails before any work is submitted
        except OSError as e:
            raise RuntimeError(f"Dask scheduler {address} cannot be reached: {e}") from None
        with temporary_settings(updates={PREFECT_API_URL: api}) if api else nullcontext(), _outside_calling_task():
            futures = [runner.submit(extract_chunk, {"index": i, "files": chunk, "max_bytes": max_bytes})
                       for i, chunk in enumerate(chunks)]
        yield _in_order(futures, chunks, max_bytes)


def _in_order(futures: list[PrefectFuture[list[FileResult]]], chunks: list[list[InboxFile]],
              max_bytes: int) -> Iterator[FileResult]:
    for i, future in enumerate(futures):
        try:
            outcome = future.result()
        except Exception as e:  # a lost worker or a broken task run: this chunk's files are still owed
            log.warning("chunk %d (%s … %s) failed on the Dask cluster (%s: %s); extracting it here",
                        i, chunks[i][0].name, chunks[i][-1].name, type(e).__name__, e)
            outcome = list(process_files(chunks[i], max_bytes, workers=1))
        yield from outcome
