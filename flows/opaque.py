"""A holder for bulky values passed between Prefect tasks."""
from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class Opaque(Generic[T]):
    """Hands a value to a task without Prefect walking it.

    Prefect visits every list, dict and dataclass in task parameters looking for upstream futures: for a run's
    extracted documents (hundreds of thousands of figures) that walk took 30 s per task call.
    """

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value
