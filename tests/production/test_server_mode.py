"""Server mode, for real: uvicorn with two workers in front of a `chroma run` server, indexed
by the same code as the embedded store; what happens when that server or a worker dies."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sample_profiles import ELIGIBLE
from servers import Server, StartedApi

from assistant.answering.models import Answer
from assistant.config import Settings
from assistant.runtime import Services

pytestmark = pytest.mark.server

QUESTIONS = [
    "What is the deadline for expressing interest?",
    "How long is the probationary period?",
    "Which languages must candidates know?",
    "What is the capital of France?",
]
FOLLOW_UP = {
    "message": "And how long is the probation?",
    "history": [
        {"role": "user", "content": "How long is the contract?"},
        {"role": "assistant", "content": "The contract is for a fixed period [1]."},
    ],
}


def post(api: StartedApi, path: str, body: Any) -> httpx.Response:
    # A new connection each time, as separate clients would open: any worker may take it.
    return httpx.post(api.url + path, json=body, timeout=60)


def stable(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k != "timings_ms"}


def test_an_api_started_before_its_chroma_server_said_why_it_was_not_ready(
    api: StartedApi,
) -> None:
    first = api.first_readiness
    assert first.status_code == 503
    body = first.json()
    assert body["status"] == "unavailable"
    assert body["component"] == "retriever"
    assert "Chroma server" in body["detail"]
    assert "chroma run" in body["detail"]


def test_readyz_names_the_chroma_server(api: StartedApi, services: Services) -> None:
    response = httpx.get(api.url + "/readyz", timeout=10)
    assert response.status_code == 200, response.text
    passages = len(services.retriever.passages)
    assert response.json() == {"status": "ready", "passages": passages, "vector_store": "http"}


def test_the_server_answers_as_the_embedded_store_does(api: StartedApi, services: Services) -> None:
    for question in QUESTIONS:
        response = post(api, "/api/chat", {"message": question})
        assert response.status_code == 200, response.text
        embedded = services.answerer.answer(question, now=services.clock())
        assert stable(response.json()) == stable(embedded.model_dump(mode="json")), question


def test_indexing_the_server_again_embeds_nothing(http_settings: Settings) -> None:
    report = Services(http_settings).build_index()
    assert report.passages_embedded == 0
    assert report.unchanged


def workers(master: int) -> list[int]:
    """The uvicorn worker processes of ``master`` (not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == master and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


def test_a_killed_worker_loses_nothing(api: StartedApi) -> None:
    assert api.server.process is not None
    master = api.server.process.pid
    before = post(api, "/api/chat", FOLLOW_UP)
    assert before.status_code == 200, before.text
    pids = workers(master)
    assert len(pids) == 2

    os.kill(pids[0], signal.SIGKILL)
    # The conversation lives in the client: the other worker gives the same answer to the same
    # request, and every request after the kill succeeds.
    for _ in range(10):
        after = post(api, "/api/chat", FOLLOW_UP)
        assert after.status_code == 200, after.text
        assert stable(after.json()) == stable(before.json())
    # And uvicorn's supervisor replaces the worker.
    deadline = time.monotonic() + 60
    while (current := workers(master)) == [pids[1]] or len(current) < 2:
        assert time.monotonic() < deadline, f"no new worker: {current}"
        time.sleep(0.5)
    assert pids[0] not in current


def test_a_chroma_outage_is_a_503_and_answers_resume_when_it_is_back(
    api: StartedApi, chroma: Server
) -> None:
    question = {"message": "Where will the selected candidates work?"}
    chroma.stop()
    try:
        for _ in range(4):  # both workers, whichever takes each request
            chat = post(api, "/api/chat", question)
            assert chat.status_code == 503, chat.text
            assert "vector store" in chat.json()["detail"]
            assert "try again" in chat.json()["detail"]
            assert chat.headers["retry-after"] == "5"
            assert "Traceback" not in chat.text
            ready = httpx.get(api.url + "/readyz", timeout=10)
            assert ready.status_code == 503
            assert ready.json()["component"] == "vector_store"
        # The pre-check needs no vector store: it keeps working.
        assert post(api, "/api/precheck", ELIGIBLE).status_code == 200
    finally:
        chroma.start(timeout=60)
    # No restart of the API: once both workers see the server again (a worker replaced by the
    # test before may still be loading), the next questions are answered.
    deadline = time.monotonic() + 90
    while (ready := httpx.get(api.url + "/readyz", timeout=10)).status_code != 200:
        assert time.monotonic() < deadline, ready.text
        time.sleep(1)
    for _ in range(4):
        assert httpx.get(api.url + "/readyz", timeout=10).status_code == 200
        chat = post(api, "/api/chat", question)
        assert chat.status_code == 200, chat.text
        Answer.model_validate(chat.json())


def test_the_log_has_request_ids_and_timings_but_no_contents(api: StartedApi) -> None:
    log = api.server.output()
    for question in QUESTIONS:
        assert question not in log
    assert "probation" not in log.lower()
    assert '"path": "/api/chat"' in log
    assert '"request_id": "' in log
    assert '"ms": ' in log
