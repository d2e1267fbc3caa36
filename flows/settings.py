"""Every setting in one place: its default, its environment variable, and the paths derived from the warehouse.

| setting                          | env                     | default                  |
| -------------------------------- | ----------------------- | ------------------------ |
| inbox                            | MUBIAO_INBOX            | seeds/reports            |
| warehouse                        | MUBIAO_WAREHOUSE        | warehouse/mubiao.duckdb  |
| size limit per file (MB)         | MUBIAO_MAX_FILE_MB      | 50                       |
| wait for a lock (s)              | MUBIAO_LOCK_TIMEOUT     | 60                       |
| extraction processes             | MUBIAO_WORKERS          | CPU count, at most 4     |
| Dask scheduler                   | MUBIAO_DASK_ADDRESS     | none (local processes)   |
| documents per chunk              | MUBIAO_CHUNK_DOCS       | 250                      |
| documents per load transaction   | MUBIAO_LOAD_BATCH_DOCS  | a chunk's (250)          |
| DuckDB memory limit              | MUBIAO_DUCKDB_MEMORY    | 1GB                      |
| nightly cron, its time zone      | MUBIAO_CRON, _TIMEZONE  | 0 2 * * *, Asia/Shanghai |
| reviewer recorded with decisions | MUBIAO_REVIEWER         | $USER                    |
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INBOX = PROJECT_ROOT / "seeds" / "reports"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "mubiao.duckdb"
DEFAULT_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_MAX_FILE_MB = 50.0
DEFAULT_LOCK_TIMEOUT_S = 60.0
MAX_DEFAULT_WORKERS = 4
DEFAULT_CHUNK_DOCS = 250  # documents extracted, validated and loaded together: bounds the run's memory
DEFAULT_DUCKDB_MEMORY = "1GB"


class SettingError(ValueError):
    """An environment variable holds a value mubiao cannot use (one-line message)."""


def quiet_prefect_defaults() -> None:
    """Telemetry off and sane timeouts unless the user set them; call before importing prefect."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "mubiao")  # our progress and warnings in Prefect's logs
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")  # mubiao also logs outside flow runs


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a number") from None


def lock_timeout_s() -> float:
    """How long to wait for another process's lock on the warehouse: MUBIAO_LOCK_TIMEOUT seconds."""
    return _env_float("MUBIAO_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT_S)


def duckdb_memory() -> str:
    """DuckDB's memory limit for every connection: MUBIAO_DUCKDB_MEMORY."""
    return os.environ.get("MUBIAO_DUCKDB_MEMORY") or DEFAULT_DUCKDB_MEMORY


def default_cron() -> str:
    """The nightly schedule: MUBIAO_CRON."""
    return os.environ.get("MUBIAO_CRON") or DEFAULT_CRON


def default_timezone() -> str:
    """The schedule's time zone: MUBIAO_TIMEZONE."""
    return os.environ.get("MUBIAO_TIMEZONE") or DEFAULT_TIMEZONE


def reviewer() -> str:
    """Who records a review decision: MUBIAO_REVIEWER, else the login name."""
    return os.environ.get("MUBIAO_REVIEWER") or os.environ.get("USER") or "unknown"


@dataclass(frozen=True)
class Settings:
    """Everything one ingestion run needs to know."""

    inbox: Path
    warehouse: Path
    full_refresh: bool = False
    reprocess: bool = False
    keep_missing: bool = False  # files gone from the inbox stay loaded instead of being retired
    max_file_mb: float = DEFAULT_MAX_FILE_MB
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S
    workers: int = 1
    dask_address: str | None = None
    chunk_documents: int = DEFAULT_CHUNK_DOCS
    load_batch_documents: int = DEFAULT_CHUNK_DOCS  # a chunk in one load transaction

    @property
    def output_dir(self) -> Path:
        """Folder beside the warehouse for the GX project, Data Docs and run reports."""
        return self.warehouse.parent / f"{self.warehouse.stem}_dq"

    @property
    def report_dir(self) -> Path:
        """Folder of the runs' summary pages (RUN_ID.html and latest.html)."""
        return self.output_dir / "runs"

    @property
    def data_docs_index(self) -> Path:
        """Where GX builds the Data Docs site of this warehouse (its file context under output_dir/gx)."""
        return self.output_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"

    @property
    def max_file_bytes(self) -> int:
        """The size limit in bytes."""
        return int(self.max_file_mb * 1024 * 1024)


def default_inbox() -> Path:
    """MUBIAO_INBOX or the sample reports."""
    return Path(os.environ.get("MUBIAO_INBOX") or DEFAULT_INBOX)


def default_warehouse() -> Path:
    """MUBIAO_WAREHOUSE or warehouse/mubiao.duckdb in the project."""
    return Path(os.environ.get("MUBIAO_WAREHOUSE") or DEFAULT_WAREHOUSE)


def settings_from_env(**overrides: object) -> Settings:
    """Settings from MUBIAO_* variables, with explicit overrides (None values ignored)."""
    chunk = max(1, int(_env_float("MUBIAO_CHUNK_DOCS", DEFAULT_CHUNK_DOCS)))
    base = dict(
        inbox=default_inbox(), warehouse=default_warehouse(),
        max_file_mb=_env_float("MUBIAO_MAX_FILE_MB", DEFAULT_MAX_FILE_MB),
        lock_timeout_s=lock_timeout_s(),
        workers=int(_env_float("MUBIAO_WORKERS", float(min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS)))),
        dask_address=os.environ.get("MUBIAO_DASK_ADDRESS") or None,
        chunk_documents=chunk,
        # a chunk's documents in one all-or-nothing transaction (a failing one is retried document by document):
        # batches of 100, 26 transactions per 2,000 reports instead of 11, cost 1.3 s more of the flow's CPU
        load_batch_documents=max(1, int(_env_float("MUBIAO_LOAD_BATCH_DOCS", chunk))),
    )
    base.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**base)  # type: ignore[arg-type]
