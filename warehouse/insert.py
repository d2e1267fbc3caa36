"""Inserting DataFrames by column name, each column cast to its table type (no executemany, no data in SQL text)."""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from .errors import WarehouseError


def table_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name → SQL type of a warehouse table, in table order."""
    try:
        rows = con.execute(f"DESCRIBE {table}").fetchall()
    except duckdb.CatalogException:
        raise WarehouseError(f"table {table} does not exist") from None
    return {name: data_type for name, data_type, *_ in rows}


def is_missing(value: Any) -> bool:
    """None, NaN or pd.NA."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def to_json(value: Any) -> str | None:
    """A value as JSON text (strings are taken to be JSON already); None stays None."""
    if is_missing(value):
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


_LIST_ITEMS: dict[str, tuple[pa.DataType, type]] = {"BIGINT[]": (pa.int64(), int)}  # other lists: of strings


def _to_list(value: Any, item: type = str) -> list | None:
    if value is None or (not isinstance(value, Iterable) and is_missing(value)):
        return None
    if isinstance(value, str):
        return [item(value)]
    return [item(v) for v in value]


def _prepared(frame: pd.DataFrame, types: Mapping[str, str]) -> pd.DataFrame:
    """Copy with JSON columns serialised and list columns as Python lists, which DuckDB scans reliably."""
    # Typed Arrow columns: with plain object columns DuckDB infers the type from the first rows, and a run of
    # empty lists or NULLs there makes it reject a later value ("Unimplemented type for cast (VARCHAR -> NULL)").
    out = frame.copy()
    for col in out.columns:
        if types[col] == "JSON":
            out[col] = pd.Series([to_json(v) for v in out[col].tolist()], index=out.index,
                                 dtype=pd.ArrowDtype(pa.string()))
        elif types[col].endswith("[]"):
            arrow_item, item = _LIST_ITEMS.get(types[col], (pa.string(), str))
            out[col] = pd.Series([_to_list(v, item) for v in out[col].tolist()], index=out.index,
                                 dtype=pd.ArrowDtype(pa.list_(arrow_item)))
        elif out[col].dtype == object:
            out[col] = out[col].astype(pd.ArrowDtype(pa.string())) if types[col] == "VARCHAR" else out[col]
    return out


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> Iterator[None]:
    """Expose a DataFrame to SQL as `name` for the block; a failed statement's error is not masked on the way out."""
    con.register(name, frame)
    yield  # not in try/finally: after a failed statement DuckDB refuses even unregister until ROLLBACK
    con.unregister(name)


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame,
                 constants: Mapping[str, Any] | None = None, required: Iterable[str] = ()) -> int:
    """Insert a DataFrame's rows into `table` by column name; `constants` set a column for every row."""
    types = table_types(con, table)
    constants = dict(constants or {})
    if unknown := [c for c in [*frame.columns, *constants] if c not in types]:
        raise WarehouseError(f"{table}: no such column(s) {', '.join(map(str, unknown))}")
    if missing := [c for c in required if c not in frame.columns and c not in constants]:
        raise WarehouseError(f"{table}: frame lacks column(s) {', '.join(missing)}")
    if frame.empty:
        return 0
    columns = [c for c in frame.columns if c not in constants]
    select = [f'CAST("{c}" AS {types[c]}) AS "{c}"' for c in columns]
    select += [f'CAST(? AS {types[c]}) AS "{c}"' for c in constants]
    view = f"_incoming_{table}"
    with registered(con, view, _prepared(frame[columns], types)):
        con.execute(f'INSERT INTO {table} BY NAME SELECT {", ".join(select)} FROM {view}', list(constants.values()))
    return len(frame)
