"""Committed suite files: read, resolve reference placeholders, install into a GX context, verify on load."""
from __future__ import annotations

import datetime
import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from great_expectations.core.expectation_suite import ExpectationSuite
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

from transforms.models import BASES, COMPARATORS, KINDS
from transforms.numbers import PLAUSIBLE_YEARS
from transforms.reference import Reference
from transforms.spam import ADVERT_PATTERN

from . import custom  # noqa: F401  (registers the custom expectation types before any suite is loaded)

SUITES_DIR = Path(__file__).resolve().parent / "suites"
SEVERITIES: tuple[str, ...] = ("critical", "warning")
REFERENCE_KEY = "$reference"
REFERENCE_SET_TYPE = "expect_column_values_to_be_in_reference_set"

# Markers of injected advertising/spam that must not survive cleaning (links, and cleaning's own advert phrases).
SPAM_PATTERN = r"https?://|www\.|" + ADVERT_PATTERN


class SuiteError(Exception):
    """A committed suite file that is malformed or does not load completely into GX."""


@dataclass(frozen=True)
class SuiteFile:
    """One committed suite: its name, table, severity, and the expectations as resolved for GX."""

    path: Path
    name: str
    table: str
    severity: str
    definition: dict[str, Any]

    @property
    def expectation_count(self) -> int:
        """Number of expectations written in the committed file."""
        return len(self.definition["expectations"])


def _reference_values(ref: Reference) -> dict[str, Callable[[], Any]]:
    return {
        "unit_names": lambda: sorted(ref.units),
        "metric_codes": lambda: sorted(m.code for m in ref.metrics),
        "region_codes": lambda: sorted(r.code for r in ref.regions),
        "comparators": lambda: list(COMPARATORS),
        "kinds": lambda: list(KINDS),
        "bases": lambda: list(BASES),
        "spam_pattern": lambda: SPAM_PATTERN,
        "first_year": lambda: PLAUSIBLE_YEARS[0],
        "max_report_year": lambda: datetime.date.today().year + 1,
    }


def _resolve(value: Any, values: dict[str, Callable[[], Any]], path: Path) -> Any:
    if isinstance(value, dict):
        if set(value) == {REFERENCE_KEY}:
            name = value[REFERENCE_KEY]
            if name not in values:
                raise SuiteError(f"{path}: unknown {REFERENCE_KEY} {name!r} (known: {', '.join(sorted(values))})")
            return values[name]()
        return {k: _resolve(v, values, path) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, values, path) for v in value]
    return value


def _version_reference_set(kwargs: dict[str, Any], values: dict[str, Callable[[], Any]], path: Path) -> None:
    """Register the named reference set with the custom expectation and pin its version in the kwargs."""
    name = kwargs.get("reference_set")
    if name not in values:
        raise SuiteError(f"{path}: unknown reference_set {name!r} (known: {', '.join(sorted(values))})")
    kwargs["set_version"] = custom.register_reference_set(name, values[name]())


def read_suite(path: Path, ref: Reference) -> SuiteFile:
    """Parse one committed suite file and resolve its {"$reference": name} placeholders from the reference."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise SuiteError(f"{path}: not a readable JSON suite ({e})") from None
    name = raw.get("name")
    if not isinstance(name, str) or not isinstance(raw.get("expectations"), list):
        raise SuiteError(f"{path}: a suite needs a string 'name' and an 'expectations' list")
    if f"{name}.json" != path.name:
        raise SuiteError(f"{path}: suite name {name!r} does not match the file name")
    table, _, severity = name.rpartition(".")
    if severity not in SEVERITIES or not table:
        raise SuiteError(f"{path}: suite name must be <table>.<{'|'.join(SEVERITIES)}>, got {name!r}")
    values = _reference_values(ref)
    definition = _resolve(raw, values, path)
    for exp in definition["expectations"]:
        exp.setdefault("severity", severity)
        if exp.get("type") == REFERENCE_SET_TYPE:
            _version_reference_set(exp["kwargs"], values, path)
    definition["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"mubiao:suite:{name}"))
    return SuiteFile(path, name, table, severity, definition)


def committed_suites(ref: Reference, directory: Path = SUITES_DIR) -> dict[str, SuiteFile]:
    """All committed suites by name."""
    return {s.name: s for s in (read_suite(p, ref) for p in sorted(directory.glob("*.json")))}


def install_suite(ctx: AbstractDataContext, suite: SuiteFile) -> ExpectationSuite:
    """Write the resolved suite into the context's expectations store, load it back and check nothing was dropped."""
    store_path = Path(ctx.root_directory, "expectations", *ExpectationSuiteIdentifier(suite.name).to_tuple())
    store_path = store_path.with_name(store_path.name + ".json")
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_text(json.dumps(suite.definition, ensure_ascii=False, indent=2), encoding="utf-8")
    loaded = ctx.suites.get(suite.name)
    if len(loaded.expectations) != suite.expectation_count:
        missing = Counter(e["type"] for e in suite.definition["expectations"]) - Counter(e.expectation_type
                                                                                           for e in loaded.expectations)
        raise SuiteError(
            f"{suite.path}: suite {suite.name!r} has {suite.expectation_count} expectations but GX loaded "
            f"{len(loaded.expectations)}; not loaded: {', '.join(sorted(missing)) or '?'} "
            "(unknown type, not imported, or invalid kwargs)")
    return loaded
