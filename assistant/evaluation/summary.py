"""Aggregation: one run's results -> its metrics, overall, per kind and per language, and latency
per stage.

A metric with nothing to measure (no answerable question among the cases, no citation at all)
is None, never 0 or NaN: "not measured" must not read as "all wrong".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from pydantic import BaseModel, Field

from assistant.evaluation.metrics import percentile
from assistant.evaluation.results import AnswerResult, AnyResult, ProfileResult, RetrievalResult

R = TypeVar("R", AnswerResult, RetrievalResult, ProfileResult)

# Every metric a run can report, by set; the gate and `compare` accept these names.
METRICS: dict[str, tuple[str, ...]] = {
    "answers": (
        "answer_accuracy",
        "status_accuracy",
        "citation_correctness",
        "citation_precision",
        "quotes_verbatim",
        "unanswerable_declined",
        "answerable_wrongly_declined",
    ),
    "retrieval": ("recall@1", "recall@5", "mrr@10", "ndcg@5", "hit@1", "hit@5"),
    "precheck": ("precheck_accuracy", "verdict_accuracy", "criterion_accuracy"),
}
# Metrics where lower is better (the gate holds them to a maximum, compare flips their sign).
LOWER_IS_BETTER = frozenset({"answerable_wrongly_declined"})
STAGES = ("retrieve", "compose", "total", "request", "search")


class Latency(BaseModel):
    n: int
    p50: float
    p95: float
    max: float


class SetCounts(BaseModel):
    cases: int
    ran: int
    skipped: int
    errors: int
    passed: int


class KindSummary(BaseModel):
    cases: int
    metrics: dict[str, float | None]


class DatasetInfo(BaseModel):
    path: str
    set: str
    cases: int


class GateOutcome(BaseModel):
    passed: bool
    thresholds: dict[str, str] = Field(description="metric -> '>= x' or '<= x'")
    failures: list[str] = Field(description="One message per missed threshold.")
    failing: list[str] = Field(description="The metrics that missed their threshold.")
    not_measured: list[str]


class Summary(BaseModel):
    target: str
    now: datetime = Field(description="The clock of cases without their own `now`.")
    started_at: datetime
    seconds: float
    datasets: list[DatasetInfo]
    counts: dict[str, SetCounts]
    metrics: dict[str, float | None]
    by_kind: dict[str, dict[str, KindSummary]]
    by_lang: dict[str, dict[str, KindSummary]] = Field(
        default_factory=dict,
        description="Answers' metrics per language, when a set names its cases' languages.",
    )
    latency_ms: dict[str, Latency]
    gate: GateOutcome | None = None


def flat_values(summary: Summary) -> dict[str, float | None]:
    """The run's metrics and its latency figures (``latency.total.p95``), by one flat name."""
    values = dict(summary.metrics)
    for stage, figures in summary.latency_ms.items():
        for name in ("p50", "p95", "max"):
            values[f"latency.{stage}.{name}"] = getattr(figures, name)
    return values


def known_names() -> set[str]:
    names = {m for metrics in METRICS.values() for m in metrics}
    return names | {f"latency.{s}.{n}" for s in STAGES for n in ("p50", "p95", "max")}


def lower_is_better(name: str) -> bool:
    return name in LOWER_IS_BETTER or name.startswith("latency.")


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def share(flags: Sequence[bool | None]) -> float | None:
    """The share of True among the flags that apply (None ones are left out)."""
    applicable = [f for f in flags if f is not None]
    return ratio(sum(applicable), len(applicable))


def answer_metrics(results: Sequence[AnswerResult]) -> dict[str, float | None]:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    must_cite = [r for r in answerable if r.checks.get("citations") is not None]
    cited = [c for r in must_cite for c in r.citations]
    return {
        "answer_accuracy": share([r.checks["facts"] for r in results]),
        "status_accuracy": share([r.checks["status"] for r in results]),
        # Cited the expected evidence, and no quote of the answer is altered.
        "citation_correctness": share(
            [r.checks["citations"] is True and r.checks["verbatim"] is not False for r in must_cite]
        ),
        "citation_precision": ratio(sum(r.citations_on_evidence for r in must_cite), len(cited)),
        "quotes_verbatim": ratio(
            sum(r.citations_verbatim for r in results), sum(len(r.citations) for r in results)
        ),
        "unanswerable_declined": share([r.checks["status"] for r in unanswerable]),
        # An error on an answerable question leaves the candidate without an answer too.
        "answerable_wrongly_declined": share([not r.checks["status"] for r in answerable]),
    }


