"""Decide: answer, apply a rule, say the call does not say, or say it is not about the call.

A pure function of the query, its ranked sentences and what the index knows: no model, no
store. Answering needs the best sentence to be likely enough (the fitted threshold), to hold
the kind of answer asked for, and the question to have no topic that the sources never mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from assistant.answering.candidates import title_line
from assistant.answering.eligibility import Applied
from assistant.answering.query import Query
from assistant.answering.rank import Ranker, Scored
from retrieval.sentence_index import Sentence, SentenceIndex
from retrieval.text import WORD, word_stems

MAX_SENTENCES = 3
MAX_FRAGMENTS = 6  # a list of short items quoted whole, at most this long
ANSWER_CHARS = 600
STRONG_SIMILARITY = 0.62  # above this a sentence answers even in other words

Kind = Literal[
    "deadline", "out_of_scope", "unknown_units", "units", "eligibility", "answer", "not_found"
]


@dataclass(frozen=True)
class Decision:
    kind: Kind
    sentences: tuple[Sentence, ...] = ()  # what to quote, in order
    related: tuple[Sentence, ...] = ()  # for a not_found: what the call does say nearby
    units: tuple[str, ...] = ()  # named units (unknown ones, or the ones to describe)
    applied: tuple[Applied, ...] = ()  # for eligibility: each criterion and what was said
    name_unit: bool = False  # lead with the unit's name ("which unit …?")
    # What each quoted sentence brings along (a lead-in its items), by the sentence's key.
    extras: dict[tuple[str, int], tuple[Sentence, ...]] = field(default_factory=dict)


def says_something(sentence: Sentence) -> bool:
    """Five words or more, or a table row ("Place of employment: Brussels"): not a fragment."""
    return len(WORD.findall(sentence.text)) >= 5 or sentence.kind == "table_row"


def off_topic(
    query: Query, ranked: list[Scored], unknown: list[frozenset[str]], names_source_term: bool
) -> bool:
    """A request for other work, or a question about neither the call nor its employer: one
    that names a rare term the sources use ("EMPACT", "ILO") is about them."""
    if query.task:
        return True
    if query.domain or names_source_term:
        return False
    if query.injected:
        return True
    best = ranked[0].similarity if ranked else 0.0
    return bool(unknown) and best < STRONG_SIMILARITY


def answers(query: Query, ranked: list[Scored], unknown_specific: bool, ranker: Ranker) -> bool:
    """Whether the best sentences answer the query."""
    if not ranked or query.near:
        return False  # nothing found, or a topic candidates ask about that the call does not cover
    best = ranked[0]
    if unknown_specific and best.similarity < STRONG_SIMILARITY:
        return False  # a rare word or a name the sources never use
    if query.answer_type in ("amount", "percentage", "person") and not any(
        s.shaped for s in ranked[:MAX_SENTENCES]
    ):
        return False  # "how much" needs an amount, "who leads" a name
    if query.answer_type in ("number", "duration") and not best.shaped:
        return False  # "how many" needs a number, "how long" a length of time
    return ranker.answerable(best.candidate) >= ranker.threshold


def pick(ranked: list[Scored], ranker: Ranker) -> list[Scored]:
    """The best sentence, then up to two more nearly as likely, within a short length."""
    picked: list[Scored] = []
    length = 0
    for scored in ranked:
        if len(picked) == MAX_SENTENCES or (
            picked and scored.score < ranker.keep * picked[0].score
        ):
            break
        if not says_something(scored.sentence):
            continue  # a title or a stray fragment ("Your CV") answers nothing on its own
        if length + len(scored.sentence.text) > ANSWER_CHARS and picked:
            continue
        picked.append(scored)
        length += len(scored.sentence.text)
    return picked


def fragment_list(best: Sentence, index: SentenceIndex) -> tuple[Sentence, ...]:
    """When the best sentence is one item of a short list of fragments ("Belgium", "Brussels",
    "Rue du Luxembourg 46" under "Company Offices"), the whole list: an item alone says
    nothing, the list together answers."""
    if best.kind != "list_item" or says_something(best):
        return ()
    items = tuple(
        s
        for s in index.ordered
        if s.doc_id == best.doc_id and s.section == best.section and s.kind == "list_item"
    )
    if len(items) > MAX_FRAGMENTS or any(says_something(s) for s in items):
        return ()
    return items


def with_items(
    picked: list[Sentence], index: SentenceIndex, query: Query | None = None
) -> dict[tuple[str, int], tuple[Sentence, ...]]:
    """What each picked sentence brings along: a lead-in its items (those on the question's
    topic when only some are), a bullet its own rest."""
    extras: dict[tuple[str, int], tuple[Sentence, ...]] = {}
    for sentence in picked:
        if sentence.lead_in:
            items = index.items_after(sentence)
            if any(item in picked for item in items):
                continue  # the items that answer were picked on their own
            extras[sentence.key] = tuple(_on_topic(items, sentence, query))
        elif sentence.kind == "list_item":
            bullet = index.same_passage(sentence)
            if len(bullet) <= 3 and sum(len(s.text) for s in bullet) <= ANSWER_CHARS:
                extras[sentence.key] = tuple(s for s in bullet if s.start > sentence.start)
    return extras


def _on_topic(items: list[Sentence], lead_in: Sentence, query: Query | None) -> list[Sentence]:
    """The items holding a topic of the question that the lead-in does not ("visa tasks": the
    tasks about visas), or all of them when none or every one does."""
    if query is None:
        return items
    topics = {
        part
        for group in query.groups
        for root in group
        for part in word_stems(root)
        if part not in lead_in.stems
    }
    # A topic every item holds says nothing about which; one no item holds, likewise.
    telling = {t for t in topics if 0 < sum(t in item.stems for item in items) < len(items)}
    chosen = [item for item in items if telling & item.stems]
    return chosen or items


def related_sentence(
    query: Query, ranked: list[Scored], index: SentenceIndex
) -> tuple[Sentence, ...]:
    """For a not_found: the one sentence of what the call does say on the subject, if any."""
    if query.near:
        # What the call says nearby: the sentence that best holds the related topic's words.
        likeness = {s.sentence.key: s.similarity for s in ranked}

        def held(s: Sentence) -> float:
            return sum(bool(g & s.stems) for g in query.near) / len(query.near)

        pool = [
            s
            for s in index.sentences
            if held(s) > 0
            and not s.lead_in
            and says_something(s)
            and not (s.kind == "paragraph" and title_line(s.text))
        ]
        pool.sort(key=lambda s: (-held(s), -likeness.get(s.key, 0.0), s.doc_id, s.start))
        return tuple(pool[:1])
    related = [
        s.sentence
        for s in ranked[:3]
        if (s.similarity >= 0.3 or s.coverage >= 0.5) and not s.sentence.lead_in
    ]
    return tuple(related[:1])


def detail_of(previous: list[Sentence], index: SentenceIndex) -> tuple[Sentence, ...]:
    """More of the previous answer: the sentences that follow the last one it quoted, within
    the same section."""
    if not previous:
        return ()
    last = max(previous, key=lambda s: s.key)
    more: list[Sentence] = []
    current = index.following.get(last.key)
    while current is not None and len(more) < MAX_SENTENCES and current.section == last.section:
        if current not in previous and says_something(current):
            more.append(current)
        current = index.following.get(current.key)
    return tuple(more)


def decide(
    query: Query,
    ranked: list[Scored],
    *,
    index: SentenceIndex,
    ranker: Ranker,
    unknown: list[frozenset[str]],
    unknown_specific: bool,
    names_source_term: bool = False,
    named_units: list[str],
    unknown_units: list[str],
    describes_units: bool,
    applied: list[Applied],
    previous: list[Sentence],
) -> Decision:
    if query.intent == "deadline":
        return Decision("deadline")
    if off_topic(query, ranked, unknown, names_source_term):
        return Decision("out_of_scope")
    if unknown_units:
        return Decision("unknown_units", units=tuple(unknown_units))
    if query.detail and (more := detail_of(previous, index)):
        return Decision("answer", sentences=more)
    if named_units and describes_units:
        return Decision("units", units=tuple(named_units))
    if query.intent == "eligibility":
        # Eligibility questions get the rule at stake and the pre-check, never a guess.
        sentences = () if applied else tuple(s.sentence for s in pick(ranked, ranker))
        return Decision(
            "eligibility",
            sentences=sentences,
            applied=tuple(applied),
            extras=with_items(list(sentences), index, query),
        )
    if not answers(query, ranked, unknown_specific, ranker):
        return Decision("not_found", related=related_sentence(query, ranked, index))
    sentences = fragment_list(ranked[0].sentence, index) or tuple(
        s.sentence for s in pick(ranked, ranker)
    )
    return Decision(
        "answer",
        sentences=sentences,
        name_unit=query.answer_type == "unit",
        extras=with_items(list(sentences), index, query),
    )
