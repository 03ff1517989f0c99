"""BM25 over passages (bm25s), with English stemming and stop words.

Unit codes such as ``HOME.B.4`` are kept as single tokens: candidates type them, and the
default word pattern would cut them into pieces too short to index.
"""

from __future__ import annotations

import re

import bm25s
import numpy as np
import Stemmer

from retrieval.spelling import Speller

_WORD = re.compile(r"[^\W\d_]{3,}")
_TOKEN_PATTERN = r"(?u)\b[a-z]{2,}\.(?:[a-z]\.)?\d{1,2}\b|\b\w\w+\b"


class LexicalIndex:
    def __init__(self, texts: list[str]) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        self._vocabulary: set[str] = set()
        # Surface words of the corpus, for correcting typos in queries ("asylm", "emial").
        self._speller = Speller(w for t in texts for w in _WORD.findall(t))
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
        """The query with typing slips corrected, towards the corpus's own words first."""
        return self._speller.correct(query)

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
