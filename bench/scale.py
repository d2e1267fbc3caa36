"""Scale benchmark on real report text: N reports built from tests/data/corpus, `mubiao run` timed from outside.

usage: python bench/scale.py [--docs 2000] [--noisy] [--workers 2] [--chunk 250] [--keep DIR] [--reprocess]

Each generated report is one whole real report of the corpus (national-*, district-*; with --noisy also the
noisy-* web scrapes) under a title and congress line naming a region from the gazetteer, so figure density,
sections and cues are those of real reports and regions/years vary as in a real archive. In one sitting it
times, as wall clock of whole processes (imports, Prefect server start and shutdown included):
- `mubiao run` on the fresh inbox, against clean + extract of the same text on one core in one process (timed
  before the runs and after them, and averaged: the machine's speed drifts while the runs take their minutes);
- `mubiao run` again with nothing changed, against `python -c "import pandas, duckdb"`;
and samples the resident memory of the run's whole process tree (flow, workers, temporary Prefect server)
every 0.1 s. The last lines are key=value pairs with the ratios.
"""
from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"
sys.path.insert(0, str(ROOT))

EXTRACT_1CORE = """
import sys, time
from pathlib import Path
from transforms.models import RawDocument
from transforms.pipeline import process_document
from transforms.read import read_document
from transforms.reference import default_reference
raws = [r for p in sorted(Path(sys.argv[1]).iterdir()) for r in read_document(p.name, p.read_bytes())]
ref = default_reference()
process_document(raws[0], ref)  # per-process caches (regexes, the tagger's dictionary) outside the timing
t0 = time.perf_counter()
figures = sum(len(process_document(raw, ref).extraction.figures) for raw in raws)
print(time.perf_counter() - t0, figures)
"""