def retrieval_metrics(results: Sequence[RetrievalResult]) -> dict[str, float | None]:
    return {
        name: ratio(sum(r.scores[name] for r in results), len(results))
        for name in METRICS["retrieval"]
    }


def precheck_metrics(results: Sequence[ProfileResult]) -> dict[str, float | None]:
    expected = sum(len(r.expected) for r in results)
    matched = sum(
        1 for r in results for cid, status in r.expected.items() if r.statuses.get(cid) == status
    )
    return {
        "precheck_accuracy": share([r.passed for r in results]),
        "verdict_accuracy": share([r.checks["verdict"] for r in results]),
        "criterion_accuracy": ratio(matched, expected),
    }


def _by_set(results: Sequence[AnyResult], cls: type[R]) -> list[R]:
    return [r for r in results if isinstance(r, cls) and r.skipped is None]


def _per_group(
    ran: Sequence[R],
    measure: Callable[[Sequence[R]], dict[str, float | None]],
    group: Callable[[R], str],
) -> dict[str, KindSummary]:
    groups: dict[str, list[R]] = {}
    for result in ran:
        groups.setdefault(group(result), []).append(result)
    return {
        name: KindSummary(cases=len(items), metrics=measure(items))
        for name, items in sorted(groups.items())
    }


def _per_kind(
    ran: Sequence[R], measure: Callable[[Sequence[R]], dict[str, float | None]]
) -> dict[str, KindSummary]:
    return _per_group(ran, measure, lambda r: r.kind)


def per_language(ran: Sequence[AnswerResult]) -> dict[str, KindSummary]:
    """Answers' metrics per language; empty unless some case names its language.

    An English-only set names none, and one table row "en" would only repeat the overall figures;
    once a case does, the cases without ``lang`` are counted as English, as the schema reads them.
    """
    if all(r.lang is None for r in ran):
        return {}
    return _per_group(ran, answer_metrics, lambda r: r.lang or "en")


def latency(results: Sequence[AnyResult]) -> dict[str, Latency]:
    stages: dict[str, list[float]] = {}
    for result in results:
        if result.error is None and result.skipped is None:
            for stage, ms in result.timings_ms.items():
                stages.setdefault(stage, []).append(ms)
    return {
        stage: Latency(
            n=len(values),
            p50=round(percentile(values, 50), 2),
            p95=round(percentile(values, 95), 2),
            max=round(max(values), 2),
        )
        for stage in STAGES
        if (values := stages.get(stage))
    }


def summarize(
    results: Sequence[AnyResult],
    *,
    target: str,
    now: datetime,
    started_at: datetime,
    seconds: float,
    datasets: list[DatasetInfo],
) -> Summary:
    metrics: dict[str, float | None] = {}
    by_kind: dict[str, dict[str, KindSummary]] = {}
    by_lang: dict[str, dict[str, KindSummary]] = {}
    counts: dict[str, SetCounts] = {}
    sets_run = {d.set for d in datasets}
    if "answers" in sets_run:
        answers = _by_set(results, AnswerResult)
        metrics |= answer_metrics(answers)
        by_kind["answers"] = _per_kind(answers, answer_metrics)
        if languages := per_language(answers):
            by_lang["answers"] = languages
    if "retrieval" in sets_run:
        rankings = _by_set(results, RetrievalResult)
        metrics |= retrieval_metrics(rankings)
        by_kind["retrieval"] = _per_kind(rankings, retrieval_metrics)
    if "precheck" in sets_run:
        profiles = _by_set(results, ProfileResult)
        metrics |= precheck_metrics(profiles)
        by_kind["precheck"] = _per_kind(profiles, precheck_metrics)
    for name in sorted(sets_run):
        items = [r for r in results if r.set == name]
        counts[name] = SetCounts(
            cases=len(items),
            ran=sum(1 for r in items if r.skipped is None),
            skipped=sum(1 for r in items if r.skipped is not None),
            errors=sum(1 for r in items if r.error is not None),
            passed=sum(1 for r in items if r.passed),
        )
    return Summary(
        target=target,
        now=now,
        started_at=started_at,
        seconds=round(seconds, 2),
        datasets=datasets,
        counts=counts,
        metrics=metrics,
        by_kind=by_kind,
        by_lang=by_lang,
        latency_ms=latency(results),
    )
