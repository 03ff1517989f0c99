"""Hybrid search through the retriever and the real ``assistant`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.runtime import Services
from retrieval.errors import InvalidQuery

DEADLINE_HOLDERS = ("22/04/2025 at midday 12:00 CET", "Deadline for expressing interest")


def test_results_are_documents_with_scores_and_offsets(services: Services) -> None:
    results = services.retriever.invoke("Which unit deals with visas?")
    assert 1 <= len(results) <= services.settings.k
    top = results[0]
    assert top.metadata["section"] == '1. ABOUT US › Unit HOME.B.4 "Visa Policy"'
    for doc in results:
        source = services.corpus.get(doc.metadata["doc_id"]).text
        assert source[doc.metadata["start"] : doc.metadata["end"]] == doc.page_content
    scores = [d.metadata["score"] for d in results]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_each_mode_finds_the_deadline(services: Services, mode: str) -> None:
    retriever = services.retriever.model_copy(update={"mode": mode})
    top = retriever.rank("deadline for expressing interest", k=1)[0]
    assert any(s in top.page_content for s in DEADLINE_HOLDERS)


@pytest.mark.parametrize("query", ["", "   ", "x" * 100_000])
def test_bad_queries_are_refused(services: Services, query: str) -> None:
    with pytest.raises(InvalidQuery):
        services.retriever.rank(query)


def test_search_json_puts_the_deadline_first(indexed_settings: Settings) -> None:
    env = {"ASSISTANT_DATA_DIR": str(indexed_settings.data_dir)}
    result = CliRunner().invoke(
        app, ["search", "deadline for expressing interest", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert set(rows[0]) >= {"doc_id", "section", "text", "start", "end", "score"}
    assert any(s in rows[0]["text"] for s in DEADLINE_HOLDERS)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_search_prints_ranked_passages(indexed_settings: Settings) -> None:
    env = {"ASSISTANT_DATA_DIR": str(indexed_settings.data_dir)}
    result = CliRunner().invoke(app, ["search", "probation period", "-k", "2"], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1. ec-2025-home-01 › ")
    assert "9-month probationary period" in result.stdout


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


def test_the_command_reports_bad_input_cleanly(
    indexed_settings: Settings, tmp_path: object
) -> None:
    env = {"ASSISTANT_DATA_DIR": str(indexed_settings.data_dir)}
    empty = run_cli("search", "  ", env=env)
    assert empty.returncode == 2
    assert "Error: the query is empty" in empty.stderr
    assert "Traceback" not in empty.stderr
    huge = run_cli("search", "a" * 100_000, env=env)
    assert huge.returncode == 2
    assert "the limit is" in huge.stderr
    missing = run_cli("index", env={"ASSISTANT_CORPUS_DIR": "/nonexistent/corpus"})
    assert missing.returncode == 3
    assert "corpus directory /nonexistent/corpus does not exist" in missing.stderr
