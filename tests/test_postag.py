"""transforms.postag cuts as jieba.posseg (HMM=False) does, on jieba's dictionary plus the catalog's words."""
from __future__ import annotations

import logging
import random
import subprocess
import sys
from pathlib import Path

import pytest

from transforms.reference import default_reference
from transforms.segment import _load_tagger, added_words

CORPUS = Path(__file__).parent / "data" / "corpus"
EDGES = ["AT&T公司GDP增长5%", "abc 12.5 def", "Ｇ20峰会", "5G基站3.5万个", "a b\r\nc", "“十四五”时期", "C++与c#",
         "全市GDPx", "1.2.3", "B超检查", "", " ", "城镇新增就业1.8万人", "地区生产总值增长5%左右"]


def _spans(count: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    rnd = random.Random(15)
    spans = []
    for _ in range(count):
        text = rnd.choice(texts)
        start = rnd.randrange(len(text) - 40)
        spans.append(text[start:start + rnd.randint(1, 40)])
    return spans


@pytest.fixture(scope="module")
def jieba_tagger():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word, freq, tag in added_words(default_reference()):
        tokenizer.add_word(word, freq, tag)
    return jieba.posseg.POSTokenizer(tokenizer)


def test_the_cut_and_tags_are_jiebas_on_corpus_spans_and_edge_cases(jieba_tagger) -> None:
    ours = _load_tagger(default_reference())
    spans = _spans(4000) + EDGES
    expected = [[(p.word, p.flag) for p in jieba_tagger.lcut(s, HMM=False)] for s in spans]
    got = [[tuple(t) for t in ours.lcut(s)] for s in spans]
    differ = [(s, e, g) for s, e, g in zip(spans, expected, got) if e != g]
    assert not differ, differ[:5]


def test_catalog_words_cut_whole_with_their_tag() -> None:
    tokens = _load_tagger(default_reference()).lcut("力争社会消费品零售总额突破")
    assert [tuple(t) for t in tokens[:2]] == [("力争", "cue"), ("社会消费品零售总额", "nmetric")]


def test_an_extraction_worker_on_a_text_report_imports_no_jieba_code_and_no_trafilatura() -> None:
    """`import jieba.posseg` loads its HMM tables (about 50 MB per worker) whatever the cut, and trafilatura (23 MB)
    serves only HTML pages."""
    code = ("import sys; from pathlib import Path; from flows.processing import process_file; "
            "from flows.inbox import InboxFile; p = Path(sys.argv[1]); "
            "r = process_file(InboxFile(p.name, p, p.stat().st_size, 'h'), 2**30); "
            "assert r.documents[0].extraction.figures, r; "
            "print(sorted(m for m in sys.modules if m.startswith(('jieba', 'trafilatura'))))")
    sample = next((Path(__file__).resolve().parent.parent / "seeds" / "reports").glob("*.txt"))
    out = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout
    assert out.strip() == "[]"
