"""The gate on the bundled sets, in process: today's pipeline passes eval/gate.toml, and
deliberately broken pipelines fail it (and make `assistant eval` exit non-zero)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from evaluation_support import NOW
from typer.testing import CliRunner

from assistant.answering.models import Answer, Turn
from assistant.cli import app
from assistant.config import Settings
from assistant.evaluation.datasets import BUNDLED, DATASETS_DIR, Dataset, Judge, load_dataset
from assistant.evaluation.gate import GATE_FILE, Gate
from assistant.evaluation.runner import evaluate, run_sets
from assistant.evaluation.summary import Summary
from assistant.evaluation.targets import LocalTarget
from assistant.runtime import Services


@pytest.fixture(scope="module")
def bundled() -> list[Dataset]:
    return [load_dataset(DATASETS_DIR / name) for name in BUNDLED]


@pytest.fixture(scope="module")
def full_run(
    services: Services, bundled: list[Dataset], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Summary, Path]:
    """The bundled sets through the whole pipeline, once for this module."""
    out = tmp_path_factory.mktemp("run")
    summary = evaluate(
        bundled,
        LocalTarget(services),
        Judge(services.corpus),
        now=NOW,
        out=out,
        gate=Gate.from_toml(GATE_FILE),
    )
    return summary, out


def test_the_bundled_sets_meet_the_gate(full_run: tuple[Summary, Path]) -> None:
    summary, _ = full_run
    assert summary.gate is not None
    assert summary.gate.passed, "\n".join(summary.gate.failures)
    assert summary.gate.not_measured == []
    assert set(summary.gate.thresholds) == set(Gate.from_toml(GATE_FILE).minimum) | {
        "answerable_wrongly_declined"
    }


def test_the_run_writes_every_output(
    full_run: tuple[Summary, Path], bundled: list[Dataset]
) -> None:
    summary, out = full_run
    sizes = {d.set: len(d.cases) for d in bundled}
    assert {name: c.cases for name, c in summary.counts.items()} == sizes
    assert all(c.errors == 0 and c.skipped == 0 for c in summary.counts.values())
    lines = (out / "results.jsonl").read_text().splitlines()
    assert len(lines) == sum(sizes.values())
    assert json.loads((out / "summary.json").read_text())["metrics"] == summary.metrics
    report = (out / "report.html").read_text()
    assert report.count("data:image/png;base64,") == 3
    assert set(summary.latency_ms) == {"retrieve", "compose", "total", "request", "search"}


@pytest.mark.parametrize("name", sorted(Gate.from_toml(GATE_FILE).sets))
def test_each_held_out_set_meets_its_own_gate(
    services: Services, name: str, tmp_path: Path
) -> None:
    gate = Gate.from_toml(GATE_FILE)
    assert {"answers-holdout-3.jsonl", "answers-holdout-4.jsonl"} <= set(gate.sets)
    summary = evaluate(
        [load_dataset(DATASETS_DIR / name)],
        LocalTarget(services),
        Judge(services.corpus),
        now=NOW,
        out=tmp_path,
        gate=gate.for_sets([name]),
    )
    assert summary.gate is not None
    assert summary.gate.passed, "\n".join(summary.gate.failures)
    assert summary.gate.not_measured == []


class Declining(LocalTarget):
    """A broken answerer: declines everything, cites nothing (retrieval and rules untouched)."""

    def answer(self, question: str, history: list[Turn], now: datetime) -> tuple[Answer, float]:
        declined = Answer(
            answer="The call does not say; ask HOME-CALL@ec.europa.eu.",
            citations=[],
            status="not_found",
            intent="unanswerable",
        )
        return declined, 1.0


class DroppingCitations(LocalTarget):
    """A broken answerer: the real answer, with its citations lost on the way."""

    def answer(self, question: str, history: list[Turn], now: datetime) -> tuple[Answer, float]:
        answer, ms = super().answer(question, history, now)
        return answer.model_copy(update={"citations": []}), ms


def test_an_answerer_that_always_declines_fails_the_gate(
    services: Services, bundled: list[Dataset], tmp_path: Path
) -> None:
    answers = [d for d in bundled if d.set == "answers"]
    summary = evaluate(
        answers,
        Declining(services),
        Judge(services.corpus),
        now=NOW,
        out=tmp_path,
        gate=Gate.from_toml(GATE_FILE),
    )
    assert summary.gate is not None
    assert not summary.gate.passed
    assert {"answer_accuracy", "citation_correctness", "answerable_wrongly_declined"} <= set(
        summary.gate.failing
    )
    assert summary.metrics["answerable_wrongly_declined"] == 1.0
    # No answer cites anything: precision has nothing to measure, which the gate also refuses.
    assert summary.metrics["citation_precision"] is None
    assert "citation_precision: no value" in " ".join(summary.gate.failures)
    # The sets that were not run are not judged.
    assert "recall@5" in summary.gate.not_measured


def test_an_answerer_that_drops_citations_fails_the_gate(
    services: Services, bundled: list[Dataset]
) -> None:
    answers = next(d for d in bundled if d.set == "answers")
    answerable = [c for c in answers.cases if c.id in {"a001", "a004", "a006", "a010"}]
    subset = Dataset(path=answers.path, set="answers", cases=answerable)
    summary, results = run_sets(
        [subset], DroppingCitations(services), Judge(services.corpus), now=NOW
    )
    outcome = Gate.from_toml(GATE_FILE).check(summary)
    assert summary.metrics["citation_correctness"] == 0.0
    assert "citation_correctness" in outcome.failing
    assert all("citations" in r.failed for r in results)


def test_the_command_exits_non_zero_below_a_threshold(
    indexed_settings: Settings, tmp_path: Path, full_run: tuple[Summary, Path]
) -> None:
    """A pipeline broken through its settings: it refuses any query over 10 characters."""
    lines = (DATASETS_DIR / "retrieval.jsonl").read_text().splitlines()[:12]
    subset = tmp_path / "retrieval-subset.jsonl"
    subset.write_text("\n".join(lines) + "\n")
    env = {"ASSISTANT_DATA_DIR": str(indexed_settings.data_dir), "ASSISTANT_MAX_QUERY_CHARS": "10"}
    args = ["eval", str(subset), "--out", str(tmp_path / "run"), "--min-recall", "0.7"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 8, result.output
    assert "retrieval: 12 cases, 12 run, 0 skipped, 12 errors, 0 passed" in result.stdout
    assert "gate failed: recall@5 = 0, needs >= 0.7" in result.stderr
    assert "Traceback" not in result.output
    # The failed run's outputs are still written, with each case's error.
    first = json.loads((tmp_path / "run" / "results.jsonl").read_text().splitlines()[0])
    assert first["failed"] == ["error", "found@5"]
    assert "the limit is 10" in first["error"]
    # The same queries clear the bar with the settings as shipped.
    healthy = [json.loads(x) for x in (full_run[1] / "results.jsonl").read_text().splitlines()]
    ranked = [r for r in healthy if r["set"] == "retrieval"][:12]
    assert sum(r["scores"]["recall@5"] for r in ranked) / 12 >= 0.7


def test_eval_without_run_and_with_run_are_the_same_command(tmp_path: Path) -> None:
    """`assistant eval FILE` routes to `assistant eval run FILE` (the pre-check needs no model)."""
    lines = (DATASETS_DIR / "precheck.jsonl").read_text().splitlines()[:4]
    profiles = tmp_path / "profiles.jsonl"
    profiles.write_text("\n".join(lines) + "\n")
    for command in (["eval"], ["eval", "run"]):
        out = tmp_path / "-".join(command)
        result = CliRunner().invoke(app, [*command, str(profiles), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "precheck: 4 cases, 4 run, 0 skipped, 0 errors, 4 passed" in result.stdout
        assert (out / "summary.json").is_file()


def test_a_wrong_expectation_fails_the_precheck_gate(tmp_path: Path) -> None:
    rows = [json.loads(x) for x in (DATASETS_DIR / "precheck.jsonl").read_text().splitlines()[:2]]
    rows[1]["expected_verdict"] = (
        "not_eligible" if rows[1]["expected_verdict"] == "eligible" else "eligible"
    )
    profiles = tmp_path / "profiles.jsonl"
    profiles.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = CliRunner().invoke(
        app, ["eval", str(profiles), "--out", str(tmp_path / "run"), "--min-precheck", "1"]
    )
    assert result.exit_code == 8, result.output
    assert "gate failed: precheck_accuracy = 0.5, needs >= 1" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "ftp://x"], "'local', or the URL of a running server"),
        (["--now", "2025-04-10T09:00"], "give a UTC offset"),
        (["--min-accuracy", "1.5"], "--min-accuracy"),
    ],
)
def test_bad_options_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    profiles = tmp_path / "p.jsonl"
    profiles.write_text((DATASETS_DIR / "precheck.jsonl").read_text().splitlines()[0] + "\n")
    result = CliRunner().invoke(app, ["eval", str(profiles), "--out", str(tmp_path), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_an_unknown_metric_in_a_gate_file_exits_2(tmp_path: Path) -> None:
    gate = tmp_path / "gate.toml"
    gate.write_text("[minimum]\nanswer_acuracy = 0.5\n")
    profiles = tmp_path / "p.jsonl"
    profiles.write_text((DATASETS_DIR / "precheck.jsonl").read_text().splitlines()[0] + "\n")
    result = CliRunner().invoke(app, ["eval", str(profiles), "--gate", str(gate)])
    assert result.exit_code == 2, result.output
    assert "unknown metric(s) answer_acuracy" in result.stderr
