"""Rank and decide for a question in another language: its likeness to each English sentence.

The English pipeline weighs words, stems and the thesaurus, which mean nothing across
languages. Here a sentence's score is the multilingual model's likeness of the question (with
what was said before it) to the sentence, plus a little for each token that reads the same in
every language (an acronym, a number, an address) that both share. What kind of answer is
given follows from which sentence answers: the sentence stating the deadline gets the deadline
computed against the clock; a criterion's clause gets the criteria and the pre-check; a unit's
text names its unit. The thresholds are fitted (``eval/fit_crosslingual.py``) and kept in
``crosslingual.json``.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.answering.candidates import title_line
from assistant.answering.compose import CallModel
from assistant.answering.decide import (
    ANSWER_CHARS,
    MAX_SENTENCES,
    Decision,
    fragment_list,
    says_something,
    with_items,
)
from assistant.answering.eligibility import Applied
from assistant.answering.message import Asked
from retrieval.multilingual import NONE_UNANSWERED, Multilingual, Unanswered
from retrieval.sentence_index import Sentence, SentenceIndex

SETTINGS_FILE = Path(__file__).with_name("crosslingual.json")
INTENTS_FILE = Path(__file__).with_name("intents.toml")
MAX_CRITERIA = 3
PEAK_OVER = 10
UNIT_SENTENCES = 3  # a unit is as near as its best three sentences
_LINK_ONLY = re.compile(r"^[^<]{0,40}<https?://[^>]+>\W*$")
_POINTER = re.compile(r"\b(is|are) (given |set out )?below\W*$", re.I)
FOLLOW_UP_WORDS = 6
# Tokens every language writes alike: acronyms (CAST, EPSO, FG IV), numbers, addresses, codes.
_NEUTRAL = re.compile(r"\S+@\S+\.\w+|\b[A-Z][A-Z0-9]{1,}\b|\b\d+\b")


@dataclass(frozen=True)
class Thresholds:
    answer: float  # the best sentence's score from which it answers
    out_of_scope: float  # below this, the question is about something else than the call
    related: float  # a declined question is shown the best sentence from this score
    keep: float  # further sentences within this much of the best are quoted too
    token: float  # added per shared language-neutral token
    peak: float  # how far the best must stand above the next ten: a question the sources do
    # not answer is about as near to many sentences
    unit: float  # a question this like a "which unit suits me?" asks for a unit
    unit_stated: float  # or this like, after the candidate said something about themselves
    unasked: float  # taken off a sentence's own likeness, which is less telling than its
    # expected questions'
    unanswered: float  # a question nearer by this much to a topic the sources do not answer
    # than to what the best sentence answers is declined


@cache
def thresholds() -> Thresholds:
    return Thresholds(**json.loads(SETTINGS_FILE.read_text(encoding="utf-8")))


@cache
def _prototypes() -> dict[str, list[str]]:
    data = tomllib.loads(INTENTS_FILE.read_text(encoding="utf-8"))
    return {name: list(group["prototypes"]) for name, group in data.items()}


def asks_for_unit(
    question: str, found: Multilingual, t: Thresholds, *, stated: bool = False
) -> bool:
    """Whether the question itself (without what was said before it) asks which unit fits;
    ``stated``: the candidate said something about themselves before it, which makes a
    question about where they would fit likelier (and its likeness, on a short question,
    less)."""
    groups = _prototypes()
    vector = np.asarray(found.embeddings.embed_query(question), dtype=np.float32)
    likeness = {
        name: float(np.max(found.prototypes(tuple(texts)) @ vector))
        for name, texts in groups.items()
    }
    least = t.unit_stated if stated else t.unit
    return likeness["unit"] >= least and likeness["unit"] == max(likeness.values())


@dataclass(frozen=True)
class Liked:
    sentence: Sentence
    score: float


def across_query(asked: Asked, previous: str) -> str:
    """What the model reads: the question with what was said before it; a short question
    that says nothing before it ("et ensuite ?") is read with the candidate's last one."""
    if asked.context:
        return f"{asked.context} {asked.text}"
    if previous and len(asked.text.split()) <= FOLLOW_UP_WORDS:
        return f"{previous} {asked.text}"
    return asked.text


