"""Checks and metrics on a tiny hand-made run, with the numbers worked out by hand."""

from __future__ import annotations

import math

import pytest
from evaluation_support import CALL, CONTRACT, NOW, PROBATION, answer, case, cite

from assistant.answering.models import Answer
from assistant.evaluation import checks
from assistant.evaluation.datasets import AnswerCase, Judge
from assistant.evaluation.metrics import ndcg_at, percentile, recall_at, reciprocal_rank
from assistant.evaluation.results import AnswerResult, ProfileResult
from assistant.evaluation.summary import (
    DatasetInfo,
    answer_metrics,
    latency,
    precheck_metrics,
    retrieval_metrics,
    summarize,
)
from retrieval.corpus import Corpus

CONTRACT_QUOTE = CONTRACT.quote
PROBATION_QUOTE = PROBATION.quote
SAYS_NOTHING = "The call does not say; ask HOME-CALL@ec.europa.eu."


@pytest.fixture(scope="module")
def judge(corpus: Corpus) -> Judge:
    return Judge(corpus)


def run_one(judge: Judge, answer_case: AnswerCase, got: Answer) -> AnswerResult:
    result = checks.answer_case(answer_case, "hand", NOW)
    return checks.check_answer(result, got, judge, request_ms=20.0)


# -- one answer's checks ------------------------------------------------------------------------


def test_a_correct_cited_answer_passes_every_check(judge: Judge, corpus: Corpus) -> None:
    got = answer("The first contract is for 1 year [1].", [cite(corpus, 1, CALL, CONTRACT_QUOTE)])
    result = run_one(judge, case("a1"), got)
    assert result.checks == {"facts": True, "status": True, "citations": True, "verbatim": True}
    assert result.passed is True
    assert result.failed == []
    assert result.citations_on_evidence == 1
    assert result.timings_ms == {"retrieve": 10.0, "compose": 5.0, "total": 15.0, "request": 20.0}


def test_an_empty_citation_list_fails_the_citation_check_only(judge: Judge) -> None:
    result = run_one(judge, case("a2"), answer("The first contract is for 1 year.", []))
    assert result.checks["facts"] is True
    assert result.checks["citations"] is False
    assert result.checks["verbatim"] is None  # nothing to be verbatim: not a failure
    assert result.failed == ["citations"]


def test_a_missing_fact_and_a_forbidden_claim_are_named(judge: Judge, corpus: Corpus) -> None:
    got = answer("It pays €3000 [1].", [cite(corpus, 1, CALL, CONTRACT_QUOTE)])
    result = run_one(judge, case("a3", must_not_contain=(r"€ ?\d",)), got)
    assert result.missing == ["1 year"]
    assert result.forbidden == [r"€ ?\d"]
    assert result.failed == ["facts"]


def test_an_altered_quote_fails_verbatim(judge: Judge, corpus: Corpus) -> None:
    good = cite(corpus, 1, CALL, CONTRACT_QUOTE)
    altered = good.model_copy(update={"quote": "Initial contract duration\t2 years"})
    result = run_one(judge, case("a4"), answer("1 year [1].", [altered]))
    assert result.checks["citations"] is True  # the span is right…
    assert result.checks["verbatim"] is False  # …but the quote is not the document's text
    assert result.citations_verbatim == 0


def test_a_declined_unanswerable_question_has_no_citation_check(judge: Judge) -> None:
    unanswerable = case(
        "a5", kind="unanswerable", expect_status="not_found", must_contain=("does not say",)
    )
    result = run_one(judge, unanswerable, answer(SAYS_NOTHING, [], status="not_found"))
    assert result.checks == {"facts": True, "status": True, "citations": None, "verbatim": None}
    assert result.passed is True


def test_an_error_fails_every_check_that_applies(judge: Judge) -> None:
    result = checks.answer_failed(checks.answer_case(case("a6"), "hand", NOW), "HTTP 500: boom")
    assert result.failed == ["error", "facts", "status", "citations"]
    assert result.answer is None


