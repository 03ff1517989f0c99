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
from pathlib import Path

RARE = 1e-6  # below this share of English text, a listed word is treated as a possible slip
# Words of 3+ letters that are not part of a contraction ("aren't" is not "aren" + "'t").
_WORD = re.compile(r"(?<![\w'’])[^\W\d_]{3,}(?![\w'’])")


class English:
    """Word counts of English text (pyspellchecker's list), and the words one slip away."""

    def __init__(self, counts: dict[str, int], total: int) -> None:
        self.counts = counts
        self.total = total
        self.letters = "".join(sorted({c for word in counts for c in word}))

    def share(self, word: str) -> float:
        """How much of English text this word is."""
        return self.counts.get(word, 0) / self.total

    def edits(self, word: str) -> set[str]:
        """Every string one letter added, dropped, changed, or two letters swapped away."""
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        return {
            *(a + b[1:] for a, b in splits if b),
            *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
            *(a + c + b[1:] for a, b in splits if b for c in self.letters),
            *(a + c + b for a, b in splits for c in self.letters),
        }


# The words of pyspellchecker's English list that are at least this share of English text:
# 40,000 of its 160,000. The rest are never "known" (RARE is ten times higher) and are too rare
# to be the word a slip was meant for; holding them costs 25 MB and a quarter of a second per
# process. Written by `python -m retrieval.spelling`; a test checks the file against the list.
KEPT_SHARE = 1e-7
ENGLISH_WORDS = Path(__file__).with_name("english_words.txt")


@cache
def english() -> English:
    """The English word counts, loaded once per process, on first need."""
    total, *lines = ENGLISH_WORDS.read_text("utf-8").splitlines()
    counts = {word: int(count) for word, count in (line.split(" ") for line in lines)}
    return English(counts, int(total))


@cache
def _full_list() -> tuple[dict[str, int], int]:
    """pyspellchecker's whole English list (160,000 words) and its total count: what the two
    shipped files are derived from, read only to write or check them."""
    from spellchecker import SpellChecker

    frequency = SpellChecker(language="en", distance=1).word_frequency
    return dict(frequency.dictionary), int(frequency.total_words)


def english_word_lines() -> list[str]:
    """The lines of ENGLISH_WORDS, from pyspellchecker's full list: its total, then the words."""
    counts, total = _full_list()
    kept = sorted(w for w, n in counts.items() if n / total >= KEPT_SHARE)
    return [str(total)] + [f"{w} {counts[w]}" for w in kept]


class Speller:
    def __init__(self, preferred: Iterable[str], compounds: Iterable[str] = ()) -> None:
        self.preferred = frozenset(w.lower() for w in preferred)
        # Hyphenated words and pairs of words the caller's texts use ("short-term", "in
        # charge"): what a word typed without its hyphen or space is taken for. Only those:
        # "caseworkers" is not "case-workers".
        self.compounds = frozenset(w.lower() for w in compounds)

    def known(self, word: str) -> bool:
        word = word.lower()
        # A listed word almost nobody writes ("wen", "ther") is more likely a slip.
        return word in self.preferred or english().share(word) >= RARE

    def correct_word(self, word: str) -> str:
        lowered = word.lower()
        if self.known(lowered) or (word.isupper() and len(word) > 1):
            return word  # known, or an acronym ("EUR", "CET"): never a slip to "our" or "cut"
        checker = english()
        candidates = checker.edits(lowered)
        preferred = candidates & self.preferred

        def likelihood(candidate: str) -> tuple[bool, float, str]:
            # Two swapped letters ("contarct") is the likeliest slip: it beats a dropped letter
            # that happens to make a more frequent word ("contact").
            swapped = sorted(candidate) == sorted(lowered)
            return swapped, checker.share(candidate), candidate

        if preferred:
            return max(preferred, key=likelihood)
        if joined := self._run_together(lowered):
            return joined
        # Short words have many neighbours: only a word this short and this common is a guess
        # worth taking ("ned" stays "ned" rather than becoming "red" or "need").
        if len(lowered) < 4:
            return word
        found = {c for c in candidates if c in checker.counts}
        return max(found, key=likelihood) if found else word

    def _run_together(self, word: str) -> str | None:
        """Two words of the caller's texts typed as one ("shortterm", "incharge"), as the texts
        write them: hyphenated or apart."""
        for i in range(1, len(word)):
            for joined in (f"{word[:i]}-{word[i:]}", f"{word[:i]} {word[i:]}"):
                if joined in self.compounds:
                    return joined
        return None

    def correct(self, text: str) -> str:
        # The opening first ("wich unit": which, before "with" could be guessed from the word
        # alone), then every word, then the opening again, now that its question word is right
        # ("waht dose": what does).
        text = _OPENING.sub(_opening, text)
        text = _WORD.sub(lambda m: self.correct_word(m.group(0)), text)
        return _OPENING.sub(_opening, text)


