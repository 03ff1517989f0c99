"""BM25 over passages (bm25s), with English stemming and stop words.

Unit codes such as ``HOME.B.4`` are kept as single tokens: candidates type them, and the
default word pattern would cut them into pieces too short to index.
"""

from __future__ import annotations

import re

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from retrieval.spelling import Speller

_WORD = re.compile(r"[^\W\d_]{3,}")
_TOKENS = re.compile(r"(?u)\b[a-z]{2,}\.(?:[a-z]\.)?\d{1,2}\b|\b\w\w+\b")
_STOPWORDS = frozenset(STOPWORDS_EN)  # what bm25s means by stopwords="en"


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
        """bm25s.tokenize's tokens (lower-cased, its English stop words out, stemmed), without
        the progress bars it builds even when hidden: a tenth of a question's time."""
        split = _TOKENS.findall
        stem = self._stemmer.stemWords
        return [stem([t for t in split(text.lower()) if t not in _STOPWORDS]) for text in texts]

    def correct(self, query: str) -> str:
        """The query with typing slips corrected, towards the corpus's own words first."""
        return self._speller.correct(query)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(position of the text, score) pairs, best first; only texts that share a term."""
        terms = [t for t in self._tokenize([query])[0] if t in self._vocabulary]
        if not terms or not self._size:
            return []
        # The scores of every text (a hundred or so), rather than bm25s's batch retrieval,
        # whose progress bars take a lock shared by every thread of the process.
        scores = self._bm25.get_scores(terms)
        best = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in best if scores[i] > 0]
