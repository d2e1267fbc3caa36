"""The real Prefect flow into a temporary DuckDB warehouse, with real GX validation."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.ingest import ingest

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_server")]

SAMPLE_NAMES = sorted(p.name for p in (Path(__file__).parent.parent / "seeds" / "reports").iterdir())


def _query(wh: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _figure_ids(wh: Path) -> list[str]:
    return [r[0] for r in _query(wh, "select figure_id from figures order by figure_id")]


def test_samples_load_bad_files_are_quarantined_and_a_rerun_changes_nothing(sample_inbox: Path, tmp_path: Path) -> None:
    (sample_inbox / "empty.txt").write_bytes(b"")
    (sample_inbox / "junk.txt").write_bytes(bytes(range(256)) * 40)
    wh = tmp_path / "w.duckdb"

    first = ingest(inbox=str(sample_inbox), warehouse=str(wh))
    assert first.counts["files_seen"] == 7
    assert first.counts["files_loaded"] == 5
    assert first.counts["files_quarantined"] == 2
    kinds = dict(_query(wh, "select kind, count(*) from figures group by 1"))
    assert kinds.get("target", 0) > 0 and kinds.get("actual", 0) > 0
    assert [r[0] for r in _query(wh, "select distinct source_file from figures order by 1")] == SAMPLE_NAMES
    reasons = dict(_query(wh, "select source_file, reason from quarantine where level = 'file'"))
    assert set(reasons) == {"empty.txt", "junk.txt"}
    assert all(name in reason for name, reason in reasons.items())
    assert first.report_path is not None and first.report_path.is_file()
    assert first.data_docs_path is not None and first.data_docs_path.is_file()
    attainment_page = first.report_path.with_name(f"{first.run_id}-attainment.html")
    assert attainment_page.is_file()
    assert f'href="{attainment_page.name}"' in first.report_path.read_text(encoding="utf-8")
    ids = _figure_ids(wh)

    second = ingest(inbox=str(sample_inbox), warehouse=str(wh))
    assert second.report_path.is_file() and second.report_path != first.report_path
    assert second.counts["files_skipped"] == 7
    assert second.counts["documents_loaded"] == 0
    assert _figure_ids(wh) == ids
    outcomes = _query(wh, "select outcome, count(*) from run_files where run_id = ? group by 1", [second.run_id])
    assert dict(outcomes) == {"skipped": 7}
    # nothing changed: the re-run's report links the attainment page that still holds instead of recomputing it
    assert f'href="{attainment_page.name}"' in second.report_path.read_text(encoding="utf-8")


def test_a_changed_file_replaces_its_rows_and_leaves_the_others(sample_inbox: Path, tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    ingest(inbox=str(sample_inbox), warehouse=str(wh))
    before = dict(_query(wh, "select source_file, count(*) from figures group by 1"))
    other_ids = _query(wh, "select figure_id from figures where source_file <> ? order by 1", [SAMPLE_NAMES[2]])

    target = sample_inbox / SAMPLE_NAMES[2]
    target.write_text(target.read_text(encoding="utf-8") + "\n今年，力争新增口袋公园12个。\n", encoding="utf-8")
    run = ingest(inbox=str(sample_inbox), warehouse=str(wh))
    assert run.counts["files_loaded"] == 1 and run.counts["files_skipped"] == 4
    after = dict(_query(wh, "select source_file, count(*) from figures group by 1"))
    assert after[SAMPLE_NAMES[2]] == before[SAMPLE_NAMES[2]] + 1
    assert {k: v for k, v in after.items() if k != SAMPLE_NAMES[2]} == \
        {k: v for k, v in before.items() if k != SAMPLE_NAMES[2]}
    assert _query(wh, "select figure_id from figures where source_file <> ? order by 1", [SAMPLE_NAMES[2]]) == other_ids
    assert _query(wh, "select count(*) from documents where source_file = ?", [SAMPLE_NAMES[2]]) == [(1,)]


def test_every_bad_kind_of_file_is_quarantined_with_its_reason_and_reviewed(
        sample_inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from flows.cli import app
    from test_read_errors import CASES

    for name, (build, _reason) in CASES.items():
        (sample_inbox / name).write_bytes(build())
    (sample_inbox / "huge.txt").write_bytes("城镇新增就业1万人。".encode() * 70_000)
    monkeypatch.setenv("MUBIAO_MAX_FILE_MB", "1")
    wh = tmp_path / "w.duckdb"
    run = ingest(inbox=str(sample_inbox), warehouse=str(wh))

    assert run.counts["files_loaded"] == 5
    reasons = dict(_query(wh, "select source_file, reason from quarantine where level = 'file'"))
    expected = {name: reason for name, (_build, reason) in CASES.items()} | {"huge.txt": "over the size limit"}
    assert set(reasons) == set(expected)
    for name, reason in expected.items():
        assert reasons[name].startswith(f"{name}: ") and reason in reasons[name]
    outcomes = dict(_query(wh, "select outcome, count(*) from run_files where run_id = ? group by 1", [run.run_id]))
    assert outcomes == {"loaded": 5, "quarantined": len(expected)}

    shown = CliRunner().invoke(app, ["review", "--warehouse", str(wh), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert all(name in shown.output for name in expected)


def test_injected_spam_never_reaches_a_figure_and_the_finding_is_stored(sample_inbox: Path, tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    ingest(inbox=str(sample_inbox), warehouse=str(wh))
    assert _query(wh, "select count(*) from figures where sentence like '%凯发%' or metric_name like '%凯发%' "
                      "or sentence like '%k8%'") == [(0,)]
    assert _query(wh, "select count(*) from documents where text like '%凯发%'") == [(0,)]
    findings = _query(wh, "select source_file, message from document_findings where check_name = 'injected_text_removed'")
    assert [f[0] for f in findings] == ["004_30711680e323b93e.txt"] and "凯发k8国际的" in findings[0][1]


def test_documents_of_an_older_extractor_are_reextracted_from_stored_text(sample_inbox: Path, tmp_path: Path) -> None:
    wh = tmp_path / "w.duckdb"
    ingest(inbox=str(sample_inbox), warehouse=str(wh))
    ids = _figure_ids(wh)
    with duckdb.connect(str(wh)) as con:
        con.execute("UPDATE documents SET extractor_version = 'old-rules'")

    run = ingest(inbox=str(sample_inbox), warehouse=str(wh))
    assert run.counts["files_skipped"] == 5  # the files are not read again: the stored raw text is enough
    assert run.counts["documents_loaded"] == 5
    assert _query(wh, "select count(*) from documents where extractor_version = 'old-rules'") == [(0,)]
    assert _figure_ids(wh) == ids


CHUNK_SENSITIVE = {
    "figures": "select document_id, figure_id, kind, metric_code, value_low, value_high, unit, period_year, released, "
               "warnings from figures order by all",
    "dq_results": "select suite, expectation_type, kwargs, success, element_count, unexpected_count, unexpected_ids "
                  "from dq_results order by all",
    "files": "select source_file, outcome, document_count from source_files order by all",
}


def copies_of_figures(wh: Path) -> int:
    """Figures of the first sample that its copy loaded again."""
    return _query(wh, "select count(*) from figure_rows where source_file = 'zz_copy_of_the_first.txt'")[0][0]


def test_a_run_in_chunks_loads_and_reports_what_a_run_in_one_chunk_does(
        sample_inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first_sample = sample_inbox / SAMPLE_NAMES[0]
    (sample_inbox / "zz_copy_of_the_first.txt").write_bytes(first_sample.read_bytes())  # lands in the last chunk
    whole, chunked = tmp_path / "whole.duckdb", tmp_path / "chunked.duckdb"
    one = ingest(inbox=str(sample_inbox), warehouse=str(whole))
    monkeypatch.setenv("MUBIAO_CHUNK_DOCS", "2")
    three = ingest(inbox=str(sample_inbox), warehouse=str(chunked))

    assert one.counts == three.counts and three.counts["files_loaded"] == 6
    for name, sql in CHUNK_SENSITIVE.items():
        assert _query(chunked, sql) == _query(whole, sql), name
    copies = _query(chunked, "select count(distinct source_file) from figure_rows where figure_id in "
                             "(select figure_id from figure_rows where source_file = ?)", [SAMPLE_NAMES[0]])
    assert copies == [(2,)]  # the copy loads beside the original
    assert _query(chunked, "select source_file from documents where duplicate_of is not null") == \
        [("zz_copy_of_the_first.txt",)]  # and is marked as its near-duplicate: the views show one copy
    [(flagged,)] = _query(chunked, "select unexpected_count from dq_results where suite = 'figures_warehouse.warning' "
                                   "and expectation_type = 'expect_column_values_to_be_unique'")
    assert copies_of_figures(chunked) > 0 and flagged == 0  # out of the views, so no warehouse-wide duplicates
    report = three.report_path.read_text(encoding="utf-8")
    assert "Near-duplicate documents (1)" in report and "zz_copy_of_the_first.txt" in report
    stored = list((tmp_path / "chunked_dq" / "gx").rglob("validations/**/*.json"))
    assert len(stored) == 5  # one Data Docs result per suite, not one per chunk
