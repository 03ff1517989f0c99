"""The checks a model's answer must pass, and the fallback when it does not.

The model here is LangChain's fake chat model, replaying set answers: each case needs an exact
reply (a good one, an invented citation, an invented number). tests/llm/test_local_model.py
runs the same path against a real local model.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.answering.answerer import Answerer
from assistant.answering.llm import Phraser, Rejected, check
from assistant.answering.verify import verify_answer
from assistant.runtime import Services

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
SOURCES = [
    "The place of employment will be in Brussels.",
    "The duration of the first contract will be 1 year.",
]


def test_a_supported_answer_is_kept_with_its_citations() -> None:
    assert check("The place of employment is Brussels [1].", "Where is it?", SOURCES) == [1]
    assert check(
        "You would work in Brussels [1]. The first contract lasts 1 year [2].", "", SOURCES
    ) == [1, 2]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("", "empty answer"),
        ("The job is based in Brussels.", "a sentence cites no source"),
        ("The job is based in Brussels [3].", "a citation names no given source"),
        ("The first contract lasts 2 years [2].", "a number is not in the cited sources"),
        ("Remote work is fully allowed on Fridays [1].", "a sentence says what its sources do not"),
        ("The job will be based in [2] at [1].", "a sentence says what its sources do not"),
        # The candidate's assumption repeated back is not evidence, nor is a flipped quote.
        ("The contract is permanent [2].", "a negation or a number word"),
        ("The place of employment is not Brussels [1].", "a negation or a number word"),
        ("The first contract is 1 year, then five more [2].", "a negation or a number word"),
        ("The place of employment is Brussels [1]. yes, remote allowed.", "cites no source"),
    ],
)
def test_an_unsupported_answer_is_rejected(answer: str, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        check(answer, "Is the contract permanent and is the job based in Brussels?", SOURCES)


def fake(*replies: str | Exception) -> GenericFakeChatModel:
    def messages() -> Iterator[AIMessage]:
        for reply in replies:
            if isinstance(reply, Exception):
                raise reply
            yield AIMessage(content=reply)

    return GenericFakeChatModel(messages=messages())


def answerer(services: Services, *replies: str | Exception) -> Answerer:
    base = services.answerer  # reuse the loaded retriever; only the phraser differs
    return Answerer(
        base.retriever,
        base.corpus,
        base.embeddings,
        base.index,
        base.rules,
        Phraser(fake(*replies)),
    )


@pytest.fixture(scope="module")
def shared(services: Services) -> Services:
    services.answerer  # noqa: B018  # load once for the module
    return services


def test_the_models_wording_is_used_when_it_holds(shared: Services) -> None:
    deterministic = shared.answerer.answer("Where is the job based?", now=NOW)
    quote = deterministic.citations[0].quote
    worded = answerer(shared, "You would be working in Brussels [1].").answer(
        "Where is the job based?", now=NOW
    )
    assert worded.generator == "llm"
    assert worded.fallback is None
    assert worded.answer.startswith("You would be working in Brussels [1].")
    assert worded.citations[0].quote == quote  # computed from the corpus, not the model
    assert "llm" in worded.timings_ms
    verify_answer(worded, shared.corpus)


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("The job is in Lisbon, remote on Fridays [1].", "a sentence says what its sources do not"),
        ("The job is based in Brussels [7].", "a citation names no given source"),
        (TimeoutError("slow"), "model timed out"),
        (ConnectionError("refused"), "model unreachable"),
        (ValueError("bad reply"), "model failed (ValueError)"),
    ],
)
def test_the_sources_own_sentences_are_used_when_it_does_not(
    shared: Services, reply: str | Exception, reason: str
) -> None:
    deterministic = shared.answerer.answer("Where is the job based?", now=NOW)
    answer = answerer(shared, reply).answer("Where is the job based?", now=NOW)
    assert answer.generator == "deterministic"
    assert answer.fallback == reason
    assert answer.answer == deterministic.answer
    assert answer.citations == deterministic.citations


def test_deadlines_and_refusals_are_never_worded_by_the_model(shared: Services) -> None:
    model = answerer(shared, "The deadline is whenever you like [1].")
    for question in ("When is the deadline?", "What's the weather in Brussels in June?"):
        answer = model.answer(question, now=NOW)
        assert answer.generator == "deterministic"
        assert "llm" not in answer.timings_ms
