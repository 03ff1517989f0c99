"""Per-case checks: does an answer hold the facts, cite the evidence verbatim, decline when it
should; does a ranking bring the relevant passages up; does a pre-check give the verdict."""

from __future__ import annotations

import re
from datetime import datetime

from assistant.answering.models import Answer
from assistant.evaluation.datasets import (
    AnswerCase,
    Judge,
    PrecheckCase,
    RetrievalCase,
    overlaps,
    passage_key,
)
from assistant.evaluation.metrics import hit_at, ndcg_at, recall_at, reciprocal_rank
from assistant.evaluation.results import AnswerResult, Hit, ProfileResult, RetrievalResult
from assistant.precheck import PrecheckResult

# How deep a ranking is asked for: MRR is taken at 10, as BEIR reports it.
RANKING_DEPTH = 10


def matches(pattern: str, text: str) -> bool:
    # The datasets' documented matching: re.search with IGNORECASE and no other flag.
    return re.search(pattern, text, re.IGNORECASE) is not None


def answer_case(case: AnswerCase, dataset: str, now: datetime | None) -> AnswerResult:
    """The result of ``case`` before it is run: what was asked and expected, no checks yet."""
    return AnswerResult(
        dataset=dataset,
        id=case.id,
        kind=case.kind,
        lang=case.lang,
        question=case.question,
        history=case.history,
        now=now,
        expect_status=case.expect_status,
        must_contain=case.must_contain,
        must_not_contain=case.must_not_contain,
        evidence=case.evidence,
    )


def check_answer(
    result: AnswerResult, answer: Answer, judge: Judge, request_ms: float
) -> AnswerResult:
    text = answer.answer
    missing = [p for p in result.must_contain if not matches(p, text)]
    forbidden = [p for p in result.must_not_contain if matches(p, text)]
    spans = judge.spans(result.evidence)
    on_evidence = sum(1 for c in answer.citations if overlaps(c.doc_id, c.start, c.end, spans))
    verbatim = sum(1 for c in answer.citations if judge.verbatim(c.doc_id, c.start, c.end, c.quote))
    declined = answer.status != "answered"
    checks: dict[str, bool | None] = {
        "facts": not missing and not forbidden,
        "status": declined != result.answerable,
        # Only an answer expected to be given must cite; other sets' evidence is a hint.
        "citations": on_evidence > 0 if result.answerable and spans else None,
        "verbatim": verbatim == len(answer.citations) if answer.citations else None,
    }
    return result.model_copy(
        update={
            "status": answer.status,
            "answer": text,
            "citations": answer.citations,
            "timings_ms": {**answer.timings_ms, "request": round(request_ms, 2)},
            "missing": missing,
            "forbidden": forbidden,
            "citations_on_evidence": on_evidence,
            "citations_verbatim": verbatim,
            "checks": checks,
        }
    )


def answer_failed(result: AnswerResult, error: str) -> AnswerResult:
    # No answer: every check that applies fails, so that an error never counts as a success.
    checks: dict[str, bool | None] = {
        "facts": False,
        "status": False,
        "citations": False if result.answerable and result.evidence else None,
        "verbatim": None,
    }
    return result.model_copy(update={"error": error, "checks": checks})


def retrieval_case(case: RetrievalCase, dataset: str, judge: Judge) -> RetrievalResult:
    return RetrievalResult(
        dataset=dataset,
        id=case.id,
        kind=case.kind,
        query=case.query,
        relevant=case.relevant,
        relevant_passages=sorted(judge.relevant_passages(case.relevant)),
    )


def check_ranking(
    result: RetrievalResult, ranked: list[Hit], request_ms: float | None = None
) -> RetrievalResult:
    keys = [passage_key(h.doc_id, h.start, h.end) for h in ranked]
    relevant = set(result.relevant_passages)
    scores = ranking_scores(keys, relevant)
    return result.model_copy(
        update={
            "ranked": ranked,
            "relevant_ranks": [rank for rank, key in enumerate(keys, start=1) if key in relevant],
            "scores": scores,
            "checks": {"found@5": scores["hit@5"] == 1.0},
            "timings_ms": {} if request_ms is None else {"search": round(request_ms, 2)},
        }
    )


def ranking_scores(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    return {
        "recall@1": recall_at(ranked, relevant, 1),
        "recall@5": recall_at(ranked, relevant, 5),
        "mrr@10": reciprocal_rank(ranked, relevant, RANKING_DEPTH),
        "ndcg@5": ndcg_at(ranked, relevant, 5),
        "hit@1": hit_at(ranked, relevant, 1),
        "hit@5": hit_at(ranked, relevant, 5),
    }


def ranking_failed(result: RetrievalResult, error: str) -> RetrievalResult:
    return check_ranking(result, []).model_copy(update={"error": error})


def profile_case(case: PrecheckCase, dataset: str) -> ProfileResult:
    return ProfileResult(
        dataset=dataset,
        id=case.id,
        kind=case.kind,
        note=case.note,
        profile=case.profile,
        now=case.now,
        expected_verdict=case.expected_verdict,
        expected=dict(case.expected),
    )


def check_precheck(
    result: ProfileResult, outcome: PrecheckResult, request_ms: float
) -> ProfileResult:
    statuses = {c.id: c.status for c in outcome.criteria}
    return result.model_copy(
        update={
            "timings_ms": {"precheck": round(request_ms, 2)},
            "verdict": outcome.verdict,
            "statuses": statuses,
            "checks": {
                "verdict": outcome.verdict == result.expected_verdict,
                "criteria": all(statuses.get(k) == v for k, v in result.expected.items()),
            },
        }
    )


def precheck_failed(result: ProfileResult, error: str) -> ProfileResult:
    return result.model_copy(
        update={"error": error, "checks": {"verdict": False, "criteria": False}}
    )