def neutral_tokens(text: str) -> frozenset[str]:
    return frozenset(m.group(0).lower() for m in _NEUTRAL.finditer(text))


def rank_across(
    vector: np.ndarray, found: Multilingual, index: SentenceIndex, question: str, t: Thresholds
) -> list[Liked]:
    """Every sentence with its score, best first: the likeness of the question to the two
    nearest of the sentence's expected questions (one near question may be a fluke of wording,
    two agree on the subject), or to the sentence itself, less ``unasked``, where higher."""
    likeness = found.matrix @ vector - t.unasked
    if len(found.question_rows):
        likeness = np.maximum(likeness, found.nearest_two(found.questions @ vector))
    tokens = neutral_tokens(question)
    scores = likeness.astype(np.float64)
    if tokens:
        for i, sentence in enumerate(index.sentences):
            shared = len(tokens & neutral_tokens(sentence.text))
            scores[i] += t.token * min(shared, 2)
    order = np.argsort(-scores, kind="stable")
    return [
        Liked(index.sentences[i], float(scores[i])) for i in order if _answering(index.sentences[i])
    ]


@cache
def _answering_text(text: str, kind: str) -> bool:
    if kind == "table_row":
        return True
    # A heading, a name, a bare link or "see below" answers nothing: such short lines are near
    # every question in the model's space, so they are left out rather than outranked.
    return not title_line(text) and not _LINK_ONLY.match(text) and not _POINTER.search(text)


def _answering(sentence: Sentence) -> bool:
    return _answering_text(sentence.text, sentence.kind)


def _deadline_sentences(call: CallModel) -> set[tuple[str, int]]:
    """The sentences that state the deadline: the rules' clause, the late clause, and any that
    gives the deadline's date as the call writes dates."""
    day = call.rules.deadline
    written = (f"{day.day} {day:%B %Y}", f"{day:%d/%m/%Y}")
    keys = {s.key for key in ("deadline", "deadline.late") for s in call.sentences_of(key)}
    keys |= {s.key for s in call.index.sentences if any(w in s.text for w in written)}
    return keys


def _says_more(sentence: Sentence, call: CallModel) -> bool:
    """Whether a sentence says much more than the deadline's own clause."""
    clause = call.rules.citation("deadline")
    return len(sentence.text) > 2 * (clause.end - clause.start)


def _criteria_by_sentence(call: CallModel) -> dict[tuple[str, int], str]:
    """Each sentence holding a criterion's clause, with the first criterion it states."""
    found: dict[tuple[str, int], str] = {}
    for criterion in call.rules.criteria:
        if criterion.id == "deadline":
            continue
        for sentence in call.sentences_of(criterion.id)[:1]:
            found.setdefault(sentence.key, criterion.id)
    return found


def _picked(ranked: list[Liked], t: Thresholds, skip: set[tuple[str, int]]) -> list[Sentence]:
    best = next(r for r in ranked if r.sentence.key not in skip)
    picked: list[Sentence] = []
    length = 0
    for liked in ranked:
        if len(picked) == MAX_SENTENCES or liked.score < best.score - t.keep:
            break
        if liked.sentence.key in skip or not says_something(liked.sentence):
            continue
        if picked and length + len(liked.sentence.text) > ANSWER_CHARS:
            continue
        picked.append(liked.sentence)
        length += len(liked.sentence.text)
    return picked


def peak(ranked: list[Liked]) -> float:
    """How far the best sentence stands above the next ten."""
    rest = [r.score for r in ranked[1 : PEAK_OVER + 1]]
    return ranked[0].score - sum(rest) / len(rest) if rest else 1.0


def verdict(
    score: float, stands_out: float, unanswered: Unanswered, t: Thresholds
) -> Literal["answer", "not_found", "out_of_scope"]:
    """Whether the best sentence (``score``, ahead of the rest by ``stands_out``) answers; the
    one rule, which eval/fit_crosslingual.py fits the thresholds of."""
    # A question about telework is near the sentences on the place of work too, and one about
    # a recipe near some sentence by chance: nearer still to questions no sentence answers, it
    # is declined.
    nearer_unanswered = unanswered.likeness > score + t.unanswered
    if score < t.out_of_scope or (nearer_unanswered and unanswered.outside):
        return "out_of_scope"
    if score < t.answer or stands_out < t.peak or nearer_unanswered:
        return "not_found"
    return "answer"


