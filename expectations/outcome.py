"""What a validation found, as plain DataFrames: one row per expectation, one per failing row (no GX import)."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

MAX_IDS_IN_RESULTS = 20

RESULT_COLUMNS: tuple[str, ...] = (
    "suite", "table_name", "severity", "expectation_type", "kwargs", "success", "element_count",
    "unexpected_count", "unexpected_ids",
)
FAILURE_COLUMNS: tuple[str, ...] = ("id", "suite", "severity", "expectation_type", "kwargs", "reason")


@dataclass
class ValidationOutcome:
    """What one table's suites found: one row per expectation, and one row per failing row x expectation."""

    table: str
    results: pd.DataFrame
    failures: pd.DataFrame

    def ids_with_severity(self, severity: str) -> set[str]:
        """Ids of rows that failed at least one expectation of this severity."""
        hit = self.failures[self.failures["severity"] == severity]["id"]
        return {i for i in hit if i is not None}

    def critical_ids(self) -> set[str]:
        """Ids to quarantine."""
        return self.ids_with_severity("critical")

    def warning_ids(self) -> set[str]:
        """Ids loaded with a warning."""
        return self.ids_with_severity("warning")


def combine_results(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One result row per suite and expectation from the results of several batches (a run's chunks)."""
    frames = [p for p in parts if not p.empty]
    if not frames:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    key = ["suite", "table_name", "severity", "expectation_type", "kwargs"]
    combined = pd.concat(frames, ignore_index=True).groupby(key, sort=False, as_index=False).agg(
        success=("success", "all"), element_count=("element_count", "sum"),
        unexpected_count=("unexpected_count", "sum"),
        unexpected_ids=("unexpected_ids", lambda s: json.dumps(
            [i for ids in s for i in json.loads(ids)][:MAX_IDS_IN_RESULTS], ensure_ascii=False)))
    return combined[list(RESULT_COLUMNS)]


