"""The unit lexicon: units as written (from units.csv), magnitude prefixes (万/亿) and conversion to base units."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import MAGNITUDES
from .reference import Reference, Unit, per_reference

# Families whose units never take a 万/亿 prefix (万% is not a unit).
_UNSCALED_FAMILIES = frozenset({"percent", "percentage_point", "multiple", "duration", "concentration", "age",
                                "mass_fraction"})
PERCENT_FAMILIES = frozenset({"percent", "percentage_point"})


@dataclass(frozen=True)
class UnitLexicon:
    """Units recognised after a number: the regex alternation and the lookup to base units."""

    pattern: str
    units: dict[str, Unit]

    def lookup(self, written: str) -> Unit | None:
        """The unit as written (亿元, 万人次, 1e4 x 个 for 万个), or None when unknown."""
        unit = self.units.get(written)
        if unit is not None:
            return unit
        for mag in sorted(MAGNITUDES, key=len, reverse=True):
            if written.startswith(mag) and len(written) > len(mag):
                base = self.units.get(written[len(mag):])
                if base is not None and base.family not in _UNSCALED_FAMILIES:
                    return Unit(written, base.base_unit, base.factor * MAGNITUDES[mag], base.family)
        return None


@per_reference
def unit_lexicon(ref: Reference) -> UnitLexicon:
    """The lexicon for a reference's units.csv, built once per reference."""
    bare = [u for u in ref.units if not any(u.startswith(m) and len(u) > len(m) and u[len(m):] in ref.units
                                            for m in MAGNITUDES)]
    pattern = "|".join(re.escape(u) for u in sorted(bare, key=len, reverse=True))
    return UnitLexicon(pattern, dict(ref.units))


def is_percent(unit: Unit | None) -> bool:
    """True for %, ‰ and 个百分点."""
    return unit is not None and unit.family in PERCENT_FAMILIES
