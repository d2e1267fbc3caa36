"""GX's imports that no suite uses wait until something reads from them; reading from them still works."""
from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(script: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_deferred_module_is_imported_at_its_first_attribute_and_then_is_the_real_module() -> None:
    out = _run("""
        import sys
        from expectations.deferred_imports import DeferredModule, defer_unused
        defer_unused(("colorsys",))
        import colorsys
        print(type(sys.modules["colorsys"]).__name__)
        print(colorsys.rgb_to_hsv(1.0, 0.0, 0.0))
        print(type(sys.modules["colorsys"]).__name__, isinstance(sys.modules["colorsys"], DeferredModule))
        from colorsys import hsv_to_rgb
        print(hsv_to_rgb(0.0, 1.0, 1.0))
    """)
    assert out.splitlines() == ["DeferredModule", "(0.0, 1.0, 1.0)", "module False", "(1.0, 0.0, 0.0)"]


def test_loading_gx_for_validation_does_not_import_scipy_stats_or_altair_and_they_still_work() -> None:
    out = _run("""
        import sys
        import expectations.validate
        real = [n for n in ("scipy.stats", "altair") if type(sys.modules.get(n)).__name__ == "module"]
        print("imported:", real, len([m for m in sys.modules if m.startswith("scipy.stats.")]))
        from scipy.stats import entropy
        import altair
        print(round(float(entropy([0.5, 0.5], [0.9, 0.1])), 3), altair.Chart.__name__)
    """)
    assert out.splitlines() == ["imported: [] 0", "0.511 Chart"]
