"""Exceptions raised by the warehouse layer; messages are one line."""
from __future__ import annotations


class WarehouseError(Exception):
    """The warehouse cannot be opened or a statement on it failed (one-line message)."""


class WarehouseLocked(WarehouseError):
    """Another process holds the DuckDB file longer than we were willing to wait."""
