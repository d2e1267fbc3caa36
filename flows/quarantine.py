"""Turn critical GX failures into quarantine rows, and split a document's figures into kept and held."""
from __future__ import annotations

import pandas as pd

from transforms.frames import FIGURE_COLUMNS
from transforms.documents import ProcessedDocument

# a held figure keeps every column, so that a reviewer's accept can load it later
FIGURE_FIELDS = tuple(c for c in FIGURE_COLUMNS if c not in ("figure_id", "document_id", "source_file"))


def _critical(failures: pd.DataFrame) -> pd.DataFrame:
    return failures.loc[failures["severity"] == "critical", ["id", "severity", "expectation_type", "kwargs", "reason"]]


def _critical_ids(failures: pd.DataFrame) -> set[str]:
    return set(_critical(failures)["id"].tolist())


def split_figures(figures: pd.DataFrame, failures: pd.DataFrame,
                  accepted: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(figures to load with their warning list and release flag, figures held back by a critical failure)."""
    failed_critical = _critical_ids(failures)
    critical_ids = failed_critical - accepted
    warned = failures[failures["severity"] == "warning"]
    warnings: dict[str, set[str]] = {}
    for fid, check in zip(warned["id"].tolist(), warned["expectation_type"].tolist()):
        warnings.setdefault(fid, set()).add(check)
    held = figures[figures["figure_id"].isin(critical_ids)]
    keep = figures[~figures["figure_id"].isin(critical_ids)].copy()
    keep["released"] = keep["figure_id"].isin(failed_critical & accepted)
    keep["warnings"] = [sorted(warnings.get(fid, ())) for fid in keep["figure_id"].tolist()]
    return keep, held


REJECTED_CHECK = "review_rejected"


def with_rejections(figures: pd.DataFrame, failures: pd.DataFrame, rejected: set[str]) -> pd.DataFrame:
    """The figure failures plus a critical 'review_rejected' row for each rejected figure no check holds back.

    A reviewer's reject keeps a figure out even when changed rules would now let it pass.
    """
    if not rejected:
        return failures
    held = _critical_ids(failures)
    ids = sorted(set(figures["figure_id"].tolist()) & rejected - held)
    if not ids:
        return failures
    return pd.concat([failures, pd.DataFrame({
        "suite": "figures.review", "severity": "critical", "id": ids, "expectation_type": REJECTED_CHECK,
        "kwargs": "{}", "reason": "rejected by a reviewer (mubiao review reject)"})], ignore_index=True)


def figure_quarantine(held: pd.DataFrame, failures: pd.DataFrame) -> pd.DataFrame:
    """One quarantine row per held figure and failed critical check."""
    crit = _critical(failures).rename(columns={"id": "figure_id"})
    rows = held.merge(crit, on="figure_id", how="inner")
    return pd.DataFrame({
        "level": "figure", "source_file": rows["source_file"], "document_id": rows["document_id"],
        "figure_id": rows["figure_id"], "reason": rows["reason"], "failed_check": rows["expectation_type"],
        "check_params": rows["kwargs"], **{c: rows[c] for c in FIGURE_FIELDS},
    })


def document_quarantine(doc: ProcessedDocument, failures: pd.DataFrame) -> pd.DataFrame:
    """One quarantine row per failed critical check of a document kept out whole."""
    return pd.DataFrame({
        "level": "document", "source_file": doc.source_file, "document_id": doc.document_id, "figure_id": None,
        "reason": failures["reason"].to_numpy(), "failed_check": failures["expectation_type"].to_numpy(),
        "check_params": failures["kwargs"].to_numpy(), **{c: None for c in FIGURE_FIELDS},
    })
