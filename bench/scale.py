"""Scale benchmark: generate N distinct reports from the samples, ingest them, then re-run unchanged.

usage: python bench/scale.py [--docs 2000] [--chars 20000] [--workers 2] [--chunk 250] [--keep DIR] [--reprocess]

Prints documents/s, chars/s, the unchanged re-run time and peak resident memory: of the flow process, of the largest
extraction worker, of the temporary Prefect server, and of all of them together (sampled every 0.1 s).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.settings import quiet_prefect_defaults  # noqa: E402

quiet_prefect_defaults()


def samples() -> list[str]:
    """The texts of the sample reports."""
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "reports").iterdir())]


def generate(inbox: Path, docs: int, chars: int) -> int:
    """Write `docs` distinct reports of about `chars` characters from whole sample documents; return chars written.

    Whole documents (not shuffled lines) keep the sections, years and cues of real reports, so kinds, periods
    and data-quality findings occur at realistic rates.
    """
    texts = samples()
    total = 0
    for i in range(docs):
        parts, size, k = [f"报告编号{i}"], 0, i
        while size < chars:
            for line in texts[k % len(texts)].splitlines():  # whole documents, the last one cut at a line
                parts.append(line)
                size += len(line) + 1
                if size >= chars:
                    break
            k += 1
        text = "\n".join(parts)
        (inbox / f"report_{i:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def role(proc: psutil.Process, me: int) -> str:
    """'flow' for this process, 'server' for the temporary Prefect server, 'worker' for the rest."""
    if proc.pid == me:
        return "flow"
    try:
        command = " ".join(proc.cmdline())
    except psutil.Error:
        return "worker"
    return "server" if "prefect" in command or "uvicorn" in command else "worker"


class TreeMemory:
    """Samples the resident memory of this process and all its descendants: the largest sum, and per role the
    largest single process."""

    def __init__(self, every_s: float = 0.1) -> None:
        self.peak_total_mb = 0.0
        self.peak_mb = {"flow": 0.0, "worker": 0.0, "server": 0.0}
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            total = 0.0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    mb = proc.memory_info().rss / 2**20
                except psutil.Error:  # ended between listing and reading
                    continue
                total += mb
                kind = role(proc, me.pid)
                self.peak_mb[kind] = max(self.peak_mb[kind], mb)
            self.peak_total_mb = max(self.peak_total_mb, total)
            self._stop.wait(self._every_s)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--chars", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, help="documents per chunk (MUBIAO_CHUNK_DOCS; default: the flow's)")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    ap.add_argument("--reprocess", action="store_true",
                    help="also time a third run that re-extracts every stored document (as after a rules change)")
    a = ap.parse_args()

    work = a.keep or Path(tempfile.mkdtemp(prefix="mubiao-bench-"))
    inbox, wh = work / "inbox", work / "bench.duckdb"
    shutil.rmtree(inbox, ignore_errors=True)
    wh.unlink(missing_ok=True)
    inbox.mkdir(parents=True)
    total_chars = generate(inbox, a.docs, a.chars)
    print(f"generated {a.docs} reports, {total_chars:,} chars in {inbox}", flush=True)

    if a.chunk:
        os.environ["MUBIAO_CHUNK_DOCS"] = str(a.chunk)
    from flows.ingest import ingest

    with TreeMemory() as tree:
        t0 = time.perf_counter()
        first = ingest(inbox=str(inbox), warehouse=str(wh), workers=a.workers)
        t_first = time.perf_counter() - t0
        t0 = time.perf_counter()
        second = ingest(inbox=str(inbox), warehouse=str(wh), workers=a.workers)
        t_second = time.perf_counter() - t0
        if a.reprocess:
            t0 = time.perf_counter()
            third = ingest(inbox=str(inbox), warehouse=str(wh), workers=a.workers, reprocess=True)
            t_third = time.perf_counter() - t0

    print(f"first run:  {t_first:7.1f} s  {first.counts}")
    print(f"re-run:     {t_second:7.1f} s  {second.counts}")
    if a.reprocess:
        print(f"reprocess:  {t_third:7.1f} s  {third.counts}")
    print(f"docs_per_s={a.docs / t_first:.1f} chars_per_s={total_chars / t_first:,.0f} "
          f"first_run_s={t_first:.1f} unchanged_rerun_s={t_second:.1f} "
          f"peak_flow_mb={max(tree.peak_mb['flow'], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024):.0f} "
          f"peak_worker_mb={tree.peak_mb['worker']:.0f} peak_server_mb={tree.peak_mb['server']:.0f} "
          f"peak_all_processes_mb={tree.peak_total_mb:.0f}")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
