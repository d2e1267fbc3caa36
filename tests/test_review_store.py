"""One store of reviewers' decisions (review_log): an older warehouse's decisions move into it whole, and every
command that counts open review items (desk, `mubiao review`, `mubiao status`) counts the same ones."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from flows.cli import app
from test_warehouse_content import doc_frames, fig, make_doc
from warehouse import corrections, db, desk_queries, load, review, runs
from warehouse.publish import publish

runner = CliRunner()

# The decision store before migration 011, as migrations 001, 007 and 010 left it.
OLD_LAYOUT = """
CREATE TABLE review_decisions (
    figure_id VARCHAR PRIMARY KEY, decision VARCHAR NOT NULL, note VARCHAR, decided_by VARCHAR,
    decided_at TIMESTAMP NOT NULL, document_id VARCHAR, source_file VARCHAR, content_hash VARCHAR, sentence VARCHAR,
    value_text VARCHAR, value_position INTEGER, previous_figure_ids VARCHAR[], reattached_at TIMESTAMP);
CREATE TABLE review_log (
    seq BIGINT PRIMARY KEY, target VARCHAR NOT NULL, target_id VARCHAR NOT NULL, field VARCHAR NOT NULL,
    value VARCHAR, note VARCHAR, reviewer VARCHAR NOT NULL, decided_at TIMESTAMP NOT NULL);
"""


def _hold(parts: dict[str, pd.DataFrame], indexes: list[int]) -> dict[str, pd.DataFrame]:
    """The frames with several figures moved to quarantine (the last one held by two checks)."""
    figures = parts["figures"]
    check = "expect_plausible"
    held = figures.iloc[indexes].assign(level="figure", reason=f"failed {check}", failed_check=check,
                                        check_params=[{"max_value": 30}] * len(indexes))
    twice = held.iloc[[-1]].assign(reason="failed expect_unit", failed_check="expect_unit")
    return {**parts, "figures": figures.drop(figures.index[indexes]), "quarantine": pd.concat([held, twice])}


@pytest.fixture
def warehouse(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Three loaded figures and four quarantined ones of a file in the inbox, one quarantined figure of a file that
    left it, and an unreadable file; returns (path, name → id)."""
    path = tmp_path / "w.duckdb"
    figures = [fig(0, "target", "gdp_growth", 5), fig(10, "actual", "gdp_growth", 5.2),
               fig(20, "target", "cpi_growth", 3), fig(30, "target", "cpi_growth", 300),
               fig(40, "target", "gdp_growth", 500), fig(50, "actual", "cpi_growth", 900),
               fig(60, "target", "gdp_growth", 700)]
    parts = _hold(doc_frames(make_doc("a.txt", figures)), [3, 4, 5, 6])
    gone = _hold(doc_frames(make_doc("gone.txt", [fig(0, "target", "gdp_growth", 800)], text="另一份")), [0])
    with db.connect(path) as con:
        runs.start_run(con, "r1", "inbox", {})
        load.load_document(con, "r1", **parts)
        load.load_document(con, "r1", **gone)
        load.record_file(con, "r1", "a.txt", "h1", 10, "loaded", None, 1)
        load.record_file_quarantine(con, "r1", "bad.pdf", "h2", "not a PDF")
        runs.finish_run(con, "r1", "succeeded", {}, None)
        loaded = dict(con.execute("SELECT value_text, figure_id FROM figure_rows").fetchall())
        held = dict(con.execute("SELECT value_text, figure_id FROM quarantine WHERE level = 'figure'").fetchall())
        [(document,)] = con.execute("SELECT document_id FROM documents WHERE source_file = 'a.txt'").fetchall()
    ids = {"target": loaded["5%"], "actual": loaded["5.2%"], "cpi": loaded["3%"], "accepted": held["300%"],
           "rejected": held["500%"], "open": held["900%"], "open_twice": held["700%"], "document": document}
    return path, ids


def _decide_everything(con: duckdb.DuckDBPyConnection, ids: dict[str, str]) -> None:
    """One of each action, and a quarantined figure accepted, then rejected."""
    review.accept(con, ids["accepted"], "typo in the source", "ana")
    review.accept(con, ids["rejected"], "looks fine", "ana")
    review.reject(con, ids["rejected"], "no, a typo", "bo")
    corrections.decide(con, ids["target"], "rejected", "not a goal", "ana")
    corrections.correct(con, ids["actual"], corrections.FigureCorrection(value_low=5.3, period_year=2025), "typo",
                        "bo")
    corrections.decide(con, ids["cpi"], "accepted", "checked", "cy")
    corrections.set_document(con, ids["document"], "misdated", "ana", report_year=2023)


