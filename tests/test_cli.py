"""The ``ask``, ``precheck`` and ``serve`` commands, for real: the index, the model, a server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from sample_profiles import ELIGIBLE
from servers import start_api
from typer.testing import CliRunner

from assistant.answering.models import Answer
from assistant.cli import app, render_answer
from assistant.config import Settings
from assistant.precheck import CRITERION_IDS, PrecheckResult
from retrieval.corpus import load_corpus


@pytest.fixture
def env(indexed_settings: Settings) -> dict[str, str]:
    return {"ASSISTANT_DATA_DIR": str(indexed_settings.data_dir)}


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- ask ---------------------------------------------------------------------------------------


def test_ask_json_prints_a_grounded_answer(env: dict[str, str], indexed_settings: Settings) -> None:
    result = CliRunner().invoke(app, ["ask", "Which unit deals with visas?", "--json"], env=env)
    assert result.exit_code == 0, result.output
    answer = Answer.model_validate_json(result.stdout)
    assert answer.status == "answered"
    assert answer.citations
    corpus = load_corpus(indexed_settings.corpus_dir)
    for citation in answer.citations:
        text = corpus.get(citation.doc_id).text
        assert citation.quote == text[citation.start : citation.end]
    # The default output is this answer rendered: its text, then the numbered sources.
    rendered = render_answer(answer)
    assert rendered.startswith(answer.answer + "\n\nSources:\n[1] ")
    assert len(re.findall(r"^\[\d+\] .+ — “.+”$", rendered, re.M)) == len(answer.citations)


def test_ask_prints_the_answer_and_its_sources(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["ask", "What is the deadline?"], env=env)
    assert result.exit_code == 0, result.output
    text, _, sources = result.stdout.partition("\n\nSources:\n")
    assert "22 April 2025" in text
    assert sources.startswith("[1] ")
    assert "22/04/2025" in sources


def test_ask_refuses_an_empty_question(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["ask", "   "], env=env)
    assert result.exit_code == 2
    assert "Error: the query is empty" in result.stderr
    assert "Traceback" not in result.output


def test_ask_without_an_index_says_how_to_build_it(tmp_path: Path) -> None:
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "empty")}
    result = CliRunner().invoke(app, ["ask", "What is the deadline?"], env=env)
    assert result.exit_code == 4
    assert "assistant index" in result.stderr


# --- precheck ----------------------------------------------------------------------------------


def test_precheck_prints_a_table(env: dict[str, str], tmp_path: Path) -> None:
    profile = write_json(tmp_path / "profile.json", ELIGIBLE)
    result = CliRunner().invoke(app, ["precheck", str(profile)], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Pre-check for call EC-2025-HOME-01: ELIGIBLE")
    assert "Nationality of an EU Member State" in result.stdout
    assert "not a decision" in result.stdout


def test_precheck_json_parses(env: dict[str, str], tmp_path: Path) -> None:
    profile = write_json(tmp_path / "profile.json", ELIGIBLE)
    result = CliRunner().invoke(app, ["precheck", str(profile), "--json"], env=env)
    assert result.exit_code == 0, result.output
    parsed = PrecheckResult.model_validate_json(result.stdout)
    assert parsed.verdict == "eligible"
    assert [c.id for c in parsed.criteria] == list(CRITERION_IDS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({**ELIGIBLE, "nationalities": ["Narnia"]}, "nationalities.0: unknown country 'Narnia'"),
        ({**ELIGIBLE, "languages": [{"language": "fr"}]}, "languages.0.level: Field required"),
        ({**ELIGIBLE, "submitted_at": "2999-01-01T00:00:00+00:00"}, "submitted_at"),
        (["BE"], "must hold a JSON object"),
        ('{"nationalities": ["BE"]', "is not valid JSON"),
    ],
)
def test_an_invalid_profile_file_exits_2_with_a_message(
    env: dict[str, str], tmp_path: Path, content: object, message: str
) -> None:
    path = tmp_path / "profile.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        write_json(path, content)
    result = CliRunner().invoke(app, ["precheck", str(path)], env=env)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_a_missing_profile_file_exits_2(env: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["precheck", str(tmp_path / "nope.json")], env=env)
    assert result.exit_code == 2
    assert "does not exist" in result.output


# --- serve -------------------------------------------------------------------------------------


@pytest.mark.server
def test_ask_through_a_running_server(env: dict[str, str], tmp_path: Path) -> None:
    question = "How long is the probationary period?"
    with start_api(env, tmp_path) as server:
        direct = Answer.model_validate(
            httpx.post(f"{server.url}/api/chat", json={"message": question}, timeout=60).json()
        )
        result = CliRunner().invoke(app, ["ask", "--url", server.url, question])
        assert result.exit_code == 0, result.output
        assert result.output.strip() == render_answer(direct)
        refused = CliRunner().invoke(app, ["ask", "--url", server.url, " "])
        assert refused.exit_code == 2
        assert "HTTP 422" in refused.output
    # It told whoever started it where to go.
    assert f"helpdesk     {server.url}/helpdesk" in server.output()
    assert "assistant staff add EMAIL" in server.output()  # and how to get in
    gone = CliRunner().invoke(app, ["ask", "--url", server.url, question])
    assert gone.exit_code == 7
    assert "cannot reach" in gone.output


@pytest.mark.server
def test_serve_answers_over_http(env: dict[str, str], tmp_path: Path) -> None:
    question = "How long is the probationary period?"
    with start_api(env, tmp_path) as server:
        response = httpx.post(f"{server.url}/api/chat", json={"message": question}, timeout=60)
        assert response.status_code == 200, response.text
        answer = Answer.model_validate(response.json())
        assert answer.status == "answered"
        assert "probation" in answer.answer.lower()
    output = server.output()
    # One JSON line per request, with the request id the client saw; never the question.
    lines = [json.loads(x) for x in output.splitlines() if x.startswith("{")]
    chat = [x for x in lines if x["path"] == "/api/chat"]
    assert chat == [
        {
            "request_id": response.headers["x-request-id"],
            "method": "POST",
            "path": "/api/chat",
            "status": 200,
            "ms": chat[0]["ms"],
        }
    ]
    assert question not in output
