"""Ranking and deciding for a question in another language: the multilingual model's likeness
of the question to each English sentence (or to the questions it answers), then what kind of
answer the best sentence calls for."""

from __future__ import annotations

import dataclasses
import json
import tomllib

import numpy as np
import pytest

from assistant.answering.candidates import title_line
from assistant.answering.compose import CallModel
from assistant.answering.crosslingual import (
    INTENTS_FILE,
    MAX_CRITERIA,
    SETTINGS_FILE,
    Liked,
    Thresholds,
    across_query,
    asks_for_unit,
    decide_across,
    neutral_tokens,
    peak,
    rank_across,
    thresholds,
)
from assistant.answering.eligibility import Applied
from assistant.answering.message import Asked
from assistant.runtime import Services
from retrieval.multilingual import Multilingual, Unanswered
from retrieval.sentence_index import Sentence, SentenceIndex

PROBATION = "9-month probationary period"


@pytest.fixture(scope="module")
def call(services: Services) -> CallModel:
    return services.answerer.call


@pytest.fixture(scope="module")
def index(call: CallModel) -> SentenceIndex:
    return call.index


def first(index: SentenceIndex, text: str) -> Sentence:
    return next(s for s in index.ordered if text in s.text)


def ranking(index: SentenceIndex, top: list[tuple[Sentence, float]], rest: float) -> list[Liked]:
    """Every sentence once, best first: ``top`` with its scores, the others from ``rest`` down."""
    chosen = {s.key for s, _ in top}
    others = [s for s in index.sentences if s.key not in chosen]
    return [Liked(s, score) for s, score in top] + [
        Liked(s, rest - i * 1e-5) for i, s in enumerate(others)
    ]


# --- the settings ---------------------------------------------------------------------------------


def test_the_thresholds_are_the_fitted_files_and_in_a_sensible_order() -> None:
    t = thresholds()
    data = json.loads(SETTINGS_FILE.read_text(encoding="utf-8"))
    assert set(data) == {f.name for f in dataclasses.fields(Thresholds)}
    assert dataclasses.asdict(t) == data
    # A question is out of scope below what shows a related sentence, which is below what
    # answers.
    assert t.out_of_scope <= t.related <= t.answer
    assert t.keep >= 0
    assert t.unasked >= 0


def test_the_ways_of_asking_for_a_unit_are_read_from_the_intents_file() -> None:
    groups = tomllib.loads(INTENTS_FILE.read_text(encoding="utf-8"))
    assert {"unit", "other"} <= set(groups)
    assert all(group["prototypes"] for group in groups.values())


# --- what the model reads -------------------------------------------------------------------------


def test_the_model_reads_the_question_with_what_was_said_before_it() -> None:
    said = Asked("Combien de temps dure-t-il ?", context="Je parle du contrat.")
    assert across_query(said, "Quelle est la date limite ?") == (
        "Je parle du contrat. Combien de temps dure-t-il ?"
    )
    # A short question with nothing said before it is read with the candidate's last one.
    short = Asked("Et ensuite ?")
    assert across_query(short, "Quelle est la date limite ?") == (
        "Quelle est la date limite ? Et ensuite ?"
    )
    assert across_query(short, "") == "Et ensuite ?"
    # A question with words of its own stands alone.
    long = Asked("Combien de temps dure la période d'essai des agents contractuels ?")
    assert across_query(long, "Quelle est la date limite ?") == long.text


def test_tokens_every_language_writes_alike() -> None:
    assert neutral_tokens("Envoyez à HOME-CALL@ec.europa.eu pour FG IV avant le 22 avril") == {
        "home-call@ec.europa.eu",
        "fg",
        "iv",
        "22",
    }
    assert neutral_tokens("Muszę mieć CAST EPSO?") == {"cast", "epso"}
    assert neutral_tokens("quelle est la date limite ?") == frozenset()


def test_the_peak_is_how_far_the_best_stands_above_the_next_ten(index: SentenceIndex) -> None:
    sentences = index.sentences[:12]
    scores = [0.9, *(0.8 for _ in range(10)), 0.1]  # the twelfth is past the ten
    ranked = [Liked(s, x) for s, x in zip(sentences, scores, strict=True)]
    assert peak(ranked) == pytest.approx(0.1)
    assert peak(ranked[:3]) == pytest.approx(0.1)
    assert peak(ranked[:1]) == 1.0


# --- ranking --------------------------------------------------------------------------------------


