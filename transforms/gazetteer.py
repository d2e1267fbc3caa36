"""Region gazetteer index: resolve a name to a region, find region mentions in text, pick a document's region."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
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


@dataclass(frozen=True)
class Mentions:
    """Region mentions found in a text: counts by region code, and shared names left ambiguous."""

    counts: Counter[str]
    ambiguous: Counter[str]


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
        """The region a code, full name, short name or chained name (广州市海珠区) refers to; None if unknown or shared."""
        value = re.sub(r"\s+", "", value or "")
        if value in self.by_code:
            return self.by_code[value]
        codes = self.by_name.get(value, ())
        if codes:
            return self.by_code[codes[0]] if len(codes) == 1 else None
        found = self.scan(value).counts
        if not found:
            return None
        deepest = max(found, key=lambda c: len(self.path(c)))
        chain = {r.code for r in self.path(deepest)}
        return self.by_code[deepest] if all(c in chain for c in found) else None

    def scan(self, text: str, context: Collection[str] = ()) -> Mentions:
        """Region mentions in a text (a short name that names a facility is not counted).

        A name shared by several regions (朝阳: 朝阳区 of 北京市 and of 长春市, 朝阳市) counts for the one whose
        parent chain holds a region named unambiguously in the text or given in context; if several qualify
        and one of them contains the others (吉林: 吉林省 and 吉林市), it counts for that one; otherwise it is
        not counted but reported as ambiguous.
        """
        counts: Counter[str] = Counter()
        shared: list[str] = []
        for m in self.pattern.finditer(text):
            codes = self.by_name.get(m.group(), ())
            if len(codes) == 1:
                counts[codes[0]] += 1
            elif codes:
                shared.append(m.group())
        ambiguous: Counter[str] = Counter()
        if shared:
            known = set(context) | set(counts)
            for name in shared:
                code = self._disambiguate(self.by_name[name], known)
                if code:
                    counts[code] += 1
                else:
                    ambiguous[name] += 1
        return Mentions(counts, ambiguous)

    def mentions(self, text: str, context: Collection[str] = ()) -> Counter[str]:
        """How often each region is named in a text, shared names resolved as in scan()."""
        return self.scan(text, context).counts

    def _disambiguate(self, codes: tuple[str, ...], known: set[str]) -> str | None:
        supported = [c for c in codes if any(r.code in known for r in self.path(c))] or list(codes)
        for code in supported:
            if all(code in {r.code for r in self.path(other)} for other in supported):
                return code
        return None

    def describe(self, name: str) -> str:
        """The regions a shared name may mean, with their parents (朝阳区 (北京市) / 朝阳市 (辽宁省))."""
        parts = []
        for code in self.by_name.get(name, ()):
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


def _trie_regex(full: set[str], short: set[str]) -> str:
    """One regex matching the longest of the names at a position, a short name only if no facility follows.

    The names are nested by common prefix (广(?:州(?:市)?|东(?:省)?)), since the regex engine tries the
    branches of a flat alternation one by one at every position.
    """
    trie: dict = {}
    for name in full | short:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = name in full or node.get("", False)

    def node_regex(node: dict) -> str:
        branches = "|".join(re.escape(c) + node_regex(child) for c, child in sorted(node.items()) if c)
        if "" not in node:
            return f"(?:{branches})" if branches else ""
        if node[""]:
            return f"(?:{branches})?" if branches else ""
        return f"(?:{branches}|(?!{_FACILITY}))" if branches else f"(?!{_FACILITY})"

    return node_regex(trie)


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
    full = {r.name for r in regions}
    short = {a for r in regions for a in r.aliases} - full
    pattern = re.compile(_trie_regex(full, short)) if by_name else re.compile(r"(?!)")
    return Gazetteer(by_code, {k: tuple(v) for k, v in by_name.items()},
                     {k: tuple(v) for k, v in children.items()}, pattern)


@per_reference
def gazetteer_for(ref: Reference) -> Gazetteer:
    """The gazetteer of a reference, built once per process."""
    return build_gazetteer(ref.regions)
