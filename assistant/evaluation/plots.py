"""The report's charts, as PNG bytes: metric bars per kind and the latency histogram.

matplotlib is imported here only, without pyplot (no global figure state, no display needed),
and only when a report is written: `assistant --help` does not pay for it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.evaluation.results import AnswerResult, AnyResult
from assistant.evaluation.summary import KindSummary, Summary

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ANSWER_BARS = ("answer_accuracy", "status_accuracy", "citation_correctness")
RETRIEVAL_BARS = ("recall@5", "mrr@10", "ndcg@5")
COLORS = ("#1b6ca8", "#e3a21a", "#3c9d5d")


def charts(summary: Summary, results: Sequence[AnyResult]) -> dict[str, bytes]:
    """Chart title -> PNG; empty when matplotlib is not installed (the report says so)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return {}
    made: dict[str, bytes] = {}
    for set_name, metrics in (("answers", ANSWER_BARS), ("retrieval", RETRIEVAL_BARS)):
        kinds = summary.by_kind.get(set_name)
        if kinds:
            made[f"{set_name.capitalize()}: metrics by kind"] = _png(
                _bars(Figure, kinds_table(kinds, metrics), metrics)
            )
    totals = [r.timings_ms for r in results if isinstance(r, AnswerResult) and r.error is None]
    totals = [t for t in totals if t]
    if totals:
        made["Answers: latency per stage"] = _png(_histogram(Figure, totals))
    return made


def kinds_table(
    kinds: dict[str, KindSummary], metrics: Sequence[str]
) -> dict[str, list[float | None]]:
    return {
        f"{kind} ({item.cases})": [item.metrics.get(m) for m in metrics]
        for kind, item in kinds.items()
    }


def _bars(
    figure: type[Figure], table: dict[str, list[float | None]], metrics: Sequence[str]
) -> Figure:
    fig = figure(figsize=(8, 0.3 * len(table) * len(metrics) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    height = 0.8 / len(metrics)
    labels = list(table)[::-1]  # the first kind at the top
    for i, (metric, color) in enumerate(zip(metrics, COLORS, strict=False)):
        values = [table[label][i] for label in labels]
        offset = 0.4 - height / 2 - i * height  # the first metric at the top of each group
        bars = ax.barh(
            [y + offset for y in range(len(labels))],
            [v or 0.0 for v in values],
            height=height,
            label=metric,
            color=color,
        )
        # A metric that does not apply to a kind is marked, not drawn as a zero.
        texts = ["n/a" if v is None else f"{v:.2f}" for v in values]
        ax.bar_label(bars, labels=texts, fontsize=7, padding=2)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlim(0, 1.12)
    ax.set_xlabel("mean over the cases of each kind")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside upper center", ncols=len(metrics), fontsize=8, frameon=False)
    return fig


def _histogram(figure: type[Figure], timings: list[dict[str, float]]) -> Figure:
    fig = figure(figsize=(8, 3.6), layout="constrained")
    ax = fig.add_subplot()
    # The answerer's own stages; the client's time when a target does not report them.
    stages = [s for s in ("retrieve", "compose", "total") if any(s in t for t in timings)]
    stages = stages or ["request"]
    values = {stage: [max(t[stage], 0.01) for t in timings if stage in t] for stage in stages}
    # Log-spaced bins: composing takes milliseconds, retrieving up to seconds; both must show.
    low = min(min(v) for v in values.values())
    high = max(max(v) for v in values.values())
    ratio = (high / low) ** (1 / 40) if high > low else 2.0
    bins = [low * ratio**i for i in range(41)]
    for (stage, stage_values), color in zip(values.items(), COLORS, strict=False):
        ax.hist(stage_values, bins=bins, histtype="step", linewidth=1.6, label=stage, color=color)
    ax.set_xscale("log")
    ax.set_xlabel("milliseconds per question (log scale)")
    ax.set_ylabel("questions")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
