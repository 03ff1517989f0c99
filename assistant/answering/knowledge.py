"""What the sources know, as the answering stages ask it: which words they use, how rare a
topic is, which units a question names, where a kind of question is answered from.

Built once per process over the sentence index and the corpus; every answer reads it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.compose import readable
from assistant.answering.facts import BACKGROUND_STEMS
from assistant.answering.message import REFERS_BACK
from assistant.answering.models import Turn, last_turn
from assistant.answering.query import Query
from assistant.answering.verify import MARK
from retrieval import spelling
from retrieval.corpus import Corpus
from retrieval.sentence_index import Sentence, SentenceIndex
from retrieval.text import WORD, stem, unit_codes, word_stems

COMMON_WORD_WEIGHT = 1.0  # weight of an everyday word the sources do not use
# Likeness of two single words' embeddings above which a word the sources lack is taken to mean
# the sources' word: "kids" children (0.88), "guns" firearms (0.87); below it come false
# friends ("take-home" home-call 0.70). Names are never read so ("Google" is not "search").
SAME_MEANING = 0.75
# Words of a question that asks what a unit does, and nothing narrower.
_DESCRIBE = frozenset(
    stem(w)
    for w in """unit units team teams do does work works job jobs about responsible responsibility
    responsibilities charge mission missions task tasks role roles focus focuses handle handles
    deal deals cover covers area areas purpose function functions duty duties remit portfolio
    supports support activity activities involve involved main exactly actually""".split()
)


# A capitalised word before a title, joined to it by the small words of names ("Pact on
# Migration and Asylum", "Agency for Asylum"), or one after it ("Asylum System", "Asylum,
# Migration and Integration Fund"), unless that word says "unit" itself.
_NAME_BEFORE = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][\w-]*\s+(?:(?:on|and|of|for|the)\s+)*$")
_NAME_AFTER = re.compile(r"^,?\s+(?:(?:and|of|for)\s+)?(?!(?:Unit|Team)\b)[A-Z][a-z]")


@lru_cache(maxsize=64)
def _title_pattern(title: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(title)}(?![\w-])", re.I)


_ACRONYM = re.compile(r"\b([A-Z]{3,})s?\b")  # "ILOs": the ILO


def names_unit(title: str, text: str) -> bool:
    """Whether ``text`` names the unit by its title, as a name of its own: "Asylum" in "the
    Pact on Migration and Asylum" is a word of the Pact's name, not unit C.3's."""
    return any(not _inside_name(text, m) for m in _title_pattern(title).finditer(text))


def _inside_name(text: str, match: re.Match[str]) -> bool:
    if not match.group(0)[:1].isupper():
        return False  # "the asylum unit", "asylum policy": written as a topic, not a name
    return bool(
        _NAME_BEFORE.search(text[: match.start()]) or _NAME_AFTER.search(text[match.end() :])
    )


def rare(root: str) -> bool:
    """A rare word; a compound of everyday words ("knock-on", "take-home") is none."""
    # A root is a stem already, and stemming a stem again may change it ("suppos" -> "suppo");
    # the parts of a compound are words, and need stemming.
    return not any(spelling.common(p) or spelling.common(stem(p)) for p in root.split("-") if p)


