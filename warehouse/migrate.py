"""Schema migrations (warehouse/migrations/NNN_name.sql, applied once, in order) and the reference-table sync.

To change the schema, add a new NNN_name.sql; never edit one that has been applied. Views are
re-created (CREATE OR REPLACE VIEW + COMMENT ON) by the migration that changes them.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from transforms.reference import Reference, default_reference

from .clock import utc_now
from .errors import WarehouseError
from .insert import insert_frame
from .transaction import transaction

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE schema_migrations IS 'Applied schema migrations 已应用的数据库迁移';
COMMENT ON COLUMN schema_migrations.version IS 'Migration number NNN 迁移编号';
COMMENT ON COLUMN schema_migrations.name IS 'Migration file name 迁移文件名';
COMMENT ON COLUMN schema_migrations.checksum IS 'SHA-256 of the file when applied 文件校验和';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied (UTC) 应用时间';
"""


@dataclass(frozen=True)
class Migration:
    """One migration file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """SHA-256 of the SQL text."""
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration file in version order."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise WarehouseError(f"{path}: migration files must be named NNN_name.sql")
        found.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"{directory}: two migration files share a number")
    return found


def migrate(con: duckdb.DuckDBPyConnection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations, each in its own transaction; return the names applied (idempotent)."""
    if not con.execute("SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_migrations'"
                       ).fetchall():
        con.execute(_BOOKKEEPING)  # only once: every statement of it is a catalog write, even when nothing changes
    applied = {v: (n, c) for v, n, c in con.execute("SELECT version, name, checksum FROM schema_migrations").fetchall()}
    files = migrations(directory)
    known = {m.version for m in files}
    if unknown := sorted(set(applied) - known):
        raise WarehouseError(f"the warehouse has migration {applied[unknown[0]][0]} that this mubiao does not "
                             "know: it was written by a newer version")
    done = []
    for m in files:
        if m.version in applied:
            if applied[m.version][1] != m.checksum:
                raise WarehouseError(f"migration {m.name} changed after it was applied; add a new migration instead "
                                     "(or delete a throw-away development warehouse)")
            continue
        with transaction(con, f"migration {m.name} failed"):
            con.execute(m.sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?, ?)", [m.version, m.name, m.checksum, utc_now()])
        done.append(m.name)
    if done:
        sync_reference(con, default_reference())
    return done


def reference_frames(ref: Reference) -> dict[str, pd.DataFrame]:
    """The reference tables' rows as DataFrames keyed by table name."""
    return {
        "regions": pd.DataFrame([{"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code,
                                  "aliases": list(r.aliases)} for r in ref.regions],
                                columns=["code", "name", "level", "parent_code", "aliases"]),
        "metrics": pd.DataFrame([{"code": m.code, "name_zh": m.name_zh, "name_en": m.name_en, "measure": m.measure,
                                  "unit": m.unit, "aliases": list(m.aliases), "plausible_min": m.plausible_min,
                                  "plausible_max": m.plausible_max} for m in ref.metrics],
                                columns=["code", "name_zh", "name_en", "measure", "unit", "aliases",
                                         "plausible_min", "plausible_max"]),
        "units": pd.DataFrame([{"unit": u.unit, "base_unit": u.base_unit, "factor": u.factor, "family": u.family}
                               for u in ref.units.values()], columns=["unit", "base_unit", "factor", "family"]),
    }


def sync_reference(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """Replace the regions, metrics and units tables with the given reference data, in one transaction."""
    with transaction(con, "reference data could not be stored"):
        for table, frame in reference_frames(ref).items():
            con.execute(f"DELETE FROM {table}")
            insert_frame(con, table, frame)