def test_asking_for_a_unit_is_told_from_other_questions_in_any_language(
    found: Multilingual,
) -> None:
    t = thresholds()
    assert asks_for_unit("Quale unità sarebbe più adatta a me?", found, t)
    assert asks_for_unit("Welche Abteilung passt am besten zu meinem Profil?", found, t)
    assert not asks_for_unit("Qual è la scadenza?", found, t)
    assert not asks_for_unit("Posso candidarmi?", found, t)


def test_a_sentence_scores_the_nearer_of_itself_and_its_expected_questions(
    found: Multilingual, index: SentenceIndex
) -> None:
    t = thresholds()
    question = "Ile trwa okres próbny?"
    vector = np.asarray(found.embeddings.embed_query(question), dtype=np.float32)
    ranked = rank_across(vector, found, index, question, t)
    assert PROBATION in ranked[0].sentence.text
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    row = {s.key: i for i, s in enumerate(index.sentences)}
    own = found.matrix @ vector - t.unasked
    asked = found.nearest_two(found.questions @ vector)
    for liked in ranked:
        i = row[liked.sentence.key]
        assert liked.score == pytest.approx(max(own[i], asked[i]), abs=1e-6)
    # Headings and names answer nothing: they are left out, table rows kept.
    assert len(ranked) < len(index.sentences)
    assert all(r.sentence.kind == "table_row" or not title_line(r.sentence.text) for r in ranked)
    assert any(r.sentence.kind == "table_row" for r in ranked)


def test_each_shared_language_neutral_token_adds_to_a_sentences_score(
    found: Multilingual, index: SentenceIndex
) -> None:
    question = "Muszę mieć CAST EPSO dla FG IV?"
    vector = np.asarray(found.embeddings.embed_query(question), dtype=np.float32)
    plain = dataclasses.replace(thresholds(), token=0.0)
    weighted = dataclasses.replace(thresholds(), token=0.05)
    before = {r.sentence.key: r.score for r in rank_across(vector, found, index, question, plain)}
    after = {r.sentence.key: r for r in rank_across(vector, found, index, question, weighted)}
    assert set(before) == set(after)
    tokens = neutral_tokens(question)
    assert len(tokens) == 4
    gained = 0
    for key, liked in after.items():
        shared = len(tokens & neutral_tokens(liked.sentence.text))
        assert liked.score - before[key] == pytest.approx(0.05 * min(shared, 2), abs=1e-6)
        gained += shared > 0
    assert gained  # the call names CAST and FG IV


# --- deciding -------------------------------------------------------------------------------------


def test_the_deadline_sentence_best_gives_the_deadline(call: CallModel) -> None:
    t = thresholds()
    row = first(call.index, "Deadline for expressing interest")
    decisions = decide_across(ranking(call.index, [(row, 0.95)], t.out_of_scope), call, t)
    assert [d.kind for d in decisions] == ["deadline"]
    # The clause that states it (and where to send, and what to write) gives the deadline too,
    # with at most the clause itself quoted beside it.
    stated = call.sentence_of("deadline")
    assert stated is not None
    decisions = decide_across(ranking(call.index, [(stated, 0.95)], t.out_of_scope), call, t)
    assert [d.kind for d in decisions].count("deadline") == 1
    assert {d.kind for d in decisions} <= {"deadline", "answer"}
    assert {s for d in decisions for s in d.sentences} <= {stated}


def test_the_deadline_and_a_sentence_as_near_give_both(call: CallModel) -> None:
    t = thresholds()
    row = first(call.index, "Deadline for expressing interest")
    probation = first(call.index, PROBATION)
    top = [(row, 0.95), (probation, 0.95 - t.keep / 2)]
    deadline, answer = decide_across(ranking(call.index, top, t.out_of_scope), call, t)
    assert deadline.kind == "deadline"
    assert answer.kind == "answer"
    assert answer.sentences == (probation,)
    # Farther than ``keep`` from the deadline, it is left out.
    top = [(row, 0.95), (probation, 0.95 - 2 * t.keep)]
    assert [d.kind for d in decide_across(ranking(call.index, top, 0.5), call, t)] == ["deadline"]


