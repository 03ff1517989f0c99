"""A run's folder: results.jsonl (one result per case), summary.json and report.html."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from assistant.evaluation.errors import DatasetError, describe
from assistant.evaluation.results import ITEM_RESULT, AnyResult
from assistant.evaluation.summary import Summary

RESULTS = "results.jsonl"
SUMMARY = "summary.json"
REPORT = "report.html"


def write_run(out: Path, summary: Summary, results: Sequence[AnyResult], report: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines = [ITEM_RESULT.dump_json(r).decode("utf-8") for r in results]
    (out / RESULTS).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    (out / SUMMARY).write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (out / REPORT).write_text(report, encoding="utf-8")


def read_run(folder: Path) -> tuple[Summary, list[AnyResult]]:
    """A run written by ``write_run``, or DatasetError saying what is missing or broken."""
    summary_path, results_path = folder / SUMMARY, folder / RESULTS
    if not summary_path.is_file() or not results_path.is_file():
        raise DatasetError(f"{folder} is not an evaluation run: it needs {SUMMARY} and {RESULTS}")
    try:
        summary = Summary.model_validate_json(summary_path.read_text("utf-8"))
    except ValidationError as exc:
        raise DatasetError(f"{summary_path}: not a run summary: {describe(exc)}") from None
    results = []
    for number, line in enumerate(results_path.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                results.append(ITEM_RESULT.validate_json(line))
            except ValidationError:
                raise DatasetError(f"{results_path}:{number}: not a case result") from None
    return summary, results
