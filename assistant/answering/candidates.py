"""Retrieve: the sentences that might answer a query, each with the signals the ranker weighs.

Candidates are the sentences of the passages the hybrid retriever ranks, plus the sentences
nearest the query in meaning. Each gets a row of features (likeness, topic coverage, the
retriever's rank, the kind of answer wanted, structure); how much each counts is in
ranker.json (rank.py), not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from langchain_core.documents import Document

from assistant.answering.query import Query
from assistant.precheck.countries import COUNTRY_NAMES
from retrieval.sentence_index import Sentence, SentenceIndex
from retrieval.text import UNIT_REFERENCE, WORD

DENSE_SENTENCES = 8  # sentences taken by likeness alone, beside those of retrieved passages

_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
_DURATION = re.compile(r"\b(years?|months?|weeks?|days?)\b|-month|-year", re.I)
_DATE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december)"
    r"\b|\b20\d\d\b|\d{1,2}/\d{1,2}/\d{4}",
    re.I,
)
_COUNTRY = "|".join(sorted(map(re.escape, COUNTRY_NAMES.values()), key=len, reverse=True))
SHAPES: dict[str, re.Pattern[str]] = {
    # Two country names in one sentence: an answer to "which countries".
    "country": re.compile(rf"\b({_COUNTRY})\b[^.]*\b({_COUNTRY})\b"),
    "number": _NUMBER,
    "duration": _DURATION,
    "date": _DATE,
    "amount": re.compile(r"€|\bEUR\b|\beuros?\b", re.I),
    "percentage": re.compile(r"%|\bper ?cent\b", re.I),
    "person": re.compile(r"\b(?i:led|headed|chaired) by [A-Z]"),
}
_DEFINITION = re.compile(r"^\s*what(?:'s| is| are)\s+(?:an? |the )?([\w ’'-]{3,40}?)\s*\??$", re.I)

FEATURES = (
    "similarity",  # cosine of the query's and the sentence's embeddings
    "similarity_gap",  # how far below the best candidate's likeness
    "coverage",  # share of the query's topics the sentence holds, weighted by rarity
    "coverage_gap",
    "prior",  # 1 / rank of the sentence's passage in hybrid retrieval, 0 when not retrieved
    "shaped",  # holds the kind of answer asked for (a number for "how many" …)
    "unit_match",  # in the description of a unit the query names
    "whole_dg",  # a query about the DG as a whole, and a sentence about the DG as a whole
    "lead_in",  # announces a list ("in the following order:")
    "table_row",
    "list_item",
    "short",  # fewer than six words
    # Of the query, the same for each of its candidates (so it changes no ranking): the share
    # of its topics' weight that the sources never mention, which tells the answering model
    # how much of the question the sources can cover at all.
    "unknown_share",
)


# The weight of a topic of what was said around a question, beside the question's own ones.
CONTEXT_SHARE = 0.3


def topic_share(group: frozenset[str], query: Query) -> float:
    """How much a topic counts in a sentence's coverage: in full when the question asks about
    it; less when it comes from what the candidate said around a question that has topics of
    its own ("I am moving with my family. Does the pay include anything beyond the salary?"):
    the context says who is asking, the question what they want to know."""
    if group in query.own_groups or len(query.own_groups) < 2:
        return 1.0
    return CONTEXT_SHARE


@dataclass(frozen=True)
class Candidate:
    sentence: Sentence
    index: int  # position in the sentence index
    features: tuple[float, ...]  # in the order of FEATURES

    def get(self, name: str) -> float:
        return self.features[FEATURES.index(name)]


@lru_cache(maxsize=8192)  # the same sentences are read for every question
def title_line(text: str) -> bool:
    """A heading or a name ("European Commission, Directorate-General for …"): few words and
    no closing punctuation, unlike a sentence; a line with a number (a reference) says more."""
    words = _words(text)
    closed = text.rstrip("*_ ").endswith((".", "!", "?", ":"))
    numbered = bool(re.search(r"\d", text))  # "Rue du Luxembourg 46", a reference: facts
    return not numbered and (words < 5 or (words < 12 and not closed))


@lru_cache(maxsize=8192)
def _words(text: str) -> int:
    return len(WORD.findall(text))


@lru_cache(maxsize=8192)
def _without_units(text: str) -> str:
    return UNIT_REFERENCE.sub("", text)  # "HOME.B.4" is a name, not a number


def _shape(query: Query) -> re.Pattern[str] | None:
    shape = SHAPES.get(query.answer_type or "")
    if query.answer_type is None and (defined := _DEFINITION.search(query.cleaned)):
        # "What is the Pact?": the sentence that says what it is, not one that mentions it.
        subject = re.escape(defined.group(1).strip())
        shape = re.compile(rf"{subject}\)?,?\s+(which\s+)?(is|are|means)\b", re.I)
    return shape


def gather(
    query: Query,
    index: SentenceIndex,
    passages: list[Document],
    vector: np.ndarray,
    weights: dict[frozenset[str], float],
    units: list[str],
    scope: frozenset[int] | None = None,
) -> list[Candidate]:
    """The candidate sentences of ``query``; ``units`` it names; ``scope`` the sentences the
    answer must come from, when the question says where (the requirements for an eligibility
    question, the pages about the DG for a question about the DG as a whole)."""
    similarity = index.matrix @ vector
    prior = {
        i: 1.0 / rank
        for rank, d in enumerate(passages, start=1)
        for i in index.by_passage.get(str(d.id), [])
    }
    chosen = set(prior) | set(np.argsort(-similarity)[:DENSE_SENTENCES].tolist())
    if scope is not None:
        # All of the scope is read: it is small, and retrieval may have ranked it low.
        chosen = set(scope)
    elif query.answer_type == "unit":
        # "Which team deals with …?" is answered from the units' descriptions.
        chosen = {i for i in chosen if index.sentences[i].unit} or chosen
    if units:
        # A question that names a unit is answered from that unit's description.
        chosen = {i for i, s in enumerate(index.sentences) if s.unit in units} or chosen
    total = sum(weights.values())
    unknown_share = (
        sum(w for g, w in weights.items() if not index.known(g)) / total if total else 0.0
    )
    shape = _shape(query)
    rows = []
    for i in chosen:
        sentence = index.sentences[i]
        if sentence.kind == "paragraph" and title_line(sentence.text):
            continue  # a title line answers nothing
        held = sum(w for g, w in weights.items() if g & sentence.stems)
        # With no topic words ("what does DG HOME do?"), likeness is all there is.
        coverage = held / total if total else float(similarity[i])
        rows.append((i, sentence, float(similarity[i]), coverage))
    if not rows:
        return []
    best_similarity = max(r[2] for r in rows)
    best_coverage = max(r[3] for r in rows)
    candidates = []
    for i, sentence, sim, coverage in rows:
        shaped = bool(shape and shape.search(_without_units(sentence.text)))
        features = (
            sim,
            best_similarity - sim,
            coverage,
            best_coverage - coverage,
            prior.get(i, 0.0),
            float(shaped),
            float(bool(units) and sentence.unit in units),
            float(query.whole_dg and scope is not None and i in scope),
            float(sentence.lead_in),
            float(sentence.kind == "table_row"),
            float(sentence.kind == "list_item"),
            float(_words(sentence.text) < 6),
            unknown_share,
        )
        candidates.append(Candidate(sentence, i, features))
    return candidates
