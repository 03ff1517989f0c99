"""BM25 over passages (bm25s), with English stemming and stop words.

Unit codes such as ``HOME.B.4`` are kept as single tokens: candidates type them, and the
default word pattern would cut them into pieces too short to index.
"""

from __future__ import annotations

import difflib
import re

import bm25s
import numpy as np
import Stemmer

_WORD = re.compile(r"[^\W\d_]{4,}")
_TOKEN_PATTERN = r"(?u)\b[a-z]{2,}\.(?:[a-z]\.)?\d{1,2}\b|\b\w\w+\b"


class LexicalIndex:
    def __init__(self, texts: list[str]) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        self._vocabulary: set[str] = set()
        # Surface words of the corpus, for correcting typos in queries ("asylm", "emial").
        self._words = sorted({w.lower() for t in texts for w in _WORD.findall(t)})
        self._known = set(self._words)
        if texts:
            tokens = self._tokenize(texts)
            self._vocabulary = {token for doc in tokens for token in doc}
            self._bm25.index(tokens, show_progress=False)

    def _tokenize(self, texts: list[str]) -> list[list[str]]:
        tokens = bm25s.tokenize(
            texts,
            token_pattern=_TOKEN_PATTERN,
            stopwords="en",
            stemmer=self._stemmer,
            return_ids=False,
            show_progress=False,
        )
        return [list(doc) for doc in tokens]

    def correct(self, query: str) -> str:
        """The query with each unknown word of 4+ letters replaced by the closest corpus word.

        Only a word one typing slip away (one letter added, dropped, changed, or two letters
        swapped) is taken, so real words that the corpus lacks ("weather") are left alone
        rather than bent into a neighbour ("whether").
        """

        def fix(match: re.Match[str]) -> str:
            word = match.group(0).lower()
            if word in self._known:
                return match.group(0)
            close = difflib.get_close_matches(word, self._words, n=5, cutoff=0.75)
            return next((c for c in close if _one_slip_apart(word, c)), match.group(0))

        return _WORD.sub(fix, query)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(position of the text, score) pairs, best first; only texts that share a term."""
        terms = [t for t in self._tokenize([query])[0] if t in self._vocabulary]
        if not terms or not self._size:
            return []
        indices, scores = self._bm25.retrieve(
            [terms], k=min(k, self._size), show_progress=False, n_threads=1
        )
        return [
            (int(i), float(s))
            for i, s in zip(np.asarray(indices)[0], np.asarray(scores)[0], strict=True)
            if s > 0
        ]


def _one_slip_apart(a: str, b: str) -> bool:
    """Optimal-string-alignment distance of at most 1."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i in range(len(short)) if short[i] != long_[i]), len(short))
    return short[i:] == long_[i + 1 :]
