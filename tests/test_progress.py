"""A run's progress on a terminal: one bar, log lines printed above it; on a pipe: plain lines, no bar."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BAR = "━"
# a run's progress as `mubiao run` shows it: a handler bound to stderr before the bar, Prefect imported during it,
# a server process writing to stderr
SCRIPT = """
import logging
import sys
from flows.progress import run_progress

ours = logging.getLogger("mubiao")
ours.setLevel(logging.INFO)
ours.propagate = False
handler = logging.StreamHandler(sys.stderr)
handler.setFormatter(logging.Formatter("mubiao %(levelname)s: %(message)s"))
ours.addHandler(handler)
with run_progress(3) as shown:
    shown.extracted()
    ours.warning("a line from the log")
    from prefect import flow  # sets up Prefect's console handler on stderr
    shown.route_logs()
    shown.stage("loading chunk 1")
    logging.getLogger("prefect").warning("a line from prefect")
    from flows.prefect_api import start_forwarding_stderr  # how the temporary Prefect server is started
    server, its_lines = start_forwarding_stderr(
        [sys.executable, "-c", "import sys; print('a line from the server', file=sys.stderr)"], env={})
    server.wait()
    its_lines.join()
    shown.done(3)
"""


def _run(stderr_on_terminal: bool) -> str:
    """Run SCRIPT with stdout and stderr on a pseudo-terminal (or pipes); return what it wrote to stderr."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "PYTHONPATH": str(PROJECT)}
    env.pop("NO_COLOR", None), env.pop("FORCE_COLOR", None)
    if not stderr_on_terminal:
        done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=PROJECT,
                              timeout=180)
        assert done.returncode == 0, done.stderr
        return done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen([sys.executable, "-c", SCRIPT], stdin=subprocess.DEVNULL, stdout=follower,
                          stderr=follower, env=env, cwd=PROJECT) as process:
        os.close(follower)
        output = b""
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the process closed the terminal
                break
            if not data:
                break
            output += data
        assert process.wait(timeout=180) == 0, output.decode("utf-8", "replace")
    os.close(leader)
    return output.decode("utf-8", "replace")


def _screen_lines(raw: str) -> list[str]:
    """Each line as a terminal leaves it: control sequences dropped, the text after its last carriage return."""
    lines = []
    for line in raw.replace("\r\n", "\n").split("\n"):
        plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line)
        lines.append(plain.split("\r")[-1])
    return lines


def test_log_lines_print_above_the_bar_not_through_it() -> None:
    raw = _run(stderr_on_terminal=True)
    assert BAR in raw  # a bar was drawn
    lines = _screen_lines(raw)
    assert "mubiao WARNING: a line from the log" in lines
    assert "a line from the server" in lines
    prefects = [line for line in lines if "a line from prefect" in line]
    assert len(prefects) == 1 and re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3} \| WARNING \| prefect - a line from "
                                               r"prefect", prefects[0]), prefects


def test_the_bar_covers_the_stages_after_extraction() -> None:
    raw = _run(stderr_on_terminal=True)
    assert "loading chunk 1" in raw and "3/3" in raw


def test_without_a_terminal_there_is_no_bar_only_plain_lines() -> None:
    raw = _run(stderr_on_terminal=False)
    assert BAR not in raw and "\x1b[" not in raw and "\r" not in raw
    lines = raw.splitlines()
    assert "mubiao WARNING: a line from the log" in lines
    assert "mubiao INFO: loading chunk 1: 3/3 done, 1 extracted" in lines, raw
