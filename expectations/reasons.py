"""One readable line per failing row: the suite's reason template filled with the row's values."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .wording import format_value


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _generic(kwargs: Mapping[str, Any], row: Mapping[str, Any]) -> str:
    column = kwargs.get("column")
    if column is not None:
        value = format_value(row.get(column))
        if "value_set" in kwargs:
            return f"{column} {value} not in {format_value(kwargs['value_set'])}"
        if "reference_set" in kwargs:
            return f"{column} {value} not in the {kwargs['reference_set'].replace('_', ' ')}"
        if "min_value" in kwargs or "max_value" in kwargs:
            return f"{column} {value} outside [{format_value(kwargs.get('min_value'))}, " \
                   f"{format_value(kwargs.get('max_value'))}]"
        return f"{column} {value} failed"
    if "column_A" in kwargs:
        a, b = kwargs["column_A"], kwargs["column_B"]
        return f"{a} {format_value(row.get(a))} below {b} {format_value(row.get(b))}"
    columns = kwargs.get("column_list") or []
    return ", ".join(f"{c} {format_value(row.get(c))}" for c in columns) + " failed"


def reason(expectation_type: str, kwargs: Mapping[str, Any], meta: Mapping[str, Any],
           row: Mapping[str, Any]) -> str:
    """The failing row's reason: the expectation's meta 'reason' template (row values, then kwargs) or a generic line."""
    template = meta.get("reason")
    if template:
        values = _Values({k: format_value(v) for k, v in kwargs.items()})
        values.update({k: format_value(v) for k, v in row.items()})
        text = template.format_map(values)
    else:
        text = _generic(kwargs, row)
    return f"{text} ({expectation_type})"
