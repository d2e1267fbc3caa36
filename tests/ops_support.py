"""Operational-test support (a pytest plugin): a real Prefect server, a generated inbox, `mubiao` subprocesses and
warehouse snapshots to compare runs by.

Test modules load it with `pytest_plugins = ["ops_support"]` so its session fixtures are shared between them.
"""
from __future__ import annotations

import functools
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds" / "reports"
INBOX_FILES = 160
SERVER_START_TIMEOUT_S = 90.0
RUN_TIMEOUT_S = 240.0
# Prefect logs when a task finishes, not when it starts: a chunk's load starts when its validation has finished.
LOAD_STARTS = re.compile(r"Task run 'validate-\d+' - Finished")
# More than any bookkeeping write; less than one document with its text and figures.
COMMITTED_DOCUMENTS_WAL_BYTES = 32 * 1024


def make_inbox(inbox: Path, n: int = INBOX_FILES, seed: int = 20240601) -> Path:
    """n distinct report files: the sample reports' lines shuffled by a seeded RNG, each under a unique header line."""
    inbox.mkdir(parents=True, exist_ok=True)
    samples = [p.read_text(encoding="utf-8").splitlines() for p in sorted(SEEDS.iterdir())]
    rng = random.Random(seed)
    for i in range(n):
        lines = list(samples[i % len(samples)])
        rng.shuffle(lines)
        text = "\n".join([f"第{i:04d}号汇编材料", *lines, ""])
        (inbox / f"report_{i:04d}.txt").write_text(text, encoding="utf-8")
    return inbox


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_healthy(api_url: str) -> bool:
    """Whether a Prefect API answers its health check."""
    try:
        with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def wal_size(warehouse: Path) -> int:
    """Bytes in the warehouse's DuckDB write-ahead log (0 when there is none): it grows with every commit."""
    try:
        return warehouse.with_name(warehouse.name + ".wal").stat().st_size
    except FileNotFoundError:
        return 0


@dataclass
class Proc:
    """A subprocess in its own process group, its stdout and stderr together in a log file."""

    popen: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        """The process id (also its process-group id)."""
        return self.popen.pid

    def output(self) -> str:
        """Everything it printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, pattern: re.Pattern[str], timeout_s: float) -> None:
        """Wait until the output matches pattern; fail with the output tail if the process ends or time runs out."""
        deadline = time.monotonic() + timeout_s
        while not pattern.search(self.output()):
            if self.popen.poll() is not None:
                pytest.fail(f"{self.log.name} exited {self.popen.returncode} before /{pattern.pattern}/:\n"
                            f"{self.tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no /{pattern.pattern}/ from {self.log.name} within {timeout_s:.0f} s:\n{self.tail()}")
            time.sleep(0.02)

    def finish(self, timeout_s: float = RUN_TIMEOUT_S) -> int:
        """Wait for the process to end and return its exit code."""
        try:
            return self.popen.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"{self.log.name} did not finish within {timeout_s:.0f} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL the whole process group (the run and any extraction workers), as a crash would."""
        self.signal_group(signal.SIGKILL)
        self.popen.wait(timeout=30)

    def signal_group(self, sig: signal.Signals) -> None:
        """Send a signal to every process left in its group (the id stays reserved while the group has members)."""
        try:
            os.killpg(self.popen.pid, sig)
        except ProcessLookupError:
            pass

    def group_alive(self) -> bool:
        """Whether any process of its group is still running (a zombie leader not counted)."""
        self.popen.poll()
        try:
            os.killpg(self.popen.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def tail(self, lines: int = 40) -> str:
        """The last lines of its output."""
        return "\n".join(self.output().splitlines()[-lines:])


def lock_holders(path: Path) -> set[int]:
    """PIDs holding a POSIX lock on a file (DuckDB locks its database file so), read from /proc/locks."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return set()
    key = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    fields = (line.split() for line in Path("/proc/locks").read_text().splitlines())
    return {int(f[f.index("POSIX") + 3]) for f in fields if "POSIX" in f and key in f}


def wait_until_locked_by(path: Path, proc: Proc, timeout_s: float) -> None:
    """Wait until proc holds the lock on the file; fail if it ends or time runs out first."""
    deadline = time.monotonic() + timeout_s
    while proc.pid not in lock_holders(path):
        if proc.popen.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{proc.log.name} never held {path.name}:\n{proc.tail()}")
        time.sleep(0.002)


def wait_for_load_writes(warehouse: Path, proc: Proc, timeout_s: float) -> None:
    """Return once the write-ahead log grew by a batch's worth of rows, the process ended or time is up."""
    before = wal_size(warehouse)
    deadline = time.monotonic() + timeout_s
    while proc.popen.poll() is None and time.monotonic() < deadline:
        if wal_size(warehouse) >= before + COMMITTED_DOCUMENTS_WAL_BYTES:
            return
        time.sleep(0.002)


def first_to_print(procs: Sequence[Proc], pattern: re.Pattern[str], timeout_s: float) -> Proc:
    """The first of several processes whose output matches pattern; fail if one ends or time runs out first."""
    deadline = time.monotonic() + timeout_s
    while True:
        if matched := [p for p in procs if pattern.search(p.output())]:
            return matched[0]
        if ended := [p for p in procs if p.popen.poll() is not None]:
            pytest.fail(f"{ended[0].log.name} exited {ended[0].popen.returncode} before /{pattern.pattern}/:\n"
                        f"{ended[0].tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no /{pattern.pattern}/ within {timeout_s:.0f} s")
        time.sleep(0.02)


def start(args: Sequence[str], env: dict[str, str], log: Path) -> Proc:
    """Start `python <args>` in the project directory, in a new process group, output to log."""
    with log.open("wb") as out:
        popen = subprocess.Popen([sys.executable, *args], cwd=PROJECT, env=env, stdout=out,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    return Proc(popen, log)


def start_mubiao(args: Sequence[str], env: dict[str, str], log: Path) -> Proc:
    """Start the `mubiao` CLI (python -m flows.cli) with args."""
    return start(["-m", "flows.cli", *args], env, log)


def run_mubiao(inbox: Path, warehouse: Path, env: dict[str, str], log: Path) -> Proc:
    """Run one `mubiao run` to completion and check it succeeded without a traceback."""
    proc = start_mubiao(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)], env, log)
    assert proc.finish() == 0, proc.tail()
    assert "Traceback" not in proc.output(), proc.tail(80)
    return proc