def decide_across(
    ranked: list[Liked],
    call: CallModel,
    t: Thresholds,
    *,
    unit: bool = False,
    unanswered: Unanswered = NONE_UNANSWERED,
) -> list[Decision]:
    """What to answer, as one or two decisions (the deadline, and what else was asked);
    ``unit``: the question asks which unit fits; ``unanswered``: its likeness to the nearest
    topic the sources do not answer."""
    index = call.index
    best = ranked[0]
    if unit and best.score >= t.out_of_scope:
        return [_unit_answer(ranked, index)]
    kind = verdict(best.score, peak(ranked), unanswered, t)
    if kind == "out_of_scope":
        return [Decision("out_of_scope")]
    if kind == "not_found":
        related = (best.sentence,) if best.score >= t.related and not best.sentence.lead_in else ()
        return [Decision("not_found", related=related)]
    deadline = _deadline_sentences(call)
    if best.sentence.key in deadline:
        decisions = [Decision("deadline")]
        stated = call.sentence_of("deadline")
        if stated is not None and best.sentence.key == stated.key and _says_more(stated, call):
            # The sentence that states the deadline also says where to send and what to write
            # ("Please send these documents … to HOME-CALL@… by 22/04/2025"): which of these
            # was asked, its likeness does not tell, so it is quoted whole before the date.
            decisions.insert(0, Decision("answer", sentences=(stated,)))
        # "Where and until when?": the best other sentence too, if it answers as well.
        rest = [r for r in ranked if r.sentence.key not in deadline]
        if rest and rest[0].score >= max(t.answer, best.score - t.keep):
            decisions.append(_answer(_picked(rest, t, deadline)[:1], index))
        return decisions
    criteria = _criteria_by_sentence(call)
    if best.sentence.key in criteria:
        applied = [
            Applied(criteria[r.sentence.key], criteria[r.sentence.key], None)
            for r in ranked[:6]
            if r.sentence.key in criteria and r.score >= best.score - t.keep
        ]
        return [Decision("eligibility", applied=tuple(applied[:MAX_CRITERIA]))]
    if best.sentence.unit is not None:
        return [_unit_answer(ranked, index)]
    return [_answer(_picked(ranked, t, set()), index)]


def _unit_answer(ranked: list[Liked], index: SentenceIndex) -> Decision:
    """A question a unit's text answers ("I work on returns: which unit suits me?"): the unit
    whose three best sentences are likest, by its opening sentence (which names it) and its
    best. One sentence may be near by chance; a unit whose work is near the question has
    several."""
    scores: dict[str, list[float]] = {}
    best_of: dict[str, Sentence] = {}
    for liked in ranked:
        unit = liked.sentence.unit
        if unit is None or len(scores.setdefault(unit, [])) == UNIT_SENTENCES:
            continue
        scores[unit].append(liked.score)
        best_of.setdefault(unit, liked.sentence)
    unit = max(scores, key=lambda u: sum(scores[u]) / len(scores[u]))
    opening = next(s for s in index.ordered if s.unit == unit)
    picked = [opening] if opening == best_of[unit] else [opening, best_of[unit]]
    return Decision(
        "answer",
        sentences=tuple(picked),
        name_unit=unit not in opening.text,
        extras=with_items(picked, index),
    )


def _answer(picked: list[Sentence], index: SentenceIndex) -> Decision:
    sentences = fragment_list(picked[0], index) or tuple(picked) if picked else ()
    first = sentences[0] if sentences else None
    return Decision(
        "answer",
        sentences=tuple(sentences),
        # A unit's text that does not name its unit is led by the unit's name.
        name_unit=first is not None and first.unit is not None and first.unit not in first.text,
        extras=with_items(list(sentences), index),
    )