# -- metrics of a run ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_run(judge: Judge, corpus: Corpus) -> list[AnswerResult]:
    contract = cite(corpus, 1, CALL, CONTRACT_QUOTE)
    probation = cite(corpus, 2, CALL, PROBATION_QUOTE)
    unanswerable = case(
        "u", kind="unanswerable", expect_status="not_found", must_contain=("does not say",)
    )
    return [
        # right, with one citation on the evidence and one beside it
        run_one(judge, case("f1"), answer("1 year [1], probation [2].", [contract, probation])),
        # right facts, no citation at all
        run_one(judge, case("f2"), answer("1 year.", [])),
        # answerable, but declined
        run_one(judge, case("p1", kind="paraphrase"), answer(SAYS_NOTHING, [], "not_found")),
        # unanswerable and declined
        run_one(judge, unanswerable, answer(SAYS_NOTHING, [], "not_found")),
        # unanswerable but answered (and citing a passage)
        run_one(
            judge, unanswerable.model_copy(update={"id": "u2"}), answer("9 months [1]", [probation])
        ),
    ]


def test_answer_metrics_on_the_tiny_run(tiny_run: list[AnswerResult]) -> None:
    metrics = answer_metrics(tiny_run)
    assert metrics == {
        "answer_accuracy": 0.6,  # f1, f2, u hold their facts; p1 and u2 do not
        "status_accuracy": 0.6,  # p1 and u2 have the wrong status
        "citation_correctness": round(1 / 3, 4),  # of f1, f2, p1 only f1 cites the evidence
        "citation_precision": 0.5,  # f1's two citations, one on the evidence; f2, p1 have none
        "quotes_verbatim": 1.0,  # 3 citations in all, all verbatim
        "unanswerable_declined": 0.5,
        "answerable_wrongly_declined": round(1 / 3, 4),
    }


def test_metrics_per_kind_and_counts(tiny_run: list[AnswerResult]) -> None:
    summary = summarize(
        tiny_run, target="local", now=NOW, started_at=NOW, seconds=1.0, datasets=[_info()]
    )
    kinds = summary.by_kind["answers"]
    assert {k: v.cases for k, v in kinds.items()} == {"fact": 2, "paraphrase": 1, "unanswerable": 2}
    assert kinds["paraphrase"].metrics["answerable_wrongly_declined"] == 1.0
    assert kinds["paraphrase"].metrics["citation_precision"] is None  # no citation: undefined
    assert kinds["unanswerable"].metrics["citation_correctness"] is None
    assert kinds["unanswerable"].metrics["unanswerable_declined"] == 0.5
    assert summary.counts["answers"].model_dump() == {
        "cases": 5, "ran": 5, "skipped": 0, "errors": 0, "passed": 2
    }  # fmt: skip


def test_a_run_where_everything_is_declined(judge: Judge) -> None:
    declined = [
        run_one(judge, case(f"d{i}"), answer(SAYS_NOTHING, [], "not_found")) for i in range(3)
    ]
    metrics = answer_metrics(declined)
    assert metrics["answer_accuracy"] == 0.0
    assert metrics["answerable_wrongly_declined"] == 1.0
    assert metrics["citation_correctness"] == 0.0
    # No citation at all: precision and verbatim share are undefined, not 0 and not 1.
    assert metrics["citation_precision"] is None
    assert metrics["quotes_verbatim"] is None
    assert metrics["unanswerable_declined"] is None  # no unanswerable question in the run


def test_an_empty_run_measures_nothing() -> None:
    assert set(answer_metrics([]).values()) == {None}
    assert set(retrieval_metrics([]).values()) == {None}
    assert set(precheck_metrics([]).values()) == {None}
    assert latency([]) == {}


def test_skipped_cases_are_counted_but_not_measured(judge: Judge, corpus: Corpus) -> None:
    ran = run_one(judge, case("r"), answer("1 year [1].", [cite(corpus, 1, CALL, CONTRACT_QUOTE)]))
    skipped = checks.answer_case(case("s"), "hand", None).model_copy(update={"skipped": "clock"})
    summary = summarize(
        [ran, skipped], target="x", now=NOW, started_at=NOW, seconds=0, datasets=[_info()]
    )
    assert summary.metrics["answer_accuracy"] == 1.0
    assert summary.counts["answers"].skipped == 1
    assert skipped.passed is None