def _views(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {"figures": con.execute("SELECT * EXCLUDE (loaded_at) FROM figures ORDER BY figure_id").fetchall(),
            "documents": [[None if pd.isna(v) else v for v in row] for row in  # NaN is not NaN
                          desk_queries.documents(con).drop(columns=["loaded_at"]).values.tolist()],
            "open": con.execute("SELECT * FROM open_items ORDER BY ALL").fetchall(),
            "quarantine": con.execute("SELECT quarantine_id, status FROM quarantine ORDER BY ALL").fetchall(),
            "decisions": sorted(review.decisions(con).items())}


def _to_old_layout(con: duckdb.DuckDBPyConnection, pre_010: str) -> None:
    """Rewrite review_log as the code before migration 011 stored the same decisions.

    An accept or reject of a quarantined figure went to review_decisions (last wins) and, from migration 010 on, also
    to review_log as a 'status' row; a decision on `pre_010` predates review_log, so only review_decisions has it.
    """
    rows = con.execute("SELECT seq, action, target, target_id, map_keys(changes), map_values(changes), note, reviewer, "
                       "decided_at, document_id, source_file, content_hash, sentence, value_text, value_position "
                       "FROM review_log ORDER BY seq").fetchall()
    quarantined = {r[0] for r in con.execute("SELECT figure_id FROM quarantine WHERE level = 'figure'").fetchall()}
    con.execute("DROP TABLE review_log")
    con.execute(OLD_LAYOUT)
    seq = 0
    for _, action, target, target_id, keys, values, note, who, at, *anchor in rows:
        if action in ("accept", "reject"):
            keys, values = ["status"], ["accepted" if action == "accept" else "rejected"]
            if target_id in quarantined:
                con.execute("INSERT OR REPLACE INTO review_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, "
                            "NULL)", [target_id, values[0], note, who, at, *anchor])
                if target_id == pre_010:
                    continue
        for key, value in zip(keys, values):
            seq += 1
            con.execute("INSERT INTO review_log VALUES (?, ?, ?, ?, ?, ?, ?, ?::TIMESTAMP + INTERVAL 1 MILLISECOND)",
                        [seq, target, target_id, key, value, note, who, at])
    con.execute("DELETE FROM schema_migrations WHERE version >= 11")


def test_decisions_in_the_old_layout_move_into_the_one_store_and_the_views_show_the_same(
        warehouse: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    path, ids = warehouse
    with db.connect(path) as con:
        _decide_everything(con, ids)
        expected = _views(con)
        history = con.execute("SELECT action, target, target_id, changes, note, reviewer FROM review_log "
                              "ORDER BY seq").fetchall()
    assert len(history) == 7  # every decision, not the last one per figure
    old = tmp_path / "old.duckdb"
    shutil.copy(path, old)
    with duckdb.connect(str(old)) as con:
        _to_old_layout(con, pre_010=ids["accepted"])
        assert con.execute("SELECT decision FROM review_decisions ORDER BY decided_at").fetchall() == \
            [("accepted",), ("rejected",)]  # last wins: the accept-then-reject is one row
        assert con.execute("SELECT count(*) FROM review_log WHERE target_id = ?", [ids["accepted"]]).fetchone() == (0,)

    with db.connect(old) as con:  # migration 011
        migrated = con.execute("SELECT action, target, target_id, changes, note, reviewer FROM review_log "
                               "ORDER BY seq").fetchall()
        anchors = con.execute("SELECT count(*) FROM review_log WHERE target = 'figure' AND sentence IS NULL").fetchone()
        assert _views(con) == expected
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert "review_decisions" not in tables
    assert migrated == history  # every decision kept, in order, none twice
    assert anchors == (0,)  # each figure decision knows its sentence and value, for re-attachment after an edit


def test_desk_review_and_status_count_the_same_open_items(warehouse: tuple[Path, dict[str, str]]) -> None:
    path, ids = warehouse
    with db.connect(path) as con:
        _decide_everything(con, ids)
    publish(path, timeout_s=10)  # the analysts' copy a review action leaves, which the read-only commands open
    with db.connect(path, read_only=True) as con:
        queue = desk_queries.quarantine_queue(con)
        desk_status = desk_queries.status(con, path)["open_items"]
    # open: two figures (one held by two checks) and the unreadable file; not the accepted or rejected figures,
    # nor the figure of the file that left the inbox
    assert sorted(queue["id"]) == sorted([ids["open"], ids["open_twice"], "bad.pdf"])
    assert desk_status == {"figure": 2, "file": 1}

    shown = runner.invoke(app, ["review", "--warehouse", str(path), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    rows = json.loads(shown.output)["quarantine"]
    assert {r["figure_id"] or r["source_file"] for r in rows} == set(queue["id"])
    text = runner.invoke(app, ["review", "--warehouse", str(path)]).output
    status = runner.invoke(app, ["status", "--warehouse", str(path)]).output
    assert "open review items: 2 figure, 1 file" in text
    assert "open review items: 2 figure, 1 file;" in status
