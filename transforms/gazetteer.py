"""Region gazetteer index: resolve a name to a region, find region mentions in text, pick a document's region.

Holds every unit of seeds/reference/regions.csv — 全国, provinces, prefectures, county-level units, streets, and
units abolished since 2000 (looked up for the report's year).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from .reference import Reference, Region, per_reference

# A short name followed by one of these names a facility or street (中山大学, 广州塔, 南沙港快速路), not the region.
_FACILITY = (r"大学|学院|中学|小学|医院|纪念|大道|路|街(?!道)|公园|广场|塔|大桥|桥|南站|北站|东站|西站|站|港|机场|码头|"
             r"隧道|高速|快速|地铁|水道|湖|山|号|银行|集团|公司|报|日报|电视台")
# Descend from a region to a sub-region only if the sub-region has this much support...
_MIN_SUPPORT = 3.0
# ...and this share of the support of the region it lies in, and twice the support of any sibling.
_MIN_SHARE = 0.35
_SIBLING_FACTOR = 2.0
# The last character of a unit's type (省, 市, 区, 县, 州, 盟, 旗): a short name followed by one names another
# unit (青川市, 南江市), not the one it is short for; metadata.py reads scope words (全区, 全县) with it.
UNIT_SUFFIXES = "省市区县州盟旗"
_UNIT_SUFFIX = f"[{UNIT_SUFFIXES}]"
# Levels whose two-character names (和县, 通州, 桂城) are too often ordinary words to count in running text.
_WEAK_LEVELS = ("district", "county", "street")


@dataclass(frozen=True)
class Mentions:
    """Region mentions found in a text: counts by region code, and shared names left ambiguous."""

    counts: Counter[str]
    ambiguous: Counter[str]


class NameIndex:
    """Finds region names in a text, longest first, without trying every name at every position.

    A regex with one character class per position finds the places where a name's first two characters stand
    (C speed); there a dict of the lengths of the names with that prefix bounds the look-ups. A short name
    followed by a facility word (中山大学, 南沙港) or by a unit suffix (青川市 is not 青川县: had it been a unit, its
    full name would have matched) does not count. ~40× faster than one alternation of all names.
    """

    def __init__(self, full: set[str], short: set[str]) -> None:
        self.full = frozenset(full)
        self.names = frozenset(n for n in full | short if len(n) >= 2)
        lengths: dict[str, set[int]] = {}
        for name in self.names:
            lengths.setdefault(name[:2], set()).add(len(name))
        self.lengths = {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
        first = "".join(sorted({k[0] for k in self.lengths}))
        second = "".join(sorted({k[1] for k in self.lengths}))
        self.starts = re.compile(f"(?=[{re.escape(first)}][{re.escape(second)}])" if first else r"(?!)")
        self.facility = re.compile(f"{_FACILITY}|{_UNIT_SUFFIX}")

    def finditer(self, text: str) -> Iterator[tuple[int, str]]:
        """(position, name) of every name in the text, left to right, longest match, not overlapping."""
        end = 0
        for m in self.starts.finditer(text):
            i = m.start()
            if i < end:
                continue
            for length in self.lengths.get(text[i:i + 2], ()):
                name = text[i:i + length]
                if name in self.names and (name in self.full or not self.facility.match(text, i + length)):
                    yield i, name
                    end = i + length
                    break


@dataclass(frozen=True)
class Gazetteer:
    """Regions indexed by code, by name and alias, and by parent; plus one regex for all their names."""

    by_code: Mapping[str, Region]
    by_name: Mapping[str, tuple[str, ...]]
    children: Mapping[str | None, tuple[str, ...]]
    index: NameIndex
    weak: frozenset[str] = frozenset()

    def chain(self, code: str) -> tuple[Region | None, Region | None]:
        """The province and the prefecture a region lies in (itself if it is one): (内蒙古自治区, 呼伦贝尔市)."""
        path = self.path(code)
        province = next((r for r in path if r.level == "province"), None)
        prefecture = next((r for r in path if r.level == "city"), None)
        return province, prefecture

    def candidates(self, codes: Collection[str], year: int | None = None) -> tuple[str, ...]:
        """The units a name may mean (in a year: those that existed then); a unit re-coded into another is that one."""
        codes = tuple(codes)
        if year is not None:
            codes = tuple(c for c in codes if self.by_code[c].valid_in(year)) or codes
        if len(codes) > 1:
            codes = tuple(c for c in codes if not self._successors(c) & set(codes)) or codes
        return codes

    def _successors(self, code: str) -> set[str]:
        out: set[str] = set()
        region = self.by_code.get(code)
        while region is not None and region.successor_code and region.successor_code not in out and len(out) < 8:
            out.add(region.successor_code)
            region = self.by_code.get(region.successor_code)
        return out

    def path(self, code: str) -> list[Region]:
        """The region and its ancestors, nearest first (海珠区, 广州市, 广东省)."""
        out = []
        region = self.by_code.get(code)
        while region is not None and len(out) < 8:
            out.append(region)
            region = self.by_code.get(region.parent_code or "")
        return out

    def resolve(self, value: str, context: Collection[str] = (), year: int | None = None) -> Region | None:
        """The region a code, full name, short name or chained name (广州市海珠区) refers to; None if unknown or shared.

        A name shared by several units is resolved by the regions given in context (their chains), as in scan().
        """
        value = re.sub(r"\s+", "", value or "")
        if value in self.by_code:
            return self.by_code[value]
        codes = self.candidates(self.by_name.get(value, ()), year)
        if codes:
            supported = [c for c in codes if any(r.code in context for r in self.path(c))]
            return self.by_code[codes[0]] if len(codes) == 1 else (
                self.by_code[supported[0]] if len(supported) == 1 else None)
        found = self.scan(value, context, year, cue=True).counts
        if not found:
            return None
        deepest = max(found, key=lambda c: len(self.path(c)))
        chain = {r.code for r in self.path(deepest)}
        return self.by_code[deepest] if all(c in chain for c in found) else None

    def scan(self, text: str, context: Collection[str] = (), year: int | None = None, cue: bool = False) -> Mentions:
        """Region mentions in a text (a short name that names a facility is not counted).

        A weak name (two characters of a county-level unit: 和县, 通州) counts in running text only if its parent
        (city, or municipality) is named there too or given in context (it is too often an ordinary word); in a
        cue (cue=True: a title, a congress line, a stated region) it always counts. A name
        that several units had (钢城区 before and after 2019) means the one that existed in the year.

        A name shared by several regions (朝阳: 朝阳区 of 北京市 and of 长春市, 朝阳市) counts for the one whose
        parent chain holds a region named unambiguously in the text or given in context; if several qualify
        and one of them contains the others (吉林: 吉林省 and 吉林市), it counts for that one; otherwise it is
        not counted but reported as ambiguous.
        """
        counts: Counter[str] = Counter()
        shared: list[str] = []
        weak: list[str] = []
        for _, name in self.index.finditer(text):
            if not cue and name in self.weak:
                weak.append(name)
                continue
            codes = self.candidates(self.by_name.get(name, ()), year)
            if len(codes) == 1:
                counts[codes[0]] += 1
            elif codes:
                shared.append(name)
        known = set(context) | set(counts)
        for name in weak:   # counts only where its parent is named too (海珠 in a text naming 广州)
            codes = [c for c in self.candidates(self.by_name[name], year)
                     if self.by_code[c].parent_code in known]
            if len(codes) == 1:
                counts[codes[0]] += 1
        ambiguous: Counter[str] = Counter()
        if shared:
            known = set(context) | set(counts)
            for name in shared:
                code = self._disambiguate(self.candidates(self.by_name[name], year), known)
                if code:
                    counts[code] += 1
                else:
                    ambiguous[name] += 1
        return Mentions(counts, ambiguous)

    def mentions(self, text: str, context: Collection[str] = ()) -> Counter[str]:
        """How often each region is named in a text, shared names resolved as in scan()."""
        return self.scan(text, context).counts

    def _disambiguate(self, codes: Collection[str], known: set[str]) -> str | None:
        supported = [c for c in codes if any(r.code in known for r in self.path(c))] or list(codes)
        for code in supported:
            if all(code in {r.code for r in self.path(other)} for other in supported):
                return code
        return None

    def describe(self, name: str) -> str:
        """The regions a shared name may mean, with their parents (朝阳区 (北京市) / 朝阳市 (辽宁省))."""
        parts = []
        for code in self.candidates(self.by_name.get(name, ())):
            path = self.path(code)
            parts.append(f"{path[0].name} ({path[1].name})" if len(path) > 1 else path[0].name)
        return " / ".join(parts)

    def choose(self, weights: Mapping[str, float]) -> Region | None:
        """The most specific region that the weighted mentions clearly point to, or None if they do not."""
        support: Counter[str] = Counter()
        for code, w in weights.items():
            for region in self.path(code):
                support[region.code] += w
        chosen: Region | None = None
        parent: str | None = None
        while True:
            ranked = sorted(self.children.get(parent, ()), key=lambda c: support[c], reverse=True)
            if not ranked or support[ranked[0]] < _MIN_SUPPORT:
                return chosen
            best = support[ranked[0]]
            runner_up = support[ranked[1]] if len(ranked) > 1 else 0.0
            if best < _SIBLING_FACTOR * runner_up or (chosen and best < _MIN_SHARE * support[chosen.code]):
                return chosen
            chosen = self.by_code[ranked[0]]
            parent = chosen.code


def build_gazetteer(regions: tuple[Region, ...]) -> Gazetteer:
    """Index a tuple of regions (done once per reference).

    The national entry (全国) is found by its resolve() names only, never in running text (全国 is in every
    report): metadata.py recognises a national report by its own cues (国务院, 全国人民代表大会).
    """
    by_code = {r.code: r for r in regions}
    by_name: dict[str, list[str]] = {}
    children: dict[str | None, list[str]] = {}
    for r in regions:
        for name in dict.fromkeys((r.name, *r.aliases)):
            by_name.setdefault(name, []).append(r.code)
        parent = r.parent_code if r.parent_code in by_code else None
        children.setdefault(parent, []).append(r.code)
    local = [r for r in regions if r.level != "national"]
    full = {r.name for r in local}
    short = {a for r in local for a in r.aliases} - full
    weak = frozenset(n for r in local if r.level in _WEAK_LEVELS for n in (r.name, *r.aliases) if len(n) <= 2)
    return Gazetteer(by_code, {k: tuple(v) for k, v in by_name.items()},
                     {k: tuple(v) for k, v in children.items()}, NameIndex(full, short), weak)


@per_reference
def gazetteer_for(ref: Reference) -> Gazetteer:
    """The gazetteer of a reference, built once per process."""
    return build_gazetteer(ref.regions)
