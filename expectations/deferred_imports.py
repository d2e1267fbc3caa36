"""Modules GX imports when it loads but mubiao's suites never use, loaded only if something reads from them.

GX's KL-divergence expectation imports `scipy.stats` and `altair` at module level, and every expectation module is
imported with GX: 1.4 s of CPU (of ~3.7 s for GX) and ~640 modules at each run's start, for an expectation no
suite holds. `defer_unused()` puts a stand-in into `sys.modules` for each; the first attribute read from one
imports the real module and answers from it, so any code that does use them still works, only later.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any

UNUSED_BY_SUITES = ("scipy.stats", "altair")
_LOADING = threading.RLock()  # re-entrant: importing one may read from another


class DeferredModule(types.ModuleType):
    """A stand-in in sys.modules that imports the real module on the first attribute it cannot answer."""

    def __getattr__(self, attr: str) -> Any:
        with _LOADING:
            real = sys.modules.get(self.__name__)
            if real is self or real is None:
                sys.modules.pop(self.__name__, None)
                real = importlib.import_module(self.__name__)
        return getattr(real, attr)


def defer_unused(names: tuple[str, ...] = UNUSED_BY_SUITES) -> None:
    """Stand in for each installed module not imported yet (call before importing great_expectations)."""
    for name in names:
        if name not in sys.modules and importlib.util.find_spec(name.partition(".")[0]) is not None:
            sys.modules[name] = DeferredModule(name)