def _info() -> DatasetInfo:
    return DatasetInfo(path="hand.jsonl", set="answers", cases=5)


# -- ranking, as BEIR defines it ----------------------------------------------------------------


def test_ranking_metrics_by_hand() -> None:
    ranked = ["x", "r1", "y", "r2", "z"]
    relevant = {"r1", "r2", "r3"}
    assert recall_at(ranked, relevant, 1) == 0.0
    assert recall_at(ranked, relevant, 5) == pytest.approx(2 / 3)
    assert reciprocal_rank(ranked, relevant) == 0.5
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(ranked, relevant, 5) == pytest.approx(dcg / ideal)
    # Nothing relevant retrieved, or nothing to retrieve: zeros, never a division by zero.
    assert ndcg_at([], relevant, 5) == 0.0
    assert recall_at(ranked, set(), 5) == 0.0
    assert ndcg_at(ranked, set(), 5) == 0.0


def test_check_ranking_judges_passages_by_overlap_with_the_evidence(judge: Judge) -> None:
    from assistant.evaluation.datasets import RetrievalCase
    from assistant.evaluation.results import Hit

    query = RetrievalCase(id="r1", query="contract length", kind="fact", relevant=[CONTRACT])
    result = checks.retrieval_case(query, "hand", judge)
    assert len(result.relevant_passages) == 1
    doc_id, span = result.relevant_passages[0].split(":")
    start, end = (int(n) for n in span.split("-"))
    text = judge.corpus.get(doc_id).text
    assert CONTRACT_QUOTE in text[start:end]
    hits = [
        Hit(doc_id=CALL, section="a", start=0, end=5, score=0.9),
        Hit(doc_id=CALL, section="b", start=start, end=end, score=0.8),
    ]
    checked = checks.check_ranking(result, hits, request_ms=3.0)
    assert checked.relevant_ranks == [2]
    assert checked.scores["mrr@10"] == 0.5
    assert checked.scores["recall@1"] == 0.0
    assert checked.scores["recall@5"] == 1.0
    assert checked.checks == {"found@5": True}
    assert checked.timings_ms == {"search": 3.0}
    missed = checks.check_ranking(result, hits[:1])
    assert missed.failed == ["found@5"]
    assert retrieval_metrics([checked, missed])["mrr@10"] == 0.25


# -- pre-check ----------------------------------------------------------------------------------


def test_precheck_metrics_count_profiles_and_criteria() -> None:
    def profile(id: str, verdict: str, statuses: dict[str, str]) -> ProfileResult:
        result = ProfileResult(
            dataset="p",
            id=id,
            kind="eligible",
            profile={},
            expected_verdict="eligible",
            expected={"nationality": "met", "english": "met"},
        )
        ok = all(statuses.get(k) == v for k, v in result.expected.items())
        checks_ = {"verdict": verdict == "eligible", "criteria": ok}
        return result.model_copy(
            update={"verdict": verdict, "statuses": statuses, "checks": checks_}
        )

    results = [
        profile("right", "eligible", {"nationality": "met", "english": "met"}),
        profile("verdict-only", "eligible", {"nationality": "met", "english": "unknown"}),
        profile("wrong", "incomplete", {"nationality": "unknown", "english": "unknown"}),
    ]
    assert precheck_metrics(results) == {
        "precheck_accuracy": round(1 / 3, 4),
        "verdict_accuracy": round(2 / 3, 4),
        "criterion_accuracy": 0.5,  # 3 of the 6 expected statuses
    }


def test_percentiles_interpolate_between_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 1000.0]
    assert percentile(values, 50) == 30.0
    assert percentile(values, 95) == pytest.approx(40 + 0.8 * 960)
    assert math.isnan(percentile([], 50))


def test_latency_leaves_out_errors(judge: Judge, corpus: Corpus) -> None:
    ok = run_one(judge, case("l1"), answer("1 year [1].", [cite(corpus, 1, CALL, CONTRACT_QUOTE)]))
    broken = checks.answer_failed(checks.answer_case(case("l2"), "hand", NOW), "boom")
    stages = latency([ok, broken])
    assert stages["total"].n == 1
    assert stages["request"].max == 20.0
