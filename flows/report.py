"""The run's summary page, written for every run (with or without work) from what the warehouse recorded."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from expectations.attainment_page import render_attainment
from expectations.report_page import RunSummary, render_summary
from flows.settings import Settings
from warehouse import attainment, duplicates, review, runs

ATTAINMENT_SUFFIX = "-attainment.html"


def write_report(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, counts: dict[str, int],
                 started_at: datetime, warnings: pd.DataFrame, data_docs: Path | None,
                 changed: bool = True) -> tuple[Path, RunSummary]:
    """Write RUN_ID.html, its attainment page and latest.html for a closed run; returns the page's path and what it
    shows. A run that `changed` nothing links the last run's attainment page instead of querying the warehouse."""
    report_dir = settings.report_dir
    report_dir.mkdir(parents=True, exist_ok=True)
    report_path = report_dir / f"{run_id}.html"
    if changed:
        attainment_path: Path | None = report_dir / f"{run_id}{ATTAINMENT_SUFFIX}"
        attainment_path.write_text(render_attainment(run_id, attainment.attainment(con),
                                                     attainment.series_actuals(con), back_href=report_path.name),
                                   encoding="utf-8")
    else:  # run ids sort by time
        attainment_path = max(report_dir.glob(f"*{ATTAINMENT_SUFFIX}"), default=None)
    summary = RunSummary(
        run_id=run_id, started_at=started_at, finished_at=datetime.now(timezone.utc), counts=counts,
        dq_results=runs.run_dq_results(con, run_id), quarantine=review.run_quarantine(con, run_id),
        findings=runs.run_findings(con, run_id), recent_runs=runs.recent_runs(con, 20), warnings=warnings,
        data_docs_href=Path(os.path.relpath(data_docs, report_dir)).as_posix() if data_docs else None,
        status="succeeded", attainment_href=attainment_path.name if attainment_path else None,
        duplicates=duplicates.duplicates(con, run_id),
    )
    page = render_summary(summary)
    report_path.write_text(page, encoding="utf-8")
    (report_dir / "latest.html").write_text(page, encoding="utf-8")
    return report_path, summary
