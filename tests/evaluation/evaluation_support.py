"""Hand-made cases and answers for the harness's tests, built on the real corpus text."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.answering.models import Answer, Citation
from assistant.evaluation import checks
from assistant.evaluation.datasets import AnswerCase, Evidence, Judge
from assistant.evaluation.results import AnyResult
from assistant.evaluation.summary import DatasetInfo, Summary, summarize
from retrieval.corpus import Corpus

CALL = "ec-2025-home-01"
NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)
CONTRACT = Evidence(doc_id=CALL, quote="Initial contract duration\t1 year")
PROBATION = Evidence(doc_id=CALL, quote="complete a 9-month probationary period")


def cite(corpus: Corpus, number: int, doc_id: str, quote: str) -> Citation:
    """A verbatim citation of ``quote``, located in the real document."""
    start = corpus.get(doc_id).text.index(quote)
    return Citation(
        id=number,
        doc_id=doc_id,
        title="t",
        section="s",
        quote=quote,
        start=start,
        end=start + len(quote),
    )


def answer(text: str, citations: list[Citation], status: str = "answered") -> Answer:
    return Answer.model_validate(
        {
            "answer": text,
            "citations": [c.model_dump() for c in citations],
            "status": status,
            "intent": "fact" if status == "answered" else "unanswerable",
            "timings_ms": {"retrieve": 10.0, "compose": 5.0, "total": 15.0},
        }
    )


def case(
    id: str,
    *,
    kind: str = "fact",
    expect_status: str = "answered",
    must_contain: tuple[str, ...] = ("1 year",),
    must_not_contain: tuple[str, ...] = (),
    evidence: tuple[Evidence, ...] = (CONTRACT,),
    lang: str | None = None,
) -> AnswerCase:
    return AnswerCase.model_validate(
        {
            "id": id,
            "question": f"question {id}",
            "kind": kind,
            "expect_status": expect_status,
            "must_contain": list(must_contain),
            "must_not_contain": list(must_not_contain),
            "evidence": [e.model_dump() for e in evidence],
            # Left out rather than null when not given, as the English sets write their cases.
            **({"lang": lang} if lang is not None else {}),
        }
    )


def hand_run(corpus: Corpus, *, fixed: bool) -> tuple[Summary, list[AnyResult]]:
    """A two-question run; with ``fixed`` the second question is answered right, else declined.

    The declined answer holds markup, to show that the report escapes what it quotes."""
    judge = Judge(corpus)
    contract = cite(corpus, 1, CALL, CONTRACT.quote)
    first = checks.check_answer(
        checks.answer_case(case("a1"), "answers", NOW),
        answer("The first contract is for 1 year [1].", [contract]),
        judge,
        request_ms=30.0,
    )
    second_case = case("a2", kind="paraphrase", must_contain=("9.month",), evidence=(PROBATION,))
    probation = cite(corpus, 1, CALL, PROBATION.quote)
    got = (
        answer("A 9-month probation [1].", [probation])
        if fixed
        else answer("The call does not say. <script>alert(1)</script>", [], "not_found")
    )
    second = checks.check_answer(
        checks.answer_case(second_case, "answers", NOW), got, judge, request_ms=40.0
    )
    results: list[AnyResult] = [first, second]
    summary = summarize(
        results,
        target="local",
        now=NOW,
        started_at=NOW,
        seconds=1.0,
        datasets=[DatasetInfo(path="answers.jsonl", set="answers", cases=2)],
    )
    return summary, results
