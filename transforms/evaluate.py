"""Score extracted figures against a gold CSV (same matching rules as the official score_gold.py).

Within a document a prediction matches a gold row when both values agree in base units and the unit family is
the same; only exact repeats (same sentence, subject, kind, values, family and period) are merged first, so
distinct figures with equal values each need their own prediction. Matched figures are then compared attribute
by attribute: kind, comparator, period, metric code (the headline code when the prediction has one) and basis
(where the gold row labels it); strict counts a match only when every scored attribute agrees.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .documents import ProcessedDocument
from .reference import default_reference

_MAGNITUDES = (("万亿", 1e12), ("千亿", 1e11), ("百亿", 1e10), ("亿", 1e8), ("千万", 1e7), ("百万", 1e6),
               ("十万", 1e5), ("万", 1e4), ("千", 1e3), ("百", 1e2))
_KEEP = {"万千瓦": ("千瓦", 1e4), "亿千瓦": ("千瓦", 1e8)}
_ALIASES = {"％": "%", "百分点": "个百分点", "km": "公里", "千米": "公里", "平方千米": "平方公里", "㎡": "平方米",
            "m2": "平方米", "m²": "平方米", "μg/m³": "微克/立方米", "μg/m3": "微克/立方米", "ug/m3": "微克/立方米"}
_ATTRIBUTES = ("kind", "comparator", "period", "metric_code", "basis")
# Labels that name a finer code than the headline list: scored as their headline code.
_CODE_ALIASES = {"unemployment_registered": "urban_unemployment_rate"}
GOLD_COLUMNS = ("doc", "kind", "value_low", "value_high", "unit", "comparator", "quote")


class GoldError(ValueError):
    """The gold file is not a readable gold CSV."""


@dataclass
class Score:
    """Value-level and strict (all attributes) precision/recall/F1, with per-attribute agreement and errors."""

    gold: int
    predicted: int
    tp: int
    precision: float
    recall: float
    f1: float
    strict_tp: int
    strict_precision: float
    strict_recall: float
    strict_f1: float
    attributes: dict[str, tuple[int, int]] = field(default_factory=dict)
    misses: list[tuple[str, str]] = field(default_factory=list)
    extras: list[tuple[str, str, float, str]] = field(default_factory=list)
    disagreements: list[tuple[str, str, str, str, str]] = field(default_factory=list)


def unit_family(unit: str | None) -> tuple[str, float]:
    """(family, scale) of a unit as written, e.g. '亿元' -> ('元', 1e8)."""
    u = (unit or "").strip().replace(" ", "")
    u = _ALIASES.get(u, u)
    if u in _KEEP:
        return _KEEP[u]
    if u in ("%", "个百分点", "‰", "", "倍", "微克/立方米"):
        return ({"‰": "%"}.get(u, u), 0.1 if u == "‰" else 1.0)
    for prefix, scale in _MAGNITUDES:
        if u.startswith(prefix) and len(u) > len(prefix):
            rest = u[len(prefix):]
            return _ALIASES.get(rest, rest), scale
    return u, 1.0


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _float(x: object) -> float | None:
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _stem(path: object) -> str:
    name = str(path or "").replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"\.[A-Za-z0-9]+$", "", name)


def _year(value: object) -> str:
    return str(value if value is not None else "").split(".")[0].replace("None", "")


def load_gold(gold_csv: Path) -> list[dict]:
    """Gold rows with base-unit values, family, optional flag and period."""
    rows = []
    try:
        with Path(gold_csv).open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if missing := [c for c in GOLD_COLUMNS if c not in (reader.fieldnames or [])]:
                raise GoldError(f"{gold_csv} is not a gold CSV: no column {', '.join(missing)} "
                                "(see tests/data/SCHEMA.md)")
            records = list(reader)
    except (UnicodeDecodeError, csv.Error) as e:
        raise GoldError(f"{gold_csv} is not a UTF-8 CSV file ({e})") from None
    for r in records:
        fam, scale = unit_family(r["unit"])
        lo, hi = _float(r["value_low"]), _float(r["value_high"])
        if lo is None:
            continue
        hi = lo if hi is None else hi
        rows.append(dict(r, fam=fam, lo=lo * scale, hi=hi * scale, optional=r.get("optional", "0") == "1",
                         period=(r.get("period") or "").strip()))
    return rows


def predictions_from_documents(docs: Iterable[ProcessedDocument]) -> list[dict]:
    """Prediction dicts (doc, kind, values, unit, comparator, period_year, metric code, headline code and name,
    basis, sentence); headline_code as the figures view gives it, from the catalog."""
    headline = {m.code: m.headline_code for m in default_reference().metrics}
    return [{"doc": d.source_file, "kind": f.kind, "value_low": f.value_low, "value_high": f.value_high,
             "unit": f.unit, "comparator": f.comparator, "period_year": f.period_year,
             "metric_code": f.metric_code, "headline_code": headline.get(f.metric_code or ""),
             "metric_name": f.metric_name, "basis": f.basis, "sentence": f.sentence}
            for d in docs for f in d.extraction.figures]


def score(predictions: Sequence[dict], gold_csv: Path, documents: Collection[str] | None = None) -> Score:
    """Match predictions to gold per document on base-unit values and family; score values and attributes.

    With `documents` (the file names that were extracted), gold rows of other files are not scored.
    """
    gold = load_gold(gold_csv)
    scored = None if documents is None else {_stem(d) for d in documents}
    gold_by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        if scored is None or _stem(g["doc"]) in scored:
            gold_by_doc[_stem(g["doc"])].append(g)
    pred_by_doc: dict[str, dict[tuple, dict]] = defaultdict(dict)
    for p in predictions:
        doc = _stem(p.get("doc"))
        lo, hi = _float(p.get("value_low")), _float(p.get("value_high"))
        if doc not in gold_by_doc or lo is None:
            continue
        hi = lo if hi is None else hi
        fam, scale = unit_family(p.get("unit"))
        period = _year(p.get("period_year"))
        key = (p.get("kind"), round(lo * scale, 6), round(hi * scale, 6), fam, period,
               (p.get("sentence") or "").strip(), p.get("metric_name") or "")
        pred_by_doc[doc].setdefault(key, dict(p, fam=fam, lo=lo * scale, hi=hi * scale, period=period))

    tp = fp = fn = strict_tp = 0
    attributes: dict[str, list[int]] = {a: [0, 0] for a in _ATTRIBUTES}
    misses: list[tuple[str, str]] = []
    extras: list[tuple[str, str, float, str]] = []
    disagreements: list[tuple[str, str, str, str, str]] = []
    for doc in sorted(gold_by_doc):
        golds, preds = gold_by_doc[doc], list(pred_by_doc[doc].values())
        pairs = []
        for gi, g in enumerate(golds):
            for pi, p in enumerate(preds):
                if p["fam"] == g["fam"] and _close(p["lo"], g["lo"]) and _close(p["hi"], g["hi"]):
                    rank = 1 + 2 * (g["quote"] in (p.get("sentence") or "")) + (p.get("kind") == g["kind"]) + (
                        p["period"] == g["period"])
                    pairs.append((rank, gi, pi))
        pairs.sort(reverse=True)
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            g, p = golds[gi], preds[pi]
            if g["optional"]:
                continue
            tp += 1
            ok = True
            for name, gv, pv in (("kind", g["kind"], p.get("kind")), ("comparator", g["comparator"], p.get("comparator")),
                                 ("period", g["period"], p["period"]),
                                 ("metric_code", _CODE_ALIASES.get(g["metric_code"], g["metric_code"]),
                                  p.get("headline_code") or p.get("metric_code") or ""),
                                 ("basis", g.get("basis") or "", p.get("basis") or "annual")):
                if name in ("metric_code", "period", "basis") and not gv:
                    continue
                attributes[name][1] += 1
                if str(gv) == str(pv):
                    attributes[name][0] += 1
                else:
                    ok = False
                    disagreements.append((doc, g["quote"], name, str(gv), str(pv)))
            strict_tp += ok
        for gi, g in enumerate(golds):
            if gi not in used_g and not g["optional"]:
                fn += 1
                misses.append((doc, g["quote"]))
        for pi, p in enumerate(preds):
            if pi not in used_p:
                fp += 1
                extras.append((doc, (p.get("sentence") or "")[:60], p["value_low"], p.get("unit") or ""))

    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    s_precision, s_recall = ratio(strict_tp, tp + fp), ratio(strict_tp, tp + fn)
    return Score(gold=tp + fn, predicted=tp + fp, tp=tp, precision=precision, recall=recall,
                 f1=f1(precision, recall), strict_tp=strict_tp, strict_precision=s_precision,
                 strict_recall=s_recall, strict_f1=f1(s_precision, s_recall),
                 attributes={k: (v[0], v[1]) for k, v in attributes.items() if v[1]},
                 misses=misses, extras=extras, disagreements=disagreements)


def format_score(result: Score, limit: int = 30) -> str:
    """Human-readable report: both scores, per-attribute agreement, then misses, extras and disagreements."""
    lines = [
        f"gold={result.gold} predicted={result.predicted} tp={result.tp}",
        f"value:  precision={result.precision:.3f} recall={result.recall:.3f} f1={result.f1:.3f}",
        f"strict: precision={result.strict_precision:.3f} recall={result.strict_recall:.3f} "
        f"f1={result.strict_f1:.3f}",
        "attributes (of matched figures): " + "  ".join(
            f"{k} {a}/{b} ({a / b:.3f})" for k, (a, b) in result.attributes.items()),
    ]
    lines += [f"miss  {doc} {quote}" for doc, quote in result.misses[:limit]]
    lines += [f"extra {doc} {value:g} {unit} | {sentence}" for doc, sentence, value, unit in result.extras[:limit]]
    lines += [f"wrong {doc} {quote} {name}: gold={gv} got={pv}" for doc, quote, name, gv, pv in
              result.disagreements[:limit]]
    return "\n".join(lines)