# How questions open: a question word, then (or first) an auxiliary verb ("what does …",
# "does the unit …"). A word one slip from one of these, where it stands, is taken for it.
_QUESTION_WORDS = frozenset("what when where which who why how".split())
_AUXILIARIES = frozenset(
    "does did are was were can could would should will shall must has have".split()
)
_OPENING = re.compile(
    r"(?:\b((?:what|when|where|which|who|why|how)\s+)|(^|[.?!]\s+))([^\W\d_]{2,6})\b", re.I
)


def _one_slip(typed: str, meant: str) -> bool:
    """Two neighbouring letters swapped ("dose": does) or one left out ("wen": when). Not a
    letter changed: "car" is a car, not "can"."""
    if len(typed) == len(meant):
        diff = [i for i, (x, y) in enumerate(zip(typed, meant, strict=True)) if x != y]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and sorted(typed) == sorted(meant)
    return len(typed) + 1 == len(meant) and any(
        meant[:i] + meant[i + 1 :] == typed for i in range(len(meant))
    )


def _opening(match: re.Match[str]) -> str:
    """A question's opening word as meant: "wen does …" when, "what dose …" does. Only where a
    question puts such a word, so a real word elsewhere ("the dose") is left alone; and only
    when the slip points to one word ("hwo" could be how or who: left as typed)."""
    after_question_word = match.group(1) is not None
    before, word = (match.group(1) or "") + (match.group(2) or ""), match.group(3)
    lowered = word.lower()
    openers = _AUXILIARIES if after_question_word else _AUXILIARIES | _QUESTION_WORDS
    if len(lowered) < 3:
        # Two letters are one slip from too many words ("an": can): only a question word
        # ("hw": how) is taken, where it opens the question.
        openers = frozenset() if after_question_word else _QUESTION_WORDS
    if lowered in openers:
        return match.group(0)
    meant = [w for w in openers if _one_slip(lowered, w)]
    if len(meant) != 1:
        return match.group(0)
    return before + (meant[0].capitalize() if word[:1].isupper() else meant[0])


_HYPHENATED = re.compile(r"\b[a-z]+-[a-z]+\b")
_PAIR = re.compile(r"(?=\b([a-z]+ [a-z]+)\b)")  # every two neighbouring words, overlapping


def written_together(texts: Iterable[str]) -> set[str]:
    """The hyphenated words and the pairs of neighbouring words of ``texts``, lower-cased: what
    a Speller takes a word typed without its hyphen or space for."""
    together: set[str] = set()
    for text in texts:
        lowered = text.lower()
        together.update(_HYPHENATED.findall(lowered))
        together.update(_PAIR.findall(lowered))
    return together


def warm() -> None:
    """Load the word lists now (at startup) rather than during the first question."""
    english()
    common_stems()


# Share of English text above which the words of a (Snowball) stem are everyday words: below
# it, an unknown word names a topic ("asylum" does, "pick" does not).
COMMON_SHARE = 2e-6
# Computed from the word list by `python -m retrieval.spelling` (stemming its 160,000 words
# takes most of a second, on every start); a test checks that the file matches the list.
COMMON_STEMS = Path(__file__).with_name("common_stems.txt")


@cache
def common_stems() -> frozenset[str]:
    return frozenset(COMMON_STEMS.read_text("utf-8").split())


def compute_common_stems() -> list[str]:
    import Stemmer

    # From the full list: the words left out of ENGLISH_WORDS still add to their stem's share.
    counts, total = _full_list()
    words = list(counts)
    shares: dict[str, float] = {}
    for word, root in zip(words, Stemmer.Stemmer("english").stemWords(words), strict=True):
        shares[root] = shares.get(root, 0.0) + counts[word] / total
    return sorted(root for root, share in shares.items() if share >= COMMON_SHARE)


def common(root: str) -> bool:
    """Whether the English words with this (Snowball) stem are everyday words, together."""
    return root in common_stems()


if __name__ == "__main__":
    COMMON_STEMS.write_text("\n".join(compute_common_stems()) + "\n", "utf-8")
    ENGLISH_WORDS.write_text("\n".join(english_word_lines()) + "\n", "utf-8")
