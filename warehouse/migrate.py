"""Schema migrations, analyst views and the reference-table sync.

- Tables: warehouse/migrations/NNN_name.sql, applied once, in order. To change a table, add a new
  NNN_name.sql; never edit one that has been applied.
- Views: warehouse/views/NN_name.sql, one view per file (like dbt models), created in file order. When any
  view file changes, every view is dropped and re-created from its file on the next writer connect, so
  changing a view is a one-file diff. A view column with no COMMENT in its file takes the comment of the
  same column of `figures`.
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
VIEWS_DIR = Path(__file__).resolve().parent / "views"
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
_VIEW_NAME = re.compile(r"^\d{2}_([a-z0-9_]+)\.sql$")

_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, checksum VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE schema_migrations IS 'Applied schema migrations 已应用的数据库迁移';
COMMENT ON COLUMN schema_migrations.version IS 'Migration number NNN 迁移编号';
COMMENT ON COLUMN schema_migrations.name IS 'Migration file name 迁移文件名';
COMMENT ON COLUMN schema_migrations.checksum IS 'SHA-256 of the file when applied 文件校验和';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied (UTC) 应用时间';
CREATE TABLE IF NOT EXISTS schema_views (
    name VARCHAR PRIMARY KEY, checksum VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE schema_views IS 'Analyst views created from warehouse/views/*.sql 已创建的视图';
COMMENT ON COLUMN schema_views.name IS 'View name 视图名';
COMMENT ON COLUMN schema_views.checksum IS 'SHA-256 of every view file together when created 视图文件校验和';
COMMENT ON COLUMN schema_views.applied_at IS 'When the views were created (UTC) 创建时间';
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
    if not con.execute("SELECT 1 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_views'"
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
    views_changed = apply_views(con)
    if done:
        sync_reference(con, default_reference())
    return done + views_changed


def view_files(directory: Path = VIEWS_DIR) -> list[tuple[str, Path]]:
    """(view name, file) for every view file, in creation order."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _VIEW_NAME.match(path.name)
        if not match:
            raise WarehouseError(f"{path}: view files must be named NN_view_name.sql")
        found.append((match.group(1), path))
    return found


def apply_views(con: duckdb.DuckDBPyConnection, directory: Path = VIEWS_DIR) -> list[str]:
    """Re-create every view from its file when the files changed; return the file names applied (else [])."""
    files = view_files(directory)
    texts = [(name, path.name, path.read_text(encoding="utf-8")) for name, path in files]
    checksum = hashlib.sha256("\0".join(f"{file}\0{sql}" for _, file, sql in texts).encode("utf-8")).hexdigest()
    stored = dict(con.execute("SELECT name, checksum FROM schema_views").fetchall())
    if stored and set(stored.values()) == {checksum} and set(stored) == {n for n, _, _ in texts}:
        return []
    existing = {r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal").fetchall()}
    with transaction(con, "the analyst views could not be created"):
        for name in reversed(list(stored) + [n for n, _, _ in texts]):
            if name in existing:
                con.execute(f'DROP VIEW IF EXISTS "{name}"')
                existing.discard(name)
        for _, _, sql in texts:
            con.execute(sql)
        _inherit_column_comments(con, [n for n, _, _ in texts])
        con.execute("DELETE FROM schema_views")
        now = utc_now()
        for name, _, _ in texts:
            con.execute("INSERT INTO schema_views VALUES (?, ?, ?)", [name, checksum, now])
    return [file for _, file, _ in texts]


def _inherit_column_comments(con: duckdb.DuckDBPyConnection, views: list[str]) -> None:
    """Give a view column without a comment the comment of the same column of `figures`, else of `documents`."""
    for source in ("figures", "documents"):
        missing = con.execute(
            "SELECT v.table_name, v.column_name, f.comment FROM duckdb_columns() v "
            "JOIN duckdb_columns() f ON f.table_name = ? AND f.column_name = v.column_name "
            "AND f.schema_name = 'main' "
            "WHERE v.schema_name = 'main' AND v.table_name IN (SELECT unnest(?)) AND v.comment IS NULL "
            "AND f.comment IS NOT NULL", [source, views]).fetchall()
        for view, column, comment in missing:
            con.execute(f'COMMENT ON COLUMN "{view}"."{column}" IS ' + _sql_literal(comment))


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def reference_frames(ref: Reference) -> dict[str, pd.DataFrame]:
    """The reference tables' rows as DataFrames keyed by table name."""
    return {
        "regions": pd.DataFrame([{"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code,
                                  "aliases": list(r.aliases), "kind": r.kind or None, "valid_from": r.valid_from,
                                  "valid_to": r.valid_to, "successor_code": r.successor_code,
                                  "code_source": r.code_source} for r in ref.regions],
                                columns=["code", "name", "level", "parent_code", "aliases", "kind", "valid_from",
                                         "valid_to", "successor_code", "code_source"]).astype(
                                    {"valid_from": "Int64", "valid_to": "Int64"}),
        "metrics": pd.DataFrame([{"code": m.code, "name_zh": m.name_zh, "name_en": m.name_en, "measure": m.measure,
                                  "unit": m.unit, "aliases": list(m.aliases), "plausible_min": m.plausible_min,
                                  "plausible_max": m.plausible_max, "domain": m.domain,
                                  "headline_code": m.headline_code} for m in ref.metrics],
                                columns=["code", "name_zh", "name_en", "measure", "unit", "aliases",
                                         "plausible_min", "plausible_max", "domain", "headline_code"]),
        "units": pd.DataFrame([{"unit": u.unit, "base_unit": u.base_unit, "factor": u.factor, "family": u.family}
                               for u in ref.units.values()], columns=["unit", "base_unit", "factor", "family"]),
    }


def sync_reference(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """Replace the regions, metrics and units tables with the given reference data, in one transaction."""
    with transaction(con, "reference data could not be stored"):
        for table, frame in reference_frames(ref).items():
            con.execute(f"DELETE FROM {table}")
            insert_frame(con, table, frame)
