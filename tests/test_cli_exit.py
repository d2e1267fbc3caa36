"""How the `mubiao` process ends: exit handlers and output first, then no teardown of the interpreter's objects."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

# a module-level object's __del__ runs in the interpreter's teardown, and only there
SCRIPT = textwrap.dedent("""
    import atexit, os, sys, threading, time
    sys.argv = ["mubiao", *sys.argv[1:]]

    class TornDown:
        def __del__(self):
            os.write(1, b"torn down\\n")

    kept = TornDown()
    atexit.register(lambda: print("exit handler ran"))
    if os.environ.get("BUSY_THREAD"):
        def finish():  # ends once the main thread has ended: alive whenever the command exits, however slow
            while threading.main_thread().is_alive():
                time.sleep(0.01)
            print("thread finished", flush=True)
        threading.Thread(target=finish).start()
    from flows.cli import console
    console()
""")


def _main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_a_command_runs_the_exit_handlers_flushes_its_output_and_skips_the_teardown() -> None:
    result = _main("sql", "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    assert "exit handler ran" in result.stdout
    assert "torn down" not in result.stdout


def test_a_failing_command_keeps_its_exit_code_and_its_one_line_error() -> None:
    result = _main("sql", "select 1", "--warehouse", "/nonexistent/w.duckdb")
    assert result.returncode == 2
    assert "does not exist yet" in result.stderr
    assert "exit handler ran" in result.stdout
    assert "torn down" not in result.stdout


def test_while_a_non_daemon_thread_runs_the_exit_is_the_ordinary_one_that_waits_for_it() -> None:
    result = _main("sql", "--help", env={"BUSY_THREAD": "1"})
    assert result.returncode == 0, result.stderr
    assert "thread finished" in result.stdout
    assert "torn down" in result.stdout
