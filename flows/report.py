"""The run's summary page, written for every run (with or without work) from what the warehouse recorded."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from expectations.report_page import RunSummary, render_summary
from flows.settings import Settings
from warehouse import review, runs


def write_report(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, counts: dict[str, int],
                 started_at: datetime, warnings: pd.DataFrame, data_docs: Path | None) -> tuple[Path, RunSummary]:
    """Write RUN_ID.html and latest.html for a closed run; returns the page's path and what it shows."""
    report_dir = settings.report_dir
    report_dir.mkdir(parents=True, exist_ok=True)
    report_path = report_dir / f"{run_id}.html"
    summary = RunSummary(
        run_id=run_id, started_at=started_at, finished_at=datetime.now(timezone.utc), counts=counts,
        dq_results=runs.run_dq_results(con, run_id), quarantine=review.run_quarantine(con, run_id),
        findings=runs.run_findings(con, run_id), recent_runs=runs.recent_runs(con, 20), warnings=warnings,
        data_docs_href=Path(os.path.relpath(data_docs, report_dir)).as_posix() if data_docs else None,
        status="succeeded",
    )
    page = render_summary(summary)
    report_path.write_text(page, encoding="utf-8")
    (report_dir / "latest.html").write_text(page, encoding="utf-8")
    return report_path, summary
