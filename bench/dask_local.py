"""Extraction on a local Dask cluster against local worker processes, over N generated reports.

usage: python bench/dask_local.py [--docs 300] [--chars 20000] [--workers 2] [--chunk 20]

Both sides start cold: the local pool spawns its processes inside the timing, the Dask workers (started before
the timing, like the Prefect API) import the project and load the dictionaries on their first chunk.
Extraction only, no loading.
A second Dask pass on the now warm workers shows the steady state.
The last line is `local_docs_per_s=… local_chars_per_s=… dask_docs_per_s=… dask_chars_per_s=… …`.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from flows.settings import quiet_prefect_defaults  # noqa: E402

quiet_prefect_defaults()
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")  # inherited by the local Dask workers
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from scale import generate  # noqa: E402

from flows.distributed import extract_on_dask  # noqa: E402
from flows.inbox import InboxFile, discover  # noqa: E402
from flows.processing import FileResult, process_files  # noqa: E402

MAX_BYTES = 50 * 2**20


def figures(results: list[FileResult]) -> int:
    """Figures found over every document of every file."""
    return sum(len(d.extraction.figures) for r in results for d in r.documents)


@task(cache_policy=NO_CACHE)
def extract_task(address: str, files: list[InboxFile], chunk_files: int) -> list[FileResult]:
    """Extract on the cluster from inside a task, as the ingest flow does."""
    with extract_on_dask(address, files, MAX_BYTES, chunk_files) as results:
        return list(results)


@flow(validate_parameters=False)
def dask_extraction(address: str, files: list[InboxFile], chunk_files: int) -> list[FileResult]:
    """A flow run around the extraction task."""
    return extract_task(address, files, chunk_files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--chars", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=20, help="files per Dask task")
    a = ap.parse_args()

    from distributed import LocalCluster
    from prefect.client.orchestration import get_client

    work = Path(tempfile.mkdtemp(prefix="mubiao-dask-bench-"))
    try:
        inbox = work / "inbox"
        inbox.mkdir()
        total_chars = generate(inbox, a.docs, a.chars)
        files = discover(inbox)
        print(f"generated {a.docs} reports, {total_chars:,} chars", flush=True)

        t0 = time.perf_counter()
        local = list(process_files(files, MAX_BYTES, a.workers))
        t_local = time.perf_counter() - t0
        print(f"local ({a.workers} processes): {t_local:.1f} s, {figures(local)} figures", flush=True)

        t0 = time.perf_counter()
        with get_client(sync_client=True) as client:  # the temporary Prefect API a flow run would already have
            client.hello()
        t_api = time.perf_counter() - t0
        t0 = time.perf_counter()
        with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            t_cluster = time.perf_counter() - t0
            t0 = time.perf_counter()
            remote = dask_extraction(cluster.scheduler_address, files, a.chunk)
            t_dask = time.perf_counter() - t0
            t0 = time.perf_counter()
            dask_extraction(cluster.scheduler_address, files, a.chunk)
            t_warm = time.perf_counter() - t0
        print(f"dask ({a.workers} workers, {a.chunk} files per task): {t_dask:.1f} s, {figures(remote)} figures "
              f"(Prefect API start {t_api:.1f} s and cluster start {t_cluster:.1f} s not timed); "
              f"again on warm workers: {t_warm:.1f} s", flush=True)
        if [(r.file.name, r.error) for r in remote] != [(r.file.name, r.error) for r in local] \
                or figures(remote) != figures(local):
            raise SystemExit("dask and local extraction disagree")
        print(f"local_docs_per_s={a.docs / t_local:.2f} local_chars_per_s={total_chars / t_local:,.0f} "
              f"dask_docs_per_s={a.docs / t_dask:.2f} dask_chars_per_s={total_chars / t_dask:,.0f} "
              f"dask_warm_docs_per_s={a.docs / t_warm:.2f} local_s={t_local:.1f} dask_s={t_dask:.1f} dask_warm_s={t_warm:.1f} docs={a.docs} workers={a.workers} chunk={a.chunk}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
