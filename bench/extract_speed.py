"""Time clean + extract over report files in one process, side by side with jieba.lcut over the same text.

usage: python bench/extract_speed.py FILE... [--repeat N]
The last line is `extract_chars_per_s=N jieba_chars_per_s=M ratio=R`.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transforms.clean import clean_document  # noqa: E402
from transforms.extract import extract  # noqa: E402
from transforms.models import RawDocument  # noqa: E402
from transforms.read import read_document  # noqa: E402
from transforms.reference import default_reference  # noqa: E402
from transforms.segment import segmenter  # noqa: E402


def _best_of(repeat: int, fn) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print per-stage speeds."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=5, help="runs per measurement; the fastest is kept")
    args = ap.parse_args(argv)

    raws: list[RawDocument] = []
    for path in args.files:
        raws.extend(read_document(path.name, path.read_bytes()))
    chars = sum(len(r.text) for r in raws)
    ref = default_reference()

    import jieba  # imported here so its start-up cost is not part of the extract timing
    jieba.setLogLevel(60)
    jieba.initialize()
    segmenter(ref).warm_up()  # the subject segmenter's dictionary loads once per process, outside the timing
    extract(clean_document(raws[0]).text, None, ref)  # warm the per-reference caches (regex, catalog)

    def run_extract() -> None:
        segmenter(ref).forget()  # time segmentation of every subject span, not memo look-ups
        for raw in raws:
            extract(clean_document(raw).text, None, ref)

    def run_jieba() -> None:
        for raw in raws:
            jieba.lcut(raw.text)

    t_extract = _best_of(args.repeat, run_extract)
    t_jieba = _best_of(max(1, args.repeat // 2), run_jieba)
    extract_speed, jieba_speed = chars / t_extract, chars / t_jieba
    print(f"files={len(args.files)} documents={len(raws)} chars={chars}")
    print(f"clean+extract: {t_extract * 1000:.1f} ms   jieba.lcut: {t_jieba * 1000:.1f} ms")
    print(f"extract_chars_per_s={extract_speed:.0f} jieba_chars_per_s={jieba_speed:.0f} "
          f"ratio={extract_speed / jieba_speed:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