def corpus(noisy: bool) -> list[tuple[str, int]]:
    """(text, report year) of the corpus reports used."""
    with (CORPUS / "MANIFEST.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    keep = ("national-", "district-", "noisy-") if noisy else ("national-", "district-")
    return [((CORPUS / r["file"]).read_text(encoding="utf-8"), int(r["year"]))
            for r in rows if r["file"].startswith(keep)]


def regions() -> list[str]:
    """Names of the gazetteer's regions."""
    with (ROOT / "seeds" / "reference" / "regions.csv").open(encoding="utf-8") as f:
        return [r["name"] for r in csv.DictReader(f)]


def generate(inbox: Path, docs: int, noisy: bool) -> int:
    """Write `docs` distinct reports, each one whole corpus report for a gazetteer region; return chars written."""
    texts, names = corpus(noisy), regions()
    total = 0
    for i in range(docs):
        body, year = texts[i % len(texts)]
        region = names[i % len(names)]
        text = (f"{region}{year}年政府工作报告\n"
                f"——{year}年1月{10 + i % 20}日在{region}第十届人民代表大会第{1 + i % 5}次会议上\n{body}")
        (inbox / f"report_{i:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def role(proc: psutil.Process, root: int) -> str:
    """'flow' for the run's own process, 'server' for the temporary Prefect server, 'worker' for the rest."""
    if proc.pid == root:
        return "flow"
    try:
        command = " ".join(proc.cmdline())
    except psutil.Error:
        return "worker"
    return "server" if "prefect" in command or "uvicorn" in command else "worker"


class TreeMemory:
    """Samples the resident memory of a process and all its descendants: the largest sum, and per role the
    largest single process."""

    def __init__(self, pid: int, every_s: float = 0.1) -> None:
        self.peak_total_mb = 0.0
        self.peak_mb = {"flow": 0.0, "worker": 0.0, "server": 0.0}
        self._pid = pid
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        try:
            root = psutil.Process(self._pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0.0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:  # the run ended
                return
            for proc in procs:
                try:
                    mb = proc.memory_info().rss / 2**20
                except psutil.Error:  # ended between listing and reading
                    continue
                total += mb
                kind = role(proc, self._pid)
                self.peak_mb[kind] = max(self.peak_mb[kind], mb)
            self.peak_total_mb = max(self.peak_total_mb, total)
            self._stop.wait(self._every_s)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _env(chunk: int | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # a plain run: no server around
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    env["PYTHONPATH"] = str(ROOT)
    if chunk:
        env["MUBIAO_CHUNK_DOCS"] = str(chunk)
    return env


def mubiao_command() -> list[str]:
    """The installed `mubiao` beside this Python, else the CLI module."""
    script = Path(sys.executable).with_name("mubiao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flows.cli"]


def timed_run(args: list[str], env: dict[str, str], log: Path) -> tuple[float, TreeMemory, str]:
    """Wall clock and memory of one `mubiao run` process tree; its last output line."""
    t0 = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen([*mubiao_command(), "run", *args], stdout=out, stderr=subprocess.STDOUT, env=env)
        with TreeMemory(proc.pid) as tree:
            code = proc.wait()
    elapsed = time.perf_counter() - t0
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    if code:
        sys.exit(f"mubiao run failed ({code}); log {log}:\n" + "\n".join(lines[-20:]))
    summary = next((line for line in lines if line.startswith("run ")), lines[-1] if lines else "")
    return elapsed, tree, summary


def import_time(env: dict[str, str], repeat: int = 3) -> float:
    """Median wall clock of `python -c "import pandas, duckdb"`."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pandas, duckdb"], check=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def extract_one_core(inbox: Path, env: dict[str, str]) -> tuple[float, int]:
    """Seconds of clean + extract (metadata included) of every inbox file in one process, and figures found."""
    out = subprocess.run([sys.executable, "-c", EXTRACT_1CORE, str(inbox)], check=True, env=env,
                         capture_output=True, text=True).stdout.split()
    return float(out[0]), int(out[1])


def _memory(tree: TreeMemory) -> str:
    return (f"peak_flow_mb={tree.peak_mb['flow']:.0f} peak_worker_mb={tree.peak_mb['worker']:.0f} "
            f"peak_server_mb={tree.peak_mb['server']:.0f} peak_all_processes_mb={tree.peak_total_mb:.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--noisy", action="store_true", help="also use the noisy-* web scrapes of the corpus")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, help="documents per chunk (MUBIAO_CHUNK_DOCS; default: the flow's)")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it (inbox, warehouse, logs)")
    ap.add_argument("--reprocess", action="store_true",
                    help="also time a third run that re-extracts every stored document (as after a rules change)")
    a = ap.parse_args()

    work = a.keep or Path(tempfile.mkdtemp(prefix="mubiao-bench-"))
    inbox, wh = work / "inbox", work / "bench.duckdb"
    shutil.rmtree(inbox, ignore_errors=True)
    shutil.rmtree(work / "bench_dq", ignore_errors=True)
    for stale in (wh, wh.with_name(wh.name + ".wal")):
        stale.unlink(missing_ok=True)
    inbox.mkdir(parents=True)
    total_chars = generate(inbox, a.docs, a.noisy)
    print(f"generated {a.docs} reports, {total_chars:,} chars in {inbox}", flush=True)
    env = _env(a.chunk)
    run_args = ["--inbox", str(inbox), "--warehouse", str(wh), "--workers", str(a.workers)]

    t_import_before = import_time(env)
    t_extract_before, figures = extract_one_core(inbox, env)
    print(f"clean + extract, one core: {t_extract_before:.1f} s, {figures:,} figures "
          f"({total_chars / t_extract_before:,.0f} chars/s)", flush=True)
    t_first, first_mem, first = timed_run(run_args, env, work / "first.log")
    print(f"first run:  {t_first:7.1f} s  {first}", flush=True)
    t_second, second_mem, second = timed_run(run_args, env, work / "rerun.log")
    print(f"re-run:     {t_second:7.1f} s  {second}", flush=True)
    t_import = statistics.mean([t_import_before, import_time(env)])
    t_extract_after, _ = extract_one_core(inbox, env)
    print(f"clean + extract, one core, again: {t_extract_after:.1f} s", flush=True)
    t_extract = statistics.mean([t_extract_before, t_extract_after])  # the references bracket the runs in time
    if a.reprocess:
        t_third, third_mem, third = timed_run([*run_args, "--reprocess"], env, work / "reprocess.log")
        print(f"reprocess:  {t_third:7.1f} s  {third}  {_memory(third_mem)}")

    print(f"docs={a.docs} chars={total_chars} figures_1core={figures} workers={a.workers} cpus={os.cpu_count()}")
    print(f"full_run_s={t_first:.1f} extract_1core_s={t_extract:.1f} "
          f"extract_1core_before_s={t_extract_before:.1f} extract_1core_after_s={t_extract_after:.1f} "
          f"ratio_run_to_extract_1core={t_first / t_extract:.2f} {_memory(first_mem)}")
    print(f"unchanged_rerun_s={t_second:.2f} import_pandas_duckdb_s={t_import:.2f} "
          f"ratio_rerun_to_import={t_second / t_import:.2f} {_memory(second_mem)}")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