class Knowledge:
    def __init__(
        self, index: SentenceIndex, corpus: Corpus, embeddings: Embeddings, requirements: str
    ) -> None:
        self.index = index
        self.embeddings = embeddings
        self._texts = [" ".join(WORD.findall(d.text.lower())) for d in corpus.documents.values()]
        english = spelling.english()
        self._acronyms = {
            w.lower()
            for d in corpus.documents.values()
            for w in _ACRONYM.findall(d.text)
            if not english.share(w.lower())
        }
        # A word's likeness to the sources' words does not change: embedded once per process.
        self.alike = lru_cache(maxsize=4096)(self._alike)
        # Where eligibility questions are answered from: the chapter that sets out the criteria.
        self.requirements = frozenset(
            i for i, s in enumerate(index.sentences) if s.section.startswith(requirements)
        )
        # Where questions about the DG as a whole are: the background pages, and the chapter of
        # the call that presents the DG, but not its units.
        presents = {s.section.split(" › ")[0] for s in index.sentences if s.unit}
        self.whole_dg = frozenset(
            i
            for i, s in enumerate(index.sentences)
            if s.unit is None
            and (
                corpus.get(s.doc_id).entry.kind == "background"
                or s.section.split(" › ")[0] in presents
            )
        )

    def weight(self, group: frozenset[str]) -> float:
        known = [self.index.idf[r] for r in group if r in self.index.idf]
        if known:
            return max(known)
        # A topic the sources never use weighs as a rare one, unless it is an everyday word
        # ("pick", "page"), which says little about whether the sources answer.
        return self.index.unseen_idf if all(rare(r) for r in group) else COMMON_WORD_WEIGHT

    def unknown(self, query: Query) -> list[frozenset[str]]:
        """The question's own topics that the sources never mention."""
        return [g for g in query.own_groups if not self.index.known(g)]

    @staticmethod
    def specific(unknown: list[frozenset[str]]) -> bool:
        """Whether one of these unknown topics is a rare word or a name, unlike "pick" or
        "page"; where the candidate is from or what they speak is no topic of the question."""
        return any(all(rare(r) for r in g) for g in unknown if not g & BACKGROUND_STEMS)

    def names_source_term(self, query: Query) -> bool:
        """Whether the question names one of the sources' own acronyms ("EMPACT", "ILO"):
        only they use it, so a question naming it is about them. Not a place or an English
        word: "Brussels" or "home" say nothing of what is asked."""
        return any(w.lower() in self._acronyms for w in WORD.findall(query.cleaned))

    def widen(self, group: frozenset[str], cleaned: str) -> frozenset[str]:
        """A topic the sources lack, with the sources' words that mean the same ("kids":
        children), found by the likeness of the words' embeddings. Names are never widened."""
        if self.index.known(group) or len(group) != 1:
            return group
        (root,) = group
        word = next((w for w in WORD.findall(cleaned) if stem(w) == root), None)
        if word is None or (word[0].isupper() and not cleaned.startswith(word)):
            return group
        return group | {r for w in self.alike(word) for r in word_stems(w)}

    def _alike(self, word: str) -> tuple[str, ...]:
        vector = np.asarray(self.embeddings.embed_query(word), np.float32)
        return tuple(self.index.alike_words(vector, SAME_MEANING))

    def mentions(self, phrase: str) -> bool:
        """Whether a document uses the phrase, as whole words ("child" is not in "children"),
        or, for one word, a word of the same meaning ("kids": children)."""
        words = WORD.findall(phrase.lower())
        pattern = re.compile(rf"(?<![\w-]){re.escape(' '.join(words))}(?![\w-])")
        if any(pattern.search(text) for text in self._texts):
            return True
        return len(words) == 1 and bool(self.alike(words[0]))

    def named_units(self, query: Query) -> list[str]:
        """Units the question names by code ("C3", "HOME.C.3") or by title ("Visa Policy");
        those of its context only when it points back to them ("I like Visa Policy. Is it
        hiring?"), not when it asks about something else."""
        text = query.search if REFERS_BACK.search(query.cleaned) else query.cleaned
        named = unit_codes(text)
        named += [code for title, code in self.index.unit_titles.items() if names_unit(title, text)]
        return [c for c in dict.fromkeys(named) if c in self.index.units]

    def unknown_units(self, query: Query) -> list[str]:
        """Units the question names by code that the call does not have ("unit B9")."""
        return [c for c in unit_codes(query.search) if c not in self.index.units]

    def describes(self, query: Query, units: list[str]) -> bool:
        """Whether the question asks what a unit does, and nothing narrower ("which countries")."""
        titles = {
            stem(w)
            for t, c in self.index.unit_titles.items()
            if c in units
            for w in WORD.findall(t)
        }
        return all(g <= _DESCRIBE | titles or g & titles for g in query.own_groups)

    def previous_sentences(self, history: Sequence[Turn]) -> list[Sentence]:
        """The sentences the previous answer quoted, found by their wording in it."""
        last = last_turn(history, "assistant")
        if not last:
            return []
        plain = MARK.sub("", last)
        quoted = [s for s in self.index.ordered if readable(s)[:-1] in plain]
        if quoted:
            return quoted
        # Worded otherwise (by the optional model, or retyped): what it said of a unit it names
        # is that unit's first sentence, so "more" is what follows it.
        units = [c for c in unit_codes(last) if c in self.index.units]
        return [next(s for s in self.index.ordered if s.unit == units[0])] if units else []
