"""Typing slips in queries, corrected without bending real words.

A word is left alone when the corpus uses it or when it is an English word (pyspellchecker's
frequency list, shipped with the package): "date" must not become "data" just because the
corpus lacks "date". Otherwise the word one slip away (a letter added, dropped, changed, or
two letters swapped) is taken, preferring the words the caller names (the corpus's own),
then the most frequent English word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spellchecker import SpellChecker

RARE = 1e-6  # below this share of English text, a listed word is treated as a possible slip
# Words of 3+ letters that are not part of a contraction ("aren't" is not "aren" + "'t").
_WORD = re.compile(r"(?<![\w'’])[^\W\d_]{3,}(?![\w'’])")


@cache
def english() -> SpellChecker:
    """The English word list, loaded once per process (about 3 s), on first need."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


class Speller:
    def __init__(self, preferred: Iterable[str]) -> None:
        self.preferred = frozenset(w.lower() for w in preferred)

    def known(self, word: str) -> bool:
        word = word.lower()
        # A listed word almost nobody writes ("wen", "ther") is more likely a slip.
        return word in self.preferred or english().word_usage_frequency(word) >= RARE

    def correct_word(self, word: str) -> str:
        lowered = word.lower()
        if self.known(lowered) or (word.isupper() and len(word) > 1):
            return word  # known, or an acronym ("EUR", "CET"): never a slip to "our" or "cut"
        checker = english()
        candidates = checker.edit_distance_1(lowered)
        preferred = candidates & self.preferred

        def likelihood(candidate: str) -> tuple[bool, float, str]:
            # Two swapped letters ("contarct") is the likeliest slip: it beats a dropped letter
            # that happens to make a more frequent word ("contact").
            swapped = sorted(candidate) == sorted(lowered)
            return swapped, checker.word_usage_frequency(candidate), candidate

        if preferred:
            return max(preferred, key=likelihood)
        # Short words have many neighbours: only a word this short and this common is a guess
        # worth taking ("ned" stays "ned" rather than becoming "red" or "need").
        if len(lowered) < 4:
            return word
        found = checker.known(candidates)
        return max(found, key=likelihood) if found else word

    def correct(self, text: str) -> str:
        return _WORD.sub(lambda m: self.correct_word(m.group(0)), text)


def warm() -> None:
    """Load the word list now (at startup) rather than during the first question."""
    _stem_frequencies()


@cache
def _stem_frequencies() -> dict[str, float]:
    import Stemmer

    checker = english()
    words = list(checker.word_frequency.dictionary)
    total = checker.word_frequency.total_words
    frequencies: dict[str, float] = {}
    for word, root in zip(words, Stemmer.Stemmer("english").stemWords(words), strict=True):
        share = checker.word_frequency.dictionary[word] / total
        frequencies[root] = frequencies.get(root, 0.0) + share
    return frequencies


def stem_frequency(root: str) -> float:
    """How common the English words with this (Snowball) stem are, together."""
    return _stem_frequencies().get(root, 0.0)
