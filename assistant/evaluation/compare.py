"""Two runs side by side: how each metric moved, and which cases flipped between pass and fail."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from assistant.evaluation.results import AnyResult
from assistant.evaluation.run_files import read_run
from assistant.evaluation.summary import Summary, flat_values, lower_is_better


class MetricDelta(BaseModel):
    name: str
    a: float | None
    b: float | None
    delta: float | None
    better: bool | None = None  # None: no change, or not measured in one of the runs


class Flip(BaseModel):
    set: str
    dataset: str
    id: str
    kind: str
    text: str
    failed_a: list[str]
    failed_b: list[str]


class Comparison(BaseModel):
    a: str
    b: str
    metrics: list[MetricDelta]
    fixed: list[Flip]  # failed in A, pass in B
    broken: list[Flip]  # passed in A, fail in B
    only_in_a: list[str]
    only_in_b: list[str]


def _text(result: AnyResult) -> str:
    if result.set == "answers":
        return result.question
    if result.set == "retrieval":
        return result.query
    return result.note or result.id


def _key(result: AnyResult) -> str:
    return f"{result.set}/{result.dataset}/{result.id}"


def metric_deltas(a: Summary, b: Summary) -> list[MetricDelta]:
    values_a, values_b = flat_values(a), flat_values(b)
    deltas = []
    for name in [*values_a, *(n for n in values_b if n not in values_a)]:
        va, vb = values_a.get(name), values_b.get(name)
        delta = round(vb - va, 4) if va is not None and vb is not None else None
        better = None if not delta else (delta < 0) == lower_is_better(name)
        deltas.append(MetricDelta(name=name, a=va, b=vb, delta=delta, better=better))
    return deltas


def flips(
    results_a: Sequence[AnyResult], results_b: Sequence[AnyResult]
) -> tuple[list[Flip], list[Flip], list[str], list[str]]:
    by_key_a = {_key(r): r for r in results_a}
    by_key_b = {_key(r): r for r in results_b}
    fixed: list[Flip] = []
    broken: list[Flip] = []
    for key, ra in by_key_a.items():
        rb = by_key_b.get(key)
        if rb is None or ra.passed is None or rb.passed is None or ra.passed == rb.passed:
            continue
        flip = Flip(
            set=rb.set,
            dataset=rb.dataset,
            id=rb.id,
            kind=rb.kind,
            text=_text(rb),
            failed_a=ra.failed,
            failed_b=rb.failed,
        )
        (fixed if rb.passed else broken).append(flip)
    only_a = sorted(set(by_key_a) - set(by_key_b))
    only_b = sorted(set(by_key_b) - set(by_key_a))
    return fixed, broken, only_a, only_b


def compare_runs(run_a: Path, run_b: Path) -> Comparison:
    summary_a, results_a = read_run(run_a)
    summary_b, results_b = read_run(run_b)
    fixed, broken, only_a, only_b = flips(results_a, results_b)
    return Comparison(
        a=str(run_a),
        b=str(run_b),
        metrics=metric_deltas(summary_a, summary_b),
        fixed=fixed,
        broken=broken,
        only_in_a=only_a,
        only_in_b=only_b,
    )


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def render_comparison(comparison: Comparison) -> str:
    lines = [f"A: {comparison.a}", f"B: {comparison.b}", ""]
    width = max((len(m.name) for m in comparison.metrics), default=10)
    lines.append(f"{'metric':<{width}}  {'A':>10}  {'B':>10}  {'B - A':>10}")
    for m in comparison.metrics:
        mark = {True: "  better", False: "  worse", None: ""}[m.better]
        delta = "—" if m.delta is None else f"{m.delta:+.4g}"
        a, b = _figure(m.a), _figure(m.b)
        lines.append(f"{m.name:<{width}}  {a:>10}  {b:>10}  {delta:>10}{mark}")
    for title, group in (("Now failing", comparison.broken), ("Now passing", comparison.fixed)):
        lines += ["", f"{title} ({len(group)}):"]
        for f in group:
            was = ", ".join(f.failed_a) or "passed"
            now = ", ".join(f.failed_b) or "passed"
            lines.append(f"  {f.set}/{f.id} [{f.kind}] {f.text[:70]}  (A: {was}; B: {now})")
    for title, keys in (("Only in A", comparison.only_in_a), ("Only in B", comparison.only_in_b)):
        if keys:
            lines += ["", f"{title} ({len(keys)}): {', '.join(keys)}"]
    return "\n".join(lines)
