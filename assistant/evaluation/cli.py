"""``assistant eval``: run the evaluation sets and compare runs. Registered in assistant/cli.py.

    assistant eval [DATASET...] [--target local|URL] [--out DIR] [--gate eval/gate.toml] ...
    assistant eval compare RUN_A RUN_B

Heavy imports (the model, matplotlib, httpx) happen inside the commands, so that
`assistant --help` stays fast.
"""

from __future__ import annotations

import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from assistant.failure import fail

if TYPE_CHECKING:
    # Typer ships its own copy of click; its Context is the one TyperGroup is typed with.
    from typer._click.core import Context

    from assistant.evaluation.summary import KindSummary, Summary
    from assistant.evaluation.targets import HttpTarget, LocalTarget


class _RunByDefault(TyperGroup):
    """``assistant eval [DATASET...]`` means ``assistant eval run [DATASET...]``: anything but
    a subcommand's name (or --help) is taken as the arguments of ``run``."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["run", *args]
        return super().parse_args(ctx, args)


eval_app = typer.Typer(
    cls=_RunByDefault,
    no_args_is_help=False,
    help=(
        "Measure answers, citations, refusals, retrieval, the pre-check and latency on the "
        "labelled sets. `assistant eval [DATASET...]` is `assistant eval run [DATASET...]`."
    ),
)

# Command-line thresholds -> the metric each one holds (any metric can be set in a gate file).
MINIMUM_OPTIONS = {
    "min_accuracy": "answer_accuracy",
    "min_citations": "citation_correctness",
    "min_precision": "citation_precision",
    "min_declined": "unanswerable_declined",
    "min_recall": "recall@5",
    "min_mrr": "mrr@10",
    "min_ndcg": "ndcg@5",
    "min_precheck": "precheck_accuracy",
}
MAXIMUM_OPTIONS = {
    "max_wrongly_declined": "answerable_wrongly_declined",
    "max_p95_ms": "latency.total.p95",
}


def _threshold(option: str) -> Any:
    if option in MINIMUM_OPTIONS:
        return typer.Option(
            None,
            min=0.0,
            max=1.0,
            rich_help_panel="Gate",
            help=f"Lowest {MINIMUM_OPTIONS[option]}.",
        )
    return typer.Option(
        None, min=0.0, rich_help_panel="Gate", help=f"Highest {MAXIMUM_OPTIONS[option]}."
    )


def _parse_now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not an ISO 8601 date-time") from None
    if parsed.utcoffset() is None:
        raise typer.BadParameter("give a UTC offset, e.g. 2025-04-10T09:00:00+02:00")
    return parsed


def _make_target(target: str) -> LocalTarget | HttpTarget:
    from assistant.evaluation.targets import HttpTarget, LocalTarget

    if target == "local":
        from assistant.config import Settings
        from assistant.runtime import Services

        # Without the answer cache: every question is measured through the whole pipeline.
        return LocalTarget(Services(Settings(answer_cache_size=0)))
    if target.startswith(("http://", "https://")):
        return HttpTarget(target)
    raise typer.BadParameter("'local', or the URL of a running server (http://host:port)")


@eval_app.command("run")
def run(
    datasets: Annotated[
        list[Path] | None,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
            help="JSON Lines sets (answers, retrieval or pre-check). Default: the bundled three.",
        ),
    ] = None,
    target: Annotated[
        str, typer.Option(help="'local' (this process) or the URL of a running server.")
    ] = "local",
    out: Annotated[
        Path | None,
        typer.Option(file_okay=False, help="Folder for the results. Default: eval/runs/<time>."),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option(
            help="Clock (ISO 8601 with offset) for questions without their own. Default: now."
        ),
    ] = None,
    gate: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            rich_help_panel="Gate",
            help="A TOML file of thresholds (tables minimum and maximum), e.g. eval/gate.toml.",
        ),
    ] = None,
    min_accuracy: float | None = _threshold("min_accuracy"),
    min_citations: float | None = _threshold("min_citations"),
    min_precision: float | None = _threshold("min_precision"),
    min_declined: float | None = _threshold("min_declined"),
    min_recall: float | None = _threshold("min_recall"),
    min_mrr: float | None = _threshold("min_mrr"),
    min_ndcg: float | None = _threshold("min_ndcg"),
    min_precheck: float | None = _threshold("min_precheck"),
    max_wrongly_declined: float | None = _threshold("max_wrongly_declined"),
    max_p95_ms: float | None = _threshold("max_p95_ms"),
) -> None:
    """Run the sets against the pipeline or a server, and write the results and a report.

    Writes results.jsonl, summary.json and report.html to --out; exits 8 below a threshold.
    """
    from assistant.evaluation.datasets import BUNDLED, DATASETS_DIR, Judge, load_dataset
    from assistant.evaluation.errors import GateFailed
    from assistant.evaluation.gate import Gate
    from assistant.evaluation.runner import evaluate
    from retrieval.corpus import load_corpus
    from retrieval.errors import AssistantError

    clock = _parse_now(now)
    options: dict[str, Any] = locals()
    try:
        thresholds = Gate.of(
            {metric: options[o] for o, metric in MINIMUM_OPTIONS.items() if options[o] is not None},
            {metric: options[o] for o, metric in MAXIMUM_OPTIONS.items() if options[o] is not None},
        )
        paths = datasets or [DATASETS_DIR / name for name in BUNDLED]
        held_to = (
            Gate.from_toml(gate).for_sets([p.name for p in paths]).merged(thresholds)
            if gate
            else thresholds
        )
        sets = [load_dataset(path) for path in paths]
        folder = out or default_out()
        chosen = _make_target(target)
        from assistant.config import Settings

        settings = Settings()
        judge = Judge(load_corpus(settings.corpus_dir).for_call(settings.call))
        summary = evaluate(
            sets,
            chosen,
            judge,
            now=clock,
            out=folder,
            gate=held_to,
            progress=sys.stderr.isatty(),
        )
    except AssistantError as error:
        fail(error)
    typer.echo(render_summary(summary))
    typer.echo(f"\nWrote {folder}/results.jsonl, summary.json and report.html.")
    if summary.gate is not None and not summary.gate.passed:
        fail(GateFailed("gate failed: " + "; ".join(summary.gate.failures)))


def default_out() -> Path:
    from assistant.config import PROJECT_ROOT

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return PROJECT_ROOT / "eval" / "runs" / stamp


# The per-language table's column headings: the answers' metrics, in METRICS order, shortened so
# that a row fits a terminal; the legend under the table gives the full names.
LANGUAGE_COLUMNS = {
    "answer_accuracy": "accuracy",
    "status_accuracy": "status",
    "citation_correctness": "citations",
    "citation_precision": "precision",
    "quotes_verbatim": "verbatim",
    "unanswerable_declined": "declined",
    "answerable_wrongly_declined": "wrongly",
}


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_summary(summary: Summary) -> str:
    """The headline numbers, one metric a line, then the figures per language when the cases
    name their language, then latency; for the terminal."""
    from assistant.evaluation.summary import METRICS

    lines = [f"Target {summary.target}, {summary.seconds:.1f} s"]
    for set_name, names in METRICS.items():
        counts = summary.counts.get(set_name)
        if counts is None:
            continue
        lines.append(
            f"\n{set_name}: {counts.cases} cases, {counts.ran} run, {counts.skipped} skipped, "
            f"{counts.errors} errors, {counts.passed} passed"
        )
        for name in names:
            lines.append(f"  {name:<28} {_figure(summary.metrics.get(name))}")
        if languages := summary.by_lang.get(set_name):
            lines += _language_table(set_name, languages, names)
    if summary.latency_ms:
        lines.append("\nlatency (ms)                  p50      p95      max")
        for stage, f in summary.latency_ms.items():
            lines.append(f"  {stage:<24} {f.p50:>8.1f} {f.p95:>8.1f} {f.max:>8.1f}")
    if summary.gate is not None:
        lines.append(
            "\ngate: passed"
            if summary.gate.passed
            else "\ngate: FAILED: " + "; ".join(summary.gate.failures)
        )
        if summary.gate.not_measured:
            lines.append(f"  not measured (set not run): {', '.join(summary.gate.not_measured)}")
    return "\n".join(lines)


def _language_table(
    set_name: str, languages: dict[str, KindSummary], names: tuple[str, ...]
) -> list[str]:
    heads = "".join(f"{LANGUAGE_COLUMNS.get(n, n):>10}" for n in names)
    lines = [f"\n{set_name} by language   cases{heads}"]
    for lang, item in languages.items():
        cells = "".join(f"{_figure(item.metrics.get(n)):>10}" for n in names)
        lines.append(f"  {lang:<20} {item.cases:>5}{cells}")
    legend = "; ".join(f"{LANGUAGE_COLUMNS.get(n, n)} = {n}" for n in names)
    return lines + textwrap.wrap(legend, 96, initial_indent="  ", subsequent_indent="  ")


@eval_app.command("compare")
def compare(
    run_a: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="The earlier run.")],
    run_b: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="The later run.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """How each metric moved from RUN_A to RUN_B, and the cases that flipped."""
    from assistant.evaluation.compare import compare_runs, render_comparison
    from retrieval.errors import AssistantError

    try:
        comparison = compare_runs(run_a, run_b)
    except AssistantError as error:
        fail(error)
    typer.echo(comparison.model_dump_json(indent=2) if as_json else render_comparison(comparison))
