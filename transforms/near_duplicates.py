"""Near-duplicate documents: MinHash signatures over character shingles, candidate pairs by LSH banding, and
the one copy of each group that stays in the views.

The same report often arrives twice (a clean copy and a web scrape with navigation, spam and different
punctuation). Two texts are near-duplicates when the Jaccard similarity of their sets of character
5-grams (letters, digits and CJK characters only, full-width ones as ASCII, so spacing, punctuation and line
breaks do not count) is at least
NEAR_DUPLICATE_SIMILARITY; a one-permutation MinHash (one hash per shingle, the minimum per bin) estimates it
from 128 numbers per document, in time linear in the text.

Which copy stays (`canonical`), in order:

| rule | prefers                                                  | why                                       |
| ---- | -------------------------------------------------------- | ----------------------------------------- |
| 1    | fewer content findings (spam or page furniture removed)  | the clean copy, not the scrape            |
| 2    | a higher share of Chinese text (cjk_ratio, to 0.01)      | less markup and navigation left in it     |
| 3    | more metadata known (region code, report year)           | its figures can be placed                 |
| 4    | earlier first load                                       | a re-run does not swap the copies         |
| 5    | file name, then document id, in sort order               | a total order                             |
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SHINGLE = 5  # characters per shingle
BINS = 128  # numbers per signature (a power of two)
BANDS = 32  # LSH bands of BINS // BANDS numbers: pairs from ~0.6 similarity almost always meet in one
NEAR_DUPLICATE_SIMILARITY = 0.7  # estimated Jaccard similarity from which two documents are copies
_MIX = np.uint64(0x100000001B3)  # FNV prime: mixes code points into a shingle hash
_A, _B = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xD1B54A32D192ED03)  # odd: x -> a*x + b permutes 2^64
_BIN_SHIFT = np.uint64(64 - (BINS.bit_length() - 1))
EMPTY = (1 << int(_BIN_SHIFT)) - 1  # a bin no shingle fell into (values are below it)
# Punctuation and symbol blocks above U+3400 (CJK and full-width punctuation, private use, specials).
_PUNCTUATION = ((0x3000, 0x303F), (0xE000, 0xF8FF), (0xFE10, 0xFE6F), (0xFF00, 0xFF0F), (0xFF1A, 0xFF20),
                (0xFF3B, 0xFF40), (0xFF5B, 0xFFFF))


def _text_points(text: str) -> np.ndarray:
    """The text's letters and digits as code points (full-width ASCII folded to ASCII), everything else dropped."""
    p = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    p = np.where((p >= 0xFF10) & (p <= 0xFF5A), p - 0xFEE0, p)  # ８０００ is 8000, Ａ is A
    keep = (((p >= 0x30) & (p <= 0x39)) | ((p | 0x20) >= 0x61) & ((p | 0x20) <= 0x7A)) \
        | ((p >= 0xC0) & (p < 0x2000)) | (p >= 0x3400)
    for low, high in _PUNCTUATION:
        keep &= (p < low) | (p > high)
    return p[keep].astype(np.uint64)


def shingle_hashes(text: str, k: int = SHINGLE) -> np.ndarray:
    """64-bit hashes of the text's character k-grams (with repeats), ignoring everything but letters and digits."""
    points = _text_points(text)
    if len(points) < k:
        return np.zeros(0, dtype=np.uint64)
    n = len(points) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _MIX + points[j:n + j]
    return h


def signature(text: str) -> list[int]:
    """The text's MinHash signature: per bin, the least permuted shingle hash falling into it (EMPTY if none)."""
    hashes = shingle_hashes(text)
    out = np.full(BINS, EMPTY, dtype=np.uint64)
    if len(hashes):
        with np.errstate(over="ignore"):
            permuted = hashes * _A + _B
        permuted ^= permuted >> np.uint64(31)  # spread the low bits into the bin number
        np.minimum.at(out, (permuted >> _BIN_SHIFT).astype(np.int64), permuted & np.uint64(EMPTY - 1))
    return [int(v) for v in out]


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two texts: equal bins among the bins either text filled."""
    if len(a) != len(b) or not len(a):
        return 0.0
    x, y = np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)
    filled = (x != EMPTY) | (y != EMPTY)
    return float(np.sum((x == y) & filled) / np.sum(filled)) if filled.any() else 0.0


@dataclass(frozen=True)
class Candidate:
    """A document as the duplicate finder sees it."""

    document_id: str
    signature: Sequence[int]
    findings: int = 0  # content findings (spam or furniture removed): fewer is cleaner
    cjk_ratio: float = 0.0  # share of Chinese characters in the text: higher is cleaner
    known_metadata: int = 0  # how many of region code and report year are known
    first_loaded: str = ""  # sortable time of its first load
    name: str = ""  # file name (and part)


@dataclass(frozen=True)
class Duplicate:
    """A document that repeats another: its id, the copy that stays, and their estimated similarity."""

    document_id: str
    duplicate_of: str
    similarity: float


def _buckets(docs: Sequence[Candidate]) -> list[list[int]]:
    """Documents sharing a band of their signatures (LSH): the groups in which copies are looked for."""
    rows = BINS // BANDS
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        if len(d.signature) != BINS:
            continue
        for band in range(BANDS):
            key = tuple(d.signature[band * rows:(band + 1) * rows])
            if EMPTY not in key:
                buckets[(band, *key)].append(i)
    return [members for members in buckets.values() if len(members) > 1]


def _preference(d: Candidate) -> tuple:
    return (d.findings, -round(d.cjk_ratio, 2), -d.known_metadata, d.first_loaded, d.name, d.document_id)


def near_duplicates(docs: Sequence[Candidate], threshold: float = NEAR_DUPLICATE_SIMILARITY) -> list[Duplicate]:
    """Every document that is a near-copy of a preferred one (see the module's table), grouped transitively."""
    parent = list(range(len(docs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    best: dict[tuple[int, int], float] = {}
    for members in _buckets(docs):
        # each member is compared with one member of each group already in the bucket, not with every member:
        # 500 copies of one report cost 500 comparisons per bucket, not 125,000
        seen: list[int] = []
        for i in members:
            for j in seen:
                if root(i) == root(j):
                    break
                if (s := similarity(docs[i].signature, docs[j].signature)) >= threshold:
                    best[(min(i, j), max(i, j))] = s
                    parent[root(i)] = root(j)
                    break
            else:
                seen.append(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        groups[root(i)].append(i)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        keep = min(members, key=lambda i: _preference(docs[i]))
        for i in members:
            if i != keep:
                s = best.get((min(i, keep), max(i, keep))) or similarity(docs[i].signature, docs[keep].signature)
                out.append(Duplicate(docs[i].document_id, docs[keep].document_id, round(s, 3)))
    return sorted(out, key=lambda d: d.document_id)
