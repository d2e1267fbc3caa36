"""Number parsing: Arabic (full-width, thousands commas), Chinese numerals and magnitudes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from expectations.suites import committed_suites
from tests.attainment_rows import add_document
from transforms.numbers import PLAUSIBLE_YEARS, is_plan_name, parse_arabic, parse_chinese, parse_number, parse_share
from transforms.reference import default_reference
from warehouse import corrections, db
from warehouse.errors import WarehouseError


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


@pytest.mark.parametrize(("text", "value"), [
    ("一百八", 180.0), ("三千五", 3500.0), ("一千零五十", 1050.0), ("三十五点五", 35.5), ("零点五", 0.5),
    ("一九九八", 1998.0),
])
def test_chinese_colloquial_and_decimal(text: str, value: float) -> None:
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["九五", "八五", "十百", "三点", "三点两"])
def test_plan_digits_and_broken_numerals_are_none(text: str) -> None:
    assert parse_chinese(text) is None


@pytest.mark.parametrize(("text", "percent"), [
    ("百分之五", 5.0), ("百分之三十五点五", 35.5), ("百分之0.5", 0.5), ("千分之五", 0.5), ("四分之一", 25.0),
    ("百分之百", 100.0), ("2分之1", 50.0),
])
def test_shares_are_percent(text: str, percent: float) -> None:
    assert parse_share(text) == percent


def test_a_third_is_a_third_of_a_hundred_percent() -> None:
    assert parse_share("三分之一") == pytest.approx(100 / 3)


@pytest.mark.parametrize("text", ["五分之七", "零分之一", "三分之"])
def test_impossible_shares_are_none(text: str) -> None:
    assert parse_share(text) is None


@pytest.mark.parametrize("text", [
    "十五计划", "十五期间", "十五”", "九五”", "八五时期", "十一五规划", "十二五期末", "十三五时期", "十四五以来",
    "十五五规划", "十二五开局",
])
def test_plan_names(text: str) -> None:
    assert is_plan_name(text, 0)


@pytest.mark.parametrize("text", ["十五个", "十五项", "十五年", "九五折"])
def test_numerals_that_are_not_plan_names(text: str) -> None:
    assert not is_plan_name(text, 0)


ROOT = Path(__file__).resolve().parent.parent
# A year written into a regex or a year bound typed as a number: only transforms/numbers.py may hold one.
_TYPED_YEAR = re.compile(r"\(\?:19\|20|１９\|２０|\b(?:1900|1949|1978|2099|2100)\b")


def _source_files() -> list[Path]:
    """Code, SQL and committed suites; not what a run writes (warehouse/mubiao_dq holds GX results as JSON)."""
    code = [path for folder in ("transforms", "expectations", "warehouse", "flows", "desk")
            for path in sorted((ROOT / folder).rglob("*")) if path.suffix in (".py", ".sql")]
    return code + sorted((ROOT / "expectations" / "suites").glob("*.json"))


def test_year_regexes_and_bounds_live_only_in_numbers() -> None:
    typed = [f"{path.relative_to(ROOT)}:{n}" for path in _source_files() if path != ROOT / "transforms" / "numbers.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if _TYPED_YEAR.search(line)]
    assert typed == []


def test_the_checks_and_reviewers_share_the_plausible_years(tmp_path: Path) -> None:
    first, last = PLAUSIBLE_YEARS
    documents = committed_suites(default_reference())["documents.warning"].definition["expectations"]
    bounds = [e["kwargs"]["min_value"] for e in documents if e["kwargs"].get("column") == "report_year"
              and "min_value" in e["kwargs"]]
    assert bounds == [first]
    with db.connect(tmp_path / "w.duckdb") as con:
        document = add_document(con, "2015.txt", 2015)
        for year in (first - 1, last + 1):
            with pytest.raises(WarehouseError, match=f"report year {year} is not between {first} and {last}"):
                corrections.set_document(con, document, "typo", "tester", report_year=year)
        assert corrections.set_document(con, document, "first report", "tester", report_year=first) == {
            "report_year": first}
