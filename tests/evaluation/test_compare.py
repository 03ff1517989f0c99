"""`assistant eval compare`: metric deltas and the questions that flipped between two runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from evaluation_support import hand_run
from typer.testing import CliRunner

from assistant.cli import app
from assistant.evaluation.compare import compare_runs
from assistant.evaluation.report import render_report
from assistant.evaluation.run_files import read_run, write_run
from retrieval.corpus import Corpus


@pytest.fixture
def runs(tmp_path: Path, corpus: Corpus) -> tuple[Path, Path]:
    folders = []
    for name, fixed in (("before", False), ("after", True)):
        summary, results = hand_run(corpus, fixed=fixed)
        folder = tmp_path / name
        write_run(folder, summary, results, render_report(summary, results))
        folders.append(folder)
    return folders[0], folders[1]


def test_a_written_run_reads_back_the_same(runs: tuple[Path, Path], corpus: Corpus) -> None:
    summary, results = hand_run(corpus, fixed=False)
    read_summary, read_results = read_run(runs[0])
    assert read_summary == summary
    assert read_results == results
    line = (runs[0] / "results.jsonl").read_text().splitlines()[1]
    assert '"failed":["facts","status","citations"]' in line  # which check failed, per question


def test_compare_gives_deltas_and_flipped_questions(runs: tuple[Path, Path]) -> None:
    comparison = compare_runs(*runs)
    deltas = {m.name: m for m in comparison.metrics}
    assert deltas["answer_accuracy"].a == 0.5
    assert deltas["answer_accuracy"].b == 1.0
    assert deltas["answer_accuracy"].delta == 0.5
    assert deltas["answer_accuracy"].better is True
    # Fewer wrongly declined answers is better, though the number went down.
    assert deltas["answerable_wrongly_declined"].delta == -0.5
    assert deltas["answerable_wrongly_declined"].better is True
    # No change is neither better nor worse.
    assert deltas["latency.request.max"].delta == 0.0
    assert deltas["latency.request.max"].better is None
    assert [f.id for f in comparison.fixed] == ["a2"]
    assert comparison.fixed[0].failed_a == ["facts", "status", "citations"]
    assert comparison.broken == []
    # The reverse comparison shows the same question as broken.
    reverse = compare_runs(runs[1], runs[0])
    assert [f.id for f in reverse.broken] == ["a2"]
    assert reverse.fixed == []


def test_compare_command_prints_the_table(runs: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(app, ["eval", "compare", str(runs[0]), str(runs[1])])
    assert result.exit_code == 0, result.output
    assert "answer_accuracy" in result.stdout
    assert "+0.5  better" in result.stdout
    assert "Now passing (1):\n  answers/a2 [paraphrase]" in result.stdout


def test_compare_refuses_a_folder_that_is_not_a_run(
    runs: tuple[Path, Path], tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(app, ["eval", "compare", str(runs[0]), str(empty)])
    assert result.exit_code == 2
    assert "is not an evaluation run" in result.stderr
    assert "Traceback" not in result.output