def test_a_criterions_clause_best_gives_the_criteria_and_the_precheck(call: CallModel) -> None:
    t = thresholds()
    english = call.sentence_of("english")
    second = call.sentence_of("second_language")
    assert english is not None
    assert second is not None
    top = [(english, 0.9), (second, 0.9 - t.keep / 2)]
    (decision,) = decide_across(ranking(call.index, top, 0.8), call, t)
    assert decision.kind == "eligibility"
    assert decision.applied == (
        Applied("english", "english", None),
        Applied("second_language", "second_language", None),
    )
    # However many clauses are near, at most MAX_CRITERIA are given.
    clauses = [
        s
        for c in call.rules.criteria
        if c.id != "deadline" and (s := call.sentence_of(c.id)) is not None
    ]
    unique = list({s.key: s for s in clauses}.values())
    assert len(unique) > MAX_CRITERIA
    top = [(s, 0.9 - i * 1e-4) for i, s in enumerate(unique[:6])]
    (decision,) = decide_across(ranking(call.index, top, 0.8), call, t)
    assert decision.kind == "eligibility"
    assert len(decision.applied) == MAX_CRITERIA


def test_a_question_for_a_unit_is_answered_by_the_unit_led_by_its_opening_sentence(
    call: CallModel,
) -> None:
    t = thresholds()
    own = [s for s in call.index.ordered if s.unit == "HOME.B.4"]
    opening, best = own[0], own[2]
    assert len(own) >= 4
    top = [(s, 0.9 - i * 1e-3) for i, s in enumerate([best, own[1], own[3]])]
    for unit in (True, False):  # asked for a unit, or a unit's sentence is simply the best
        (decision,) = decide_across(ranking(call.index, top, 0.8), call, t, unit=unit)
        assert decision.kind == "answer"
        assert decision.sentences[:2] == (opening, best)
        assert "HOME.B.4" in opening.text
        assert not decision.name_unit  # the opening sentence names its unit itself
    # Asked for a unit, but about nothing of the call: out of scope all the same.
    low = ranking(call.index, [(best, t.out_of_scope - 0.01)], t.out_of_scope - 0.02)
    assert [d.kind for d in decide_across(low, call, t, unit=True)] == ["out_of_scope"]


def test_a_plain_sentence_best_is_quoted(call: CallModel) -> None:
    t = thresholds()
    probation = first(call.index, PROBATION)
    (decision,) = decide_across(ranking(call.index, [(probation, 0.9)], 0.8), call, t)
    assert decision.kind == "answer"
    assert decision.sentences == (probation,)


def test_a_low_score_is_out_of_scope_or_not_found(call: CallModel) -> None:
    t = thresholds()
    probation = first(call.index, PROBATION)
    below = ranking(call.index, [(probation, t.out_of_scope - 0.001)], t.out_of_scope - 0.01)
    assert [d.kind for d in decide_across(below, call, t)] == ["out_of_scope"]
    # Near enough to be about the call, not enough to answer: the nearest sentence is shown.
    related = (t.related + t.answer) / 2
    (decision,) = decide_across(ranking(call.index, [(probation, related)], 0.5), call, t)
    assert decision.kind == "not_found"
    assert decision.related == (probation,)
    between = (t.out_of_scope + t.related) / 2
    (decision,) = decide_across(ranking(call.index, [(probation, between)], 0.5), call, t)
    assert decision.kind == "not_found"
    assert decision.related == ()


def test_a_question_nearer_to_what_no_source_answers_is_declined(call: CallModel) -> None:
    t = thresholds()
    probation = first(call.index, PROBATION)
    score = t.answer + 0.02
    ranked = ranking(call.index, [(probation, score)], 0.5)
    as_near = Unanswered(score + t.unanswered, outside=False)
    (answered,) = decide_across(ranked, call, t, unanswered=as_near)
    assert answered.kind == "answer"  # as near: the sentence answers
    nearer = Unanswered(score + t.unanswered + 0.001, outside=False)
    (declined,) = decide_across(ranked, call, t, unanswered=nearer)
    assert declined.kind == "not_found"
    assert declined.related == (probation,)  # what the call does say, shown as related
    # Nearer to a topic about something else than the call (a recipe): out of scope.
    elsewhere = dataclasses.replace(nearer, outside=True)
    assert [d.kind for d in decide_across(ranked, call, t, unanswered=elsewhere)] == [
        "out_of_scope"
    ]


def test_a_candidate_who_said_who_they_are_asks_for_a_unit_more_readily(
    found: Multilingual,
) -> None:
    t = thresholds()
    assert t.unit_stated < t.unit
    # Like a unit question enough only after a statement about the candidate.
    question = "Kura vienība man būtu piemērotākā?"  # Latvian: which unit would suit me best?
    assert asks_for_unit(question, found, t, stated=True)
    assert not asks_for_unit(question, found, t)
    # Still not for a question that asks something else.
    assert not asks_for_unit("Kāds ir pieteikšanās termiņš?", found, t, stated=True)
