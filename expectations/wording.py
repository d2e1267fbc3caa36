"""Words for people: values, checks in plain language, a figure's number marked in its sentence (no GX import)."""
from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

MAX_SET_SHOWN = 8


def format_value(value: Any) -> str:
    """A cell value as a short readable string (missing values as 'null', floats without trailing .0)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "null"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, str) and value == "":
        return "''"
    if isinstance(value, (list, tuple, set, np.ndarray)):
        items = sorted(map(str, value)) if isinstance(value, set) else list(map(str, value))
        more = f", … ({len(items)} values)" if len(items) > MAX_SET_SHOWN else ""
        return "{" + ", ".join(items[:MAX_SET_SHOWN]) + more + "}"
    return str(value)


MAX_DESCRIPTION_SET = 5  # allowed values named in a check's description; the rest are counted


def _short_set(values: Any) -> str:
    if isinstance(values, dict):  # an unresolved {"$reference": name}
        return next(iter(values.values()), "?").replace("_", " ")
    items = sorted(map(str, values)) if isinstance(values, (set, frozenset)) else list(map(str, values))
    more = f" and {len(items) - MAX_DESCRIPTION_SET} more" if len(items) > MAX_DESCRIPTION_SET else ""
    return ", ".join(items[:MAX_DESCRIPTION_SET]) + more


def _pattern(regex: Any) -> str:
    if isinstance(regex, dict):  # the reference's spam pattern
        return "spam (links, contact hooks, adverts)"
    if regex == "\ufffd":
        return "U+FFFD replacement characters"
    return f"match of /{regex}/" if len(regex) <= 30 else f"match of /{regex[:29]}…/ ({len(regex)} characters)"


def _when(kwargs: Mapping[str, Any]) -> str:
    condition = kwargs.get("row_condition")
    return f" (rows where {condition})" if condition else ""


def _range(kwargs: Mapping[str, Any]) -> str:
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    low, high = (None if isinstance(v, dict) else v for v in (low, high))  # an unresolved $reference
    if low is not None and high is not None:
        return f"between {format_value(low)} and {format_value(high)}"
    if low is not None:
        return f"at least {format_value(low)}"
    if high is not None:
        return f"at most {format_value(high)}"
    return "within its range"


_DESCRIPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "expect_column_values_to_not_be_null": lambda k: f"every row has a {k['column']}",
    "expect_column_values_to_be_unique": lambda k: f"{k['column']} is unique",
    "expect_compound_columns_to_be_unique": lambda k: f"{' + '.join(k['column_list'])} together are unique",
    "expect_column_values_to_be_in_set": lambda k: f"{k['column']} is one of {_short_set(k['value_set'])}",
    "expect_column_values_to_be_in_reference_set":
        lambda k: f"{k['column']} is one of the {k['reference_set'].replace('_', ' ')} of the reference data",
    "expect_column_values_to_be_between": lambda k: f"{k['column']} is {_range(k)}",
    "expect_column_value_lengths_to_be_between": lambda k: f"{k['column']} is {_range(k)} characters long",
    "expect_column_pair_values_a_to_be_greater_than_b":
        lambda k: f"{k['column_A']} {'≥' if k.get('or_equal') else '>'} {k['column_B']}",
    "expect_column_values_to_not_match_regex": lambda k: f"{k['column']} has no {_pattern(k['regex'])}",
}


def describe(expectation_type: str, kwargs: Mapping[str, Any]) -> str:
    """A check in plain words ("value_high ≥ value_low", "unit is one of %, 万元, … and 40 more"), no raw type name."""
    make = _DESCRIPTIONS.get(expectation_type)
    try:
        text = make(kwargs) if make else expectation_type.removeprefix("expect_").replace("_", " ")
    except (KeyError, TypeError):
        text = expectation_type.removeprefix("expect_").replace("_", " ")
    return text + _when(kwargs)


def _text(value: object) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def highlight(sentence: object, value_text: object) -> str:
    """The sentence, HTML-escaped, with the first occurrence of the figure's text in <mark>."""
    text, value = _text(sentence), _text(value_text)
    at = text.find(value) if value else -1
    if at < 0:
        return html.escape(text)
    return f"{html.escape(text[:at])}<mark>{html.escape(value)}</mark>{html.escape(text[at + len(value):])}"
