"""Number parsing: Arabic (full-width, thousands commas), Chinese numerals and magnitudes."""
from __future__ import annotations

import pytest

from transforms.numbers import parse_arabic, parse_chinese, parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("5", 5.0), ("1,234.5", 1234.5), ("１２．５", 12.5), ("0.75", 0.75), ("12,345,678", 12345678.0),
])
def test_arabic(text: str, value: float) -> None:
    assert parse_arabic(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("三", 3.0), ("两", 2.0), ("十", 10.0), ("十五", 15.0), ("二十三", 23.0), ("百", 100.0), ("千", 1000.0),
    ("两千", 2000.0), ("一百零八", 108.0), ("三千五百", 3500.0), ("二〇二六", 2026.0), ("二○二五", 2025.0),
])
def test_chinese(text: str, value: float) -> None:
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["", "三二十", "亿"])
def test_chinese_malformed_is_none(text: str) -> None:
    assert parse_chinese(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("1.6万", 16000.0), ("5.3万亿", 5.3e12), ("千亿", 1e11), ("两万", 20000.0), ("12", 12.0), ("万", None),
])
def test_number_with_magnitude(text: str, value: float | None) -> None:
    assert parse_number(text) == value
