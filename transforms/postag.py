"""jieba's dictionary and its part-of-speech cut without the HMM, in a third of the memory.

`jieba.posseg.POSTokenizer(...).lcut(text, HMM=False)` holds jieba's prefix dictionary (every prefix of every word,
498k entries), a second table of tags, and the HMM tables that `import jieba.posseg` loads whatever the cut: 175 MB
in every extraction worker. `Tagger` reads the same dict.txt into a frequency and a tag table of its 349k words
(59 MB) and makes the same cut (tests/test_postag.py compares both on spans of the corpus), about a third slower
per span (spans are short and memoised by transforms.segment):

| piece of the text                | token(s)                                                                   |
|----------------------------------|----------------------------------------------------------------------------|
| run of Han, Latin, digits, +#&._ | words of the most probable route over the dictionary (candidates: words    |
|                                  | with a frequency, up to the longest word of their first character); runs  |
|                                  | of single Latin letters or digits joined and tagged eng                    |
| whitespace or \\r\\n             | itself, tagged x                                                           |
| any other character              | itself, tagged m if a digit or '.', else eng if its piece starts with      |
|                                  | [a-zA-Z0-9], else x                                                        |
"""
from __future__ import annotations

import importlib.util
import re
import sys
from math import log
from pathlib import Path
from typing import NamedTuple

_HAN_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")  # jieba.posseg.re_han_internal
_SKIP = re.compile("(\r\n|\\s)")  # jieba.posseg.re_skip_internal
_NUM = re.compile("[\\.0-9]+")
_ENG = re.compile("[a-zA-Z0-9]+")
_ENG_CHAR = re.compile("^[a-zA-Z0-9]$")
UNKNOWN_TAG = "x"


class Token(NamedTuple):
    """A word of the cut and its part-of-speech tag."""

    word: str
    flag: str


def jieba_dictionary() -> Path:
    """jieba's bundled dict.txt (word, frequency, tag per line), found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba is not installed")
    return Path(spec.origin).parent / "dict.txt"


class Tagger:
    """jieba's no-HMM part-of-speech cut over its dictionary plus words added with add_word."""

    def __init__(self) -> None:
        self._freq: dict[str, int] = {}
        self._tag: dict[str, str] = {}
        self._longest: dict[str, int] = {}  # first character → length of the longest word it starts
        self._total = 0
        with jieba_dictionary().open(encoding="utf-8") as f:
            for line in f:
                if line := line.strip():
                    word, freq, tag = line.split(" ")
                    self.add_word(word, int(freq), tag)

    def add_word(self, word: str, freq: int, tag: str) -> None:
        """Add or replace a word, as jieba.Tokenizer.add_word(word, freq, tag) with a frequency and a tag given."""
        self._freq[word] = freq
        self._tag[word] = sys.intern(tag)
        self._total += freq  # as jieba: a word given twice counts twice in the total
        self._longest[word[0]] = max(self._longest.get(word[0], 0), len(word))

    def lcut(self, text: str) -> list[Token]:
        """The tokens of `text`, as jieba.posseg's lcut(text, HMM=False)."""
        tokens: list[Token] = []
        for block in _HAN_BLOCK.split(text):
            if not block:
                continue
            if _HAN_BLOCK.match(block):
                tokens += self._cut_block(block)
                continue
            for piece in _SKIP.split(block):
                if _SKIP.match(piece):
                    tokens.append(Token(piece, UNKNOWN_TAG))
                    continue
                eng = bool(_ENG.match(piece))
                tokens += [Token(ch, "m" if _NUM.match(ch) else "eng" if eng else UNKNOWN_TAG) for ch in piece]
        return tokens

    def _route(self, block: str) -> list[int]:
        """End (exclusive) of the word starting at each position, on the most probable route."""
        n, freq, longest = len(block), self._freq, self._longest
        log_total = log(self._total)
        best: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for start in range(n - 1, -1, -1):
            stop = min(n, start + longest.get(block[start], 1))
            ends = [end for end in range(start, stop) if freq.get(block[start:end + 1])] or [start]
            best[start] = max((log(freq.get(block[start:end + 1]) or 1) - log_total + best[end + 1][0], end)
                              for end in ends)
        return [end + 1 for _, end in best[:n]]

    def _cut_block(self, block: str) -> list[Token]:
        route, tokens, latin = self._route(block), [], ""
        start = 0
        while start < len(block):
            end = route[start]
            word = block[start:end]
            if _ENG_CHAR.match(word):
                latin += word
            else:
                if latin:
                    tokens.append(Token(latin, "eng"))
                    latin = ""
                tokens.append(Token(word, self._tag.get(word, UNKNOWN_TAG)))
            start = end
        if latin:
            tokens.append(Token(latin, "eng"))
        return tokens
