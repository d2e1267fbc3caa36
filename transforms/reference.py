"""Reference data from seeds/reference/: the metric catalog, units and the region gazetteer."""
from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from pathlib import Path
from typing import TypeVar

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "seeds" / "reference"


@dataclass(frozen=True)
class Metric:
    """A catalog indicator: code, Chinese aliases, measure and plausible value range.

    measure is level (an amount), growth (a % change: 增长5%), share (a part of a whole: 比重, 占比, 强度),
    rate (a ratio such as 失业率 or 城镇化率) or change (a difference: 个百分点, 比上年减少300亿元).
    headline_code is the SCHEMA headline code the metric rolls up to (its own code for a headline metric,
    the parent's for a finer one such as 城镇居民人均可支配收入增长), or None.
    """

    code: str
    name_zh: str
    name_en: str
    measure: str
    unit: str
    aliases: tuple[str, ...]
    plausible_min: float | None
    plausible_max: float | None
    domain: str = ""
    headline_code: str | None = None


@dataclass(frozen=True)
class Unit:
    """A unit as written, with its base unit and the factor that converts to it."""

    unit: str
    base_unit: str
    factor: float
    family: str


@dataclass(frozen=True)
class Region:
    """A gazetteer entry: official full name, short forms, admin level, parent and GB/T 2260 code.

    level is national (全国, 100000), province (省级), city (every prefecture-level unit: 地级市, 自治州, 地区, 盟),
    district (市辖区), county (every other county-level unit: 县, 自治县, 县级市, 旗, 自治旗, 特区, 林区) or street
    (街道, 镇); kind is the official type (市辖区, 县级市, 自治旗 …).

    valid_from / valid_to: the years the unit existed (None: before 2000 / still current); a unit abolished or
    renamed names its successor_code. code_source says where the code comes from: "gbt2260" (6-digit GB/T
    2260), "stats" (9-digit 统计用区划代码 of a township/street) or "derived" (the parent's code + "D" + serial).
    """

    code: str
    name: str
    level: str
    parent_code: str | None
    aliases: tuple[str, ...]
    code_source: str = "gbt2260"
    kind: str = ""
    valid_from: int | None = None
    valid_to: int | None = None
    successor_code: str | None = None

    @property
    def current(self) -> bool:
        """True if the unit still exists."""
        return self.valid_to is None

    def valid_in(self, year: int) -> bool:
        """True if the unit existed in that year (a year before 2000 counts for every unit valid from the start)."""
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True)
class Reference:
    """All reference tables, loaded once per process."""

    metrics: tuple[Metric, ...]
    units: dict[str, Unit] = field(hash=False)
    regions: tuple[Region, ...]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if any((v or "").strip() for v in r.values())]


def _opt_float(s: str | None) -> float | None:
    s = (s or "").strip()
    return float(s) if s else None


def _opt_int(s: str | None) -> int | None:
    s = (s or "").strip()
    return int(s) if s else None


def _split(s: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (s or "").split("|") if a.strip())


def load_reference(directory: Path = REFERENCE_DIR) -> Reference:
    """Read metrics.csv, units.csv and regions.csv from a reference directory."""
    metrics = tuple(
        Metric(r["code"], r["name_zh"], r["name_en"], r["measure"], r["unit"], _split(r["aliases"]),
               _opt_float(r["plausible_min"]), _opt_float(r["plausible_max"]), (r.get("domain") or "").strip(),
               (r.get("headline_code") or "").strip() or None)
        for r in _rows(directory / "metrics.csv"))
    units = {r["unit"]: Unit(r["unit"], r["base_unit"], float(r["factor"]), r["family"])
             for r in _rows(directory / "units.csv")}
    regions = tuple(
        Region(r["code"], r["name"], r["level"], r["parent_code"] or None, _split(r["aliases"]),
               (r.get("code_source") or "").strip() or "gbt2260", (r.get("kind") or "").strip(),
               _opt_int(r.get("valid_from")), _opt_int(r.get("valid_to")),
               (r.get("successor_code") or "").strip() or None)
        for r in _rows(directory / "regions.csv"))
    return Reference(metrics, units, regions)


_T = TypeVar("_T")
_PER_REFERENCE_MAX = 4


def per_reference(build: Callable[[Reference], _T]) -> Callable[[Reference], _T]:
    """Cache build(ref) per Reference object, built once per process.

    Keyed by identity, not value: a value hash walks every metric and region (~80 µs), which lru_cache would
    pay on every look-up, i.e. several times per document.
    """
    cache: dict[int, tuple[Reference, _T]] = {}

    @wraps(build)
    def cached(ref: Reference) -> _T:
        hit = cache.get(id(ref))
        if hit is not None and hit[0] is ref:
            return hit[1]
        value = build(ref)
        if len(cache) >= _PER_REFERENCE_MAX:
            cache.pop(next(iter(cache)))
        cache[id(ref)] = (ref, value)
        return value

    return cached


@lru_cache(maxsize=1)
def default_reference() -> Reference:
    """The project's reference data, cached for the process."""
    return load_reference()
