"""Subject-phrase boundaries with jieba's dictionary (cut by transforms.postag) plus the metric catalog, loaded once.

Only short subject spans are segmented (never whole texts, never to find numbers): the heuristics in
subjects.py cut the clause; this trims the verbs and cue words still leading it (着力提高全社会研发经费投入强度 ->
全社会研发经费投入强度) and the verbs trailing a catalog noun (全省生产总值迈上 -> 全省生产总值), so the noun phrase
is what is named and matched against the catalog.
"""
from __future__ import annotations

from .postag import Tagger
from .reference import Reference, per_reference

MAX_SPAN_CHARS = 40
_METRIC_TAG = "nmetric"
_CUE_TAG = "cue"
# Words that announce a figure rather than name it; added to the dictionary so they segment as whole words.
CUE_WORDS = ("力争", "争取", "确保", "预计", "预期", "计划", "努力", "着力", "力促", "推动", "带动", "实现", "完成",
              "达到", "稳步", "持续", "不断", "全力", "大力", "积极", "切实", "加快", "进一步", "扎实", "深入", "全面",
              "坚决")
# Leading tokens that cannot start a noun phrase: verbs (not verbal nouns), adverbs, prepositions, conjunctions.
_LEADING_FLAGS = frozenset({"v", "vd", "vi", "d", "ad", "p", "c", "u", "ul", "uj", _CUE_TAG})
# Tokens that can continue a noun phrase after a catalog noun (…占地区生产总值【比重】).
_NOMINAL_FLAGS = frozenset({"vn", "an", "b", "q"})


class Segmenter:
    """Trims subject spans with a POS tagger of its own (jieba's dictionary); it loads at the first span."""

    def __init__(self, ref: Reference) -> None:
        self._ref = ref
        self._tagger: Tagger | None = None
        self._memo: dict[str, str] = {}

    def warm_up(self) -> None:
        """Load the dictionary now (about a second) instead of at the first span."""
        if self._tagger is None:
            self._tagger = _load_tagger(self._ref)

    def forget(self) -> None:
        """Drop memoised spans, so a benchmark times segmentation itself."""
        self._memo.clear()

    def noun_phrase(self, span: str) -> str:
        """The span without the verbs, adverbs and cue words around its noun phrase; the span itself if none."""
        if len(span) > MAX_SPAN_CHARS:
            return span
        found = self._memo.get(span)
        if found is None:
            self.warm_up()
            assert self._tagger is not None
            found = self._memo[span] = _trim(self._tagger, span) or span
        return found


def added_words(ref: Reference) -> list[tuple[str, int, str]]:
    """(word, frequency, tag) added to jieba's dictionary: the catalog's names and aliases, and the cue words."""
    names = [alias for metric in ref.metrics for alias in {metric.name_zh, *metric.aliases}]
    return [(name, 100_000, _METRIC_TAG) for name in names] + [(word, 100_000, _CUE_TAG) for word in CUE_WORDS]


def _load_tagger(ref: Reference) -> Tagger:
    tagger = Tagger()
    for word, freq, tag in added_words(ref):
        tagger.add_word(word, freq, tag)
    return tagger


def _trim(tagger: Tagger, span: str) -> str:
    tokens = tagger.lcut(span)
    # The subject starts after the last cue word (…专项行动力争【社会消费品零售总额】).
    start = max((i + 1 for i, t in enumerate(tokens) if t.flag == _CUE_TAG), default=0)
    while start < len(tokens) - 1 and tokens[start].flag in _LEADING_FLAGS:
        start += 1
    end = len(tokens)
    last_metric = max((i for i, t in enumerate(tokens) if t.flag == _METRIC_TAG), default=-1)
    if last_metric >= start and not any(_nominal(t.flag) for t in tokens[last_metric + 1:]):
        end = last_metric + 1  # 全省生产总值【迈上】, 全省GDP【首次】
    return "".join(t.word for t in tokens[start:end])


def _nominal(flag: str) -> bool:
    return flag.startswith("n") or flag in _NOMINAL_FLAGS


@per_reference
def segmenter(ref: Reference) -> Segmenter:
    """The segmenter for a reference's catalog, one per process."""
    return Segmenter(ref)
