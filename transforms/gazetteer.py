"""Region gazetteer index: resolve a name to a region, find region mentions in text, pick a document's region."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from .reference import Reference, Region

# A short name followed by one of these names a facility or street (中山大学, 广州塔, 南沙港快速路), not the region.
_FACILITY = (r"大学|学院|中学|小学|医院|纪念|大道|路|街(?!道)|公园|广场|塔|大桥|桥|南站|北站|东站|西站|站|港|机场|码头|"
             r"隧道|高速|快速|地铁|水道|湖|山|号|银行|集团|公司|报|日报|电视台")
# Descend from a region to a sub-region only if the sub-region has this much support...
_MIN_SUPPORT = 3.0
# ...and this share of the support of the region it lies in, and twice the support of any sibling.
_MIN_SHARE = 0.35
_SIBLING_FACTOR = 2.0


@dataclass(frozen=True)
class Gazetteer:
    """Regions indexed by code, by name and alias, and by parent; plus one regex for all their names."""

    by_code: Mapping[str, Region]
    by_name: Mapping[str, tuple[str, ...]]
    children: Mapping[str | None, tuple[str, ...]]
    pattern: re.Pattern[str]

    def path(self, code: str) -> list[Region]:
        """The region and its ancestors, nearest first (海珠区, 广州市, 广东省)."""
        out = []
        region = self.by_code.get(code)
        while region is not None and len(out) < 8:
            out.append(region)
            region = self.by_code.get(region.parent_code or "")
        return out

    def resolve(self, value: str) -> Region | None:
        """The region a code, full name, short name or chained name (广州市海珠区) refers to, if unambiguous."""
        value = re.sub(r"\s+", "", value or "")
        if value in self.by_code:
            return self.by_code[value]
        codes = self.by_name.get(value, ())
        if len(codes) == 1:
            return self.by_code[codes[0]]
        found = self.mentions(value)
        if not found:
            return None
        deepest = max(found, key=lambda c: len(self.path(c)))
        chain = {r.code for r in self.path(deepest)}
        return self.by_code[deepest] if all(c in chain for c in found) else None

    def mentions(self, text: str) -> Counter[str]:
        """How often each region is named in a text (a short name that names a facility is not counted)."""
        counts: Counter[str] = Counter()
        for m in self.pattern.finditer(text):
            for code in self.by_name.get(m.group(), ()):
                counts[code] += 1
        return counts

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
    """Index a tuple of regions (done once per reference)."""
    by_code = {r.code: r for r in regions}
    by_name: dict[str, list[str]] = {}
    children: dict[str | None, list[str]] = {}
    for r in regions:
        for name in dict.fromkeys((r.name, *r.aliases)):
            by_name.setdefault(name, []).append(r.code)
        parent = r.parent_code if r.parent_code in by_code else None
        children.setdefault(parent, []).append(r.code)
    full = sorted({r.name for r in regions}, key=len, reverse=True)
    short = sorted({a for r in regions for a in r.aliases} - set(full), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, full))
    if short:
        alternatives += rf"|(?:{'|'.join(map(re.escape, short))})(?!{_FACILITY})"
    # The leading set of first characters lets the regex engine skip ahead instead of trying every name.
    first_chars = re.escape("".join(sorted({n[0] for n in by_name})))
    pattern = re.compile(f"(?=[{first_chars}])(?:{alternatives})") if by_name else re.compile(r"(?!)")
    return Gazetteer(by_code, {k: tuple(v) for k, v in by_name.items()},
                     {k: tuple(v) for k, v in children.items()}, pattern)


_CACHE: dict[int, tuple[tuple[Region, ...], Gazetteer]] = {}


def gazetteer_for(ref: Reference) -> Gazetteer:
    """The gazetteer of a reference, built once per process."""
    cached = _CACHE.get(id(ref.regions))
    if cached is None or cached[0] is not ref.regions:
        cached = (ref.regions, build_gazetteer(ref.regions))
        _CACHE[id(ref.regions)] = cached
    return cached[1]
