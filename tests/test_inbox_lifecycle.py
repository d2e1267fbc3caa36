"""The inbox's history through the real flow: a renamed file is a move, a deleted file is retired (kept as history)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.ingest import ingest

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_server")]


def _rows(wh: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _figures_of(wh: Path, source_file: str) -> list[tuple]:
    return _rows(wh, "select document_id, figure_id from figures where source_file = ? order by all", [source_file])


def test_a_renamed_file_is_moved_and_a_deleted_file_retired_until_it_comes_back(sample_inbox: Path,
                                                                                 tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    ingest(inbox=str(sample_inbox), warehouse=str(wh))
    renamed, deleted, kept = sorted(p.name for p in sample_inbox.iterdir())[:3]
    renamed_figures, deleted_figures = _figures_of(wh, renamed), _figures_of(wh, deleted)
    assert renamed_figures and deleted_figures
    (sample_inbox / "2024").mkdir()
    (sample_inbox / renamed).rename(sample_inbox / "2024" / renamed)
    deleted_bytes = (sample_inbox / deleted).read_bytes()
    (sample_inbox / deleted).unlink()

    run = ingest(inbox=str(sample_inbox), warehouse=str(wh))
    assert (run.counts["files_moved"], run.counts["files_retired"], run.counts["documents_loaded"]) == (1, 1, 0)
    assert sorted(_rows(wh, "select source_file, outcome, reason from run_files where run_id = ? and outcome <> "
                            "'skipped'", [run.run_id])) == [
        (deleted, "retired", "no longer in the inbox: 1 document(s) retired"),
        (f"2024/{renamed}", "moved", f"renamed from {renamed}")]
    assert _figures_of(wh, f"2024/{renamed}") == renamed_figures  # loaded once, same document and figure ids
    assert _figures_of(wh, renamed) == [] and _rows(wh, "select count(*) from documents where source_file = ?",
                                                    [renamed]) == [(0,)]
    assert _figures_of(wh, deleted) == []  # out of the views ...
    assert _rows(wh, "select count(*), any_value(d.retired_run_id) from figure_rows f join documents d "
                     "using (document_id) where f.source_file = ?", [deleted]) == [(len(deleted_figures), run.run_id)]
    assert _rows(wh, "select count(*) from source_files where source_file = ?", [deleted]) == [(0,)]

    again = ingest(inbox=str(sample_inbox), warehouse=str(wh))  # nothing changed: nothing moves or retires twice
    assert (again.counts["files_moved"], again.counts["files_retired"], again.counts["files_skipped"]) == (0, 0, 4)

    (sample_inbox / kept).unlink()
    (sample_inbox / deleted).write_bytes(deleted_bytes)
    back = ingest(inbox=str(sample_inbox), warehouse=str(wh), keep_missing=True)
    assert (back.counts["files_loaded"], back.counts["files_retired"]) == (1, 0)
    assert _figures_of(wh, deleted) == deleted_figures  # the same document comes back under its id
    assert _figures_of(wh, kept)  # --keep-missing: still in the views
    assert _rows(wh, "select outcome, reason from run_files where run_id = ? and source_file = ?",
                 [back.run_id, kept]) == [("skipped", "not in the inbox; kept loaded (--keep-missing)")]
