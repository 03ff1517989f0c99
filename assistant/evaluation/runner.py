"""Runs evaluation sets against a target, case by case, into results and a summary."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from assistant.evaluation import checks
from assistant.evaluation.datasets import (
    AnswerCase,
    Case,
    Dataset,
    Judge,
    PrecheckCase,
    RetrievalCase,
)
from assistant.evaluation.errors import ItemFailed, Unsupported
from assistant.evaluation.gate import Gate
from assistant.evaluation.results import AnyResult
from assistant.evaluation.run_files import write_run
from assistant.evaluation.summary import DatasetInfo, Summary, summarize
from assistant.evaluation.targets import Target


def run_sets(
    datasets: Sequence[Dataset],
    target: Target,
    judge: Judge,
    *,
    now: datetime,
    progress: bool = False,
) -> tuple[Summary, list[AnyResult]]:
    """Every case of every set against ``target``; ``now`` is the clock of cases without one."""
    from tqdm import tqdm

    started_at = datetime.now(UTC)
    started = time.perf_counter()
    target.prepare({d.set for d in datasets})
    results: list[AnyResult] = []
    total = sum(len(d.cases) for d in datasets)
    with tqdm(total=total, unit="case", file=sys.stderr, disable=not progress) as bar:
        for dataset in datasets:
            bar.set_description(dataset.name)
            for case in dataset.cases:
                results.append(run_case(case, dataset.name, target, judge, now))
                bar.update()
    summary = summarize(
        results,
        target=target.name,
        now=now,
        started_at=started_at,
        seconds=time.perf_counter() - started,
        datasets=[DatasetInfo(path=str(d.path), set=d.set, cases=len(d.cases)) for d in datasets],
    )
    return summary, results


def run_case(case: Case, dataset: str, target: Target, judge: Judge, now: datetime) -> AnyResult:
    if isinstance(case, AnswerCase):
        return _answer(case, dataset, target, judge, now)
    if isinstance(case, RetrievalCase):
        return _ranking(case, dataset, target, judge)
    return _precheck(case, dataset, target)


def _answer(
    case: AnswerCase, dataset: str, target: Target, judge: Judge, now: datetime
) -> AnyResult:
    if case.now is not None and not target.fixed_clock:
        result = checks.answer_case(case, dataset, None)
        return result.model_copy(update={"skipped": _clock_skip(case.now)})
    clock = case.now or now
    result = checks.answer_case(case, dataset, clock)
    try:
        answer, ms = target.answer(case.question, case.history, clock)
    except Unsupported as reason:
        return result.model_copy(update={"skipped": str(reason)})
    except ItemFailed as error:
        return checks.answer_failed(result, str(error))
    return checks.check_answer(result, answer, judge, ms)


def _ranking(case: RetrievalCase, dataset: str, target: Target, judge: Judge) -> AnyResult:
    result = checks.retrieval_case(case, dataset, judge)
    try:
        ranked, ms = target.search(case.query, checks.RANKING_DEPTH)
    except Unsupported as reason:
        return result.model_copy(update={"skipped": str(reason)})
    except ItemFailed as error:
        return checks.ranking_failed(result, str(error))
    return checks.check_ranking(result, ranked, ms)


def _precheck(case: PrecheckCase, dataset: str, target: Target) -> AnyResult:
    result = checks.profile_case(case, dataset)
    if "now" in case.model_fields_set and not target.fixed_clock:
        return result.model_copy(update={"skipped": _clock_skip(case.now), "now": None})
    try:
        outcome, ms = target.precheck(case.profile, case.now)
    except Unsupported as reason:
        return result.model_copy(update={"skipped": str(reason)})
    except ItemFailed as error:
        return checks.precheck_failed(result, str(error))
    return checks.check_precheck(result, outcome, ms)


def _clock_skip(now: datetime) -> str:
    return f"needs the clock at {now.isoformat()}; a server answers at its own time"


def evaluate(
    datasets: Sequence[Dataset],
    target: Target,
    judge: Judge,
    *,
    now: datetime,
    out: Path,
    gate: Gate | None = None,
    progress: bool = False,
) -> Summary:
    """Run the sets, hold the run to ``gate``, and write its folder: results, summary, report."""
    from assistant.evaluation.report import render_report

    summary, results = run_sets(datasets, target, judge, now=now, progress=progress)
    if gate is not None and not gate.empty:
        summary = summary.model_copy(update={"gate": gate.check(summary)})
    write_run(out, summary, results, render_report(summary, results))
    return summary
