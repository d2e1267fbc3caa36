"""The CLI's one-line errors and read-only SQL (no flow run needed)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

runner = CliRunner()


def _mubiao(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_every_command_has_help() -> None:
    for cmd in ([], ["run"], ["sql"], ["metrics"], ["review"], ["review", "accept"], ["review", "reject"], ["eval"], ["serve"]):
        result = runner.invoke(app, [*cmd, "--help"])
        assert result.exit_code == 0, (cmd, result.output)
        assert "Usage" in result.output


@pytest.mark.parametrize("args, message", [
    (["run", "--inbox", "/nonexistent/inbox"], "inbox /nonexistent/inbox does not exist"),
    (["sql", "select 1", "--warehouse", "/nonexistent/w.duckdb"], "does not exist yet"),
    (["review", "--warehouse", "/nonexistent/w.duckdb"], "does not exist yet"),
    (["metrics", "--warehouse", "/nonexistent/w.duckdb"], "does not exist yet"),
])
def test_bad_paths_give_one_line_errors_without_traceback(args: list[str], message: str) -> None:
    result = _mubiao(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_unwritable_warehouse_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = _mubiao("run", "--inbox", str(tmp_path), "--warehouse", str(blocker / "w.duckdb"))
    assert result.returncode == 2
    assert "cannot create the warehouse folder" in result.stderr
    assert "Traceback" not in result.stderr
