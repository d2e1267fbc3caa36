"""All-or-nothing blocks of statements, with DuckDB errors turned into one-line WarehouseErrors."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from .errors import WarehouseError


def first_line(error: BaseException) -> str:
    """The first line of an error message (DuckDB adds hints and context on later lines)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


_HINTS = ("Did you mean", "Candidate bindings", "HINT")


def with_hints(error: BaseException) -> str:
    """The first line of an error plus DuckDB's hints ("Did you mean …", "Candidate bindings: …"), on one line."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    hints = [line for line in lines[1:] if line.startswith(_HINTS)]
    return " ".join([first_line(error), *hints])


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, failure: str) -> Iterator[None]:
    """BEGIN … COMMIT; on any error ROLLBACK, and report DuckDB errors as WarehouseError(`failure (cause)`)."""
    con.begin()
    try:
        yield
    except duckdb.Error as e:
        con.rollback()
        raise WarehouseError(f"{failure} ({first_line(e)})") from None
    except BaseException:
        con.rollback()
        raise
    con.commit()