def query(warehouse: Path, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    """Rows of a query on a read-only connection."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


SNAPSHOT_QUERIES = {
    "figures": """SELECT document_id, figure_id, kind, metric_code, value_low, value_high, unit, comparator,
                         period_year, released, warnings FROM figures ORDER BY ALL""",
    "documents": """SELECT document_id, source_file, part, content_hash, title, region_code, report_year,
                           doc_type FROM documents ORDER BY ALL""",
    "source_files": """SELECT source_file, file_hash, size_bytes, outcome, reason, document_count
                       FROM source_files ORDER BY ALL""",
    "qualitative_targets": "SELECT qualitative_id, document_id FROM qualitative_targets ORDER BY ALL",
    "document_findings": "SELECT document_id, check_name, severity FROM document_findings ORDER BY ALL",
    "open_quarantine": """SELECT level, source_file, document_id, figure_id, failed_check FROM quarantine
                          WHERE status = 'open' ORDER BY ALL""",
}


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """What a warehouse holds, without run ids and timestamps, so two warehouses can be compared."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {name: [_hashable(row) for row in con.execute(sql).fetchall()] for name, sql in SNAPSHOT_QUERIES.items()}


def _hashable(row: tuple) -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v for v in row)


def assert_no_duplicates(warehouse: Path) -> None:
    """Every figure, document and qualitative row is there once."""
    dupes = query(warehouse, """
        SELECT 'figure_rows', count(*) - count(DISTINCT (document_id, figure_id)) FROM figure_rows
        UNION ALL SELECT 'documents', count(*) - count(DISTINCT document_id) FROM documents
        UNION ALL SELECT 'qualitative_targets', count(*) - count(DISTINCT (document_id, qualitative_id))
                  FROM qualitative_targets""")
    assert all(n == 0 for _, n in dupes), dupes


def assert_same_warehouse(actual: Path, expected: dict[str, list[tuple]]) -> None:
    """A warehouse holds exactly the expected snapshot (compared table by table for readable failures)."""
    got = snapshot(actual)
    for name, rows in expected.items():
        missing, extra = sorted(set(rows) - set(got[name])), sorted(set(got[name]) - set(rows))
        assert (len(got[name]), missing[:3], extra[:3]) == (len(rows), [], []), name


def base_env(tmp: Path) -> dict[str, str]:
    """The environment for project subprocesses: telemetry off, an isolated PREFECT_HOME, no inherited MUBIAO_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUBIAO_", "PREFECT_"))}
    home = tmp / "prefect_home"
    home.mkdir(parents=True, exist_ok=True)
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_UI_ENABLED="false", PYTHONUNBUFFERED="1")
    return env


@pytest.fixture(scope="session")
def ops_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Environment for `mubiao run` subprocesses, pointing at one real `prefect server start` for the session."""
    tmp = tmp_path_factory.mktemp("prefect_server")
    env = base_env(tmp)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    server = start(["-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)], env,
                   tmp / "server.log")
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not api_healthy(api_url):
            if server.popen.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"prefect server did not start:\n{server.tail()}")
            time.sleep(0.25)
        yield {**env, "PREFECT_API_URL": api_url, "MUBIAO_LOCK_TIMEOUT": str(RUN_TIMEOUT_S), "MUBIAO_WORKERS": "1"}
    finally:
        server.signal_group(signal.SIGTERM)
        try:
            server.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


class Reference:
    """A generated inbox and the warehouse one uninterrupted run makes of it, run alongside the tests that need it."""

    def __init__(self, inbox: Path, warehouse: Path, run: Proc) -> None:
        self.inbox, self.warehouse, self.run = inbox, warehouse, run

    @functools.cached_property
    def snapshot(self) -> dict[str, list[tuple]]:
        """The reference warehouse's contents, once its run has succeeded."""
        assert self.run.finish() == 0, self.run.tail()
        assert "Traceback" not in self.run.output(), self.run.tail(80)
        assert query(self.warehouse, "SELECT count(*) FROM source_files WHERE outcome = 'loaded'") == [(INBOX_FILES,)]
        assert_no_duplicates(self.warehouse)
        return snapshot(self.warehouse)


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory, ops_env: dict[str, str]) -> Iterator[Reference]:
    """INBOX_FILES generated reports, and one uninterrupted `mubiao run` of them started in the background."""
    tmp = tmp_path_factory.mktemp("reference")
    inbox = make_inbox(tmp / "inbox")
    warehouse = tmp / "w.duckdb"
    run = start_mubiao(["run", "--inbox", str(inbox), "--warehouse", str(warehouse)], ops_env, tmp / "run.log")
    try:
        yield Reference(inbox, warehouse, run)
    finally:
        run.kill()
