"""The HTTP API over the real index, model and corpus: contract, stream, errors, pre-check."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sample_profiles import ELIGIBLE

from assistant.answering.models import MAX_HISTORY_TURNS, MAX_MESSAGE_CHARS, Answer
from assistant.answering.verify import CitationError
from assistant.api.app import create_app
from assistant.api.schemas import MAX_BODY_BYTES
from assistant.config import PROJECT_ROOT, Settings
from assistant.precheck import CRITERION_IDS, PrecheckResult
from assistant.runtime import Services

QUESTIONS = [
    "What is the deadline for expressing interest?",
    "Which unit deals with visas?",
    "How long is the probationary period?",
    "What is the salary?",
    "What is the capital of France?",
]
MARK = re.compile(r"\[(\d+)\]")


def assert_grounded(answer: Answer, services: Services) -> None:
    """Every [n] has its citation and every quote is the exact text at its offsets."""
    ids = [c.id for c in answer.citations]
    assert ids == list(range(1, len(ids) + 1))
    assert {int(n) for n in MARK.findall(answer.answer)} <= set(ids)
    for citation in answer.citations:
        text = services.corpus.get(citation.doc_id).text
        assert citation.quote == text[citation.start : citation.end]
        assert citation.quote


def parse_sse(raw: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a raw text/event-stream; comments (pings) are skipped."""
    events = []
    for block in re.split(r"\r\n\r\n|\n\n|\r\r", raw):
        name, data = "message", []
        for line in re.split(r"\r\n|\n|\r", block):
            if not line or line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
        if data:
            events.append((name, "\n".join(data)))
    return events


def without_timings(answer: dict[str, Any]) -> dict[str, Any]:
    # Timings are measured per call; everything else of an answer is deterministic.
    return {k: v for k, v in answer.items() if k != "timings_ms"}


# --- chat --------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS)
def test_chat_answers_follow_the_contract(
    client: TestClient, services: Services, question: str
) -> None:
    response = client.post("/api/chat", json={"message": question})
    assert response.status_code == 200, response.text
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    body = response.json()
    assert set(body) == {
        "answer",
        "citations",
        "status",
        "intent",
        "contact",
        "generator",
        "fallback",
        "lang",
        "timings_ms",
    }
    assert (body["generator"], body["fallback"], body["lang"]) == ("deterministic", None, "en")
    answer = Answer.model_validate(body)
    assert answer.status in {"answered", "not_found", "out_of_scope"}
    assert answer.answer.strip()
    assert_grounded(answer, services)
    if answer.status == "answered":
        assert answer.citations


def test_the_deadline_question_is_answered_from_the_call(client: TestClient) -> None:
    answer = Answer.model_validate(
        client.post("/api/chat", json={"message": "When is the deadline?"}).json()
    )
    assert answer.status == "answered"
    assert any("22/04/2025" in c.quote for c in answer.citations)


def test_a_follow_up_with_history_is_answered(client: TestClient, services: Services) -> None:
    history = [
        {"role": "user", "content": "Which unit deals with visas?"},
        {"role": "assistant", "content": "Unit HOME.B.4 [1]."},
    ]
    response = client.post("/api/chat", json={"message": "What does it do?", "history": history})
    assert response.status_code == 200, response.text
    assert_grounded(Answer.model_validate(response.json()), services)


def test_the_stream_sends_citations_deltas_then_the_answer(client: TestClient) -> None:
    request = {"message": "How long is the probationary period?"}
    response = client.post("/api/chat/stream", json=request)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    names = [name for name, _ in events]
    assert names[0] == "citations"
    assert names[-1] == "done"
    assert set(names[1:-1]) == {"delta"}
    assert len(names) > 3, "the text should come in several deltas"

    done = json.loads(events[-1][1])
    Answer.model_validate(done)
    assert json.loads(events[0][1]) == done["citations"]
    assert "".join(json.loads(data)["text"] for _, data in events[1:-1]) == done["answer"]

    whole = client.post("/api/chat", json=request).json()
    assert without_timings(done) == without_timings(whole)


def test_the_stream_refuses_bad_input_with_plain_json(client: TestClient) -> None:
    response = client.post("/api/chat/stream", json={"message": "  "})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert "empty" in response.json()["message"]


# --- bad input ---------------------------------------------------------------------------------

JSON = {"content-type": "application/json"}
BAD_REQUESTS: dict[str, tuple[dict[str, Any], int, str]] = {
    "empty message": ({"json": {"message": ""}}, 422, "empty"),
    "whitespace message": ({"json": {"message": " \n\t "}}, 422, "empty"),
    "missing message": ({"json": {"history": []}}, 422, "message"),
    "message not a string": ({"json": {"message": 42}}, 422, "message"),
    "message over the limit": (
        {"json": {"message": "a" * (MAX_MESSAGE_CHARS + 1)}},
        422,
        f"the limit is {MAX_MESSAGE_CHARS}",
    ),
    # Counted as the schema's maxLength counts: every character, spaces too.
    "message over the limit with its spaces": (
        {"json": {"message": "a" * MAX_MESSAGE_CHARS + " "}},
        422,
        f"the limit is {MAX_MESSAGE_CHARS}",
    ),
    "body over the size limit": (
        {"json": {"message": "a", "history": [{"role": "user", "content": "b" * 20_000}] * 4}},
        413,
        str(MAX_BODY_BYTES),
    ),
    "wrong role": (
        {"json": {"message": "hi", "history": [{"role": "system", "content": "x"}]}},
        422,
        "history.0.role",
    ),
    "missing content": (
        {"json": {"message": "hi", "history": [{"role": "user"}]}},
        422,
        "history.0.content",
    ),
    "extra field in a turn": (
        {"json": {"message": "hi", "history": [{"role": "user", "content": "a", "x": 1}]}},
        422,
        "history.0.x",
    ),
    "extra field in the request": ({"json": {"message": "hi", "question": "?"}}, 422, "question"),
    "history not a list": ({"json": {"message": "hi", "history": "hello"}}, 422, "history"),
    "too many turns": (
        {"json": {"message": "hi", "history": [{"role": "user", "content": "a"}] * 51}},
        422,
        "history",
    ),
    "not JSON": ({"content": b'{"message": "hi"', "headers": JSON}, 422, "not valid JSON"),
    "a JSON list": ({"json": [{"message": "hi"}]}, 422, "body"),
    "wrong content type": (
        {"content": b'{"message": "hi"}', "headers": {"content-type": "text/plain"}},
        422,
        "Content-Type: application/json",
    ),
    "no body": ({}, 422, "missing"),
}


@pytest.mark.parametrize("path", ["/api/chat", "/api/chat/stream"])
@pytest.mark.parametrize("case", list(BAD_REQUESTS))
def test_bad_requests_get_a_json_message_never_a_500(
    client: TestClient, path: str, case: str
) -> None:
    kwargs, status, hint = BAD_REQUESTS[case]
    response = client.post(path, **kwargs)
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text
    body = response.json()
    assert re.fullmatch(r"[0-9a-f]{32}", body["request_id"])
    assert body["request_id"] == response.headers["x-request-id"]
    message = body["message"] if status == 422 else body["detail"]
    assert hint in message
    if status == 422:
        assert all(set(d) == {"loc", "msg"} for d in body["detail"])


def test_the_history_limit_matches_the_contract(client: TestClient) -> None:
    history = [{"role": "user", "content": "a"}] * MAX_HISTORY_TURNS
    request = {"message": "What is the deadline?", "history": history}
    response = client.post("/api/chat", json=request)
    assert response.status_code == 200, response.text


def test_a_chunked_body_over_the_limit_is_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must still hold
        yield b'{"message": "'
        for _ in range(MAX_BODY_BYTES // 1024 + 1):
            yield b"a" * 1024
        yield b'"}'

    response = client.post("/api/chat", content=chunks(), headers=JSON)
    assert response.status_code == 413
    assert str(MAX_BODY_BYTES) in response.json()["detail"]


def test_unknown_paths_and_methods_are_json(client: TestClient) -> None:
    assert client.get("/api/nothing").json()["detail"] == "Not Found"
    response = client.get("/api/chat")
    assert response.status_code == 405
    assert response.json()["detail"] == "Method Not Allowed"


# --- failures: internal errors and services that did not load ----------------------------------


def test_an_unexpected_error_is_a_bare_500(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(services=services)

    def boom() -> None:
        raise RuntimeError("secret internals at /srv/app.py")

    app.add_api_route("/boom", boom, methods=["GET"])
    with TestClient(app) as client, caplog.at_level(logging.INFO, logger="assistant.api"):
        response = client.get("/boom")
    assert response.status_code == 500
    body = response.json()
    assert body == {"detail": "internal error", "request_id": response.headers["x-request-id"]}
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    # The server log has the traceback, under the id the client was given.
    logged = [r for r in caplog.records if r.exc_info]
    assert logged
    assert body["request_id"] in logged[0].getMessage()


def test_a_citation_failure_is_a_generic_500(
    client: TestClient, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing:
        def answer(self, *args: object, **kwargs: object) -> Answer:
            raise CitationError("citation [1] is not a verbatim span of internal-doc")

    # The one fake of these tests: a real answer never fails its check on purpose.
    monkeypatch.setitem(services.__dict__, "answerer", Failing())
    response = client.post("/api/chat", json={"message": "What is the deadline?"})
    assert response.status_code == 500
    assert "internal-doc" not in response.text
    assert "could not be verified" in response.json()["detail"]


def test_without_an_index_the_app_starts_and_answers_503(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "empty", corpus_dir=PROJECT_ROOT / "corpus")
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200  # alive, only not ready
        health = client.get("/readyz")
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        assert health.json()["component"] == "retriever"
        assert "index" in health.json()["detail"].lower()
        chat = client.post("/api/chat", json={"message": "What is the deadline?"})
        assert chat.status_code == 503
        assert chat.json()["detail"] == health.json()["detail"]
        # Bad input is still told apart from the missing index.
        assert client.post("/api/chat", json={"message": ""}).status_code == 422
        # The pre-check needs only the corpus: it keeps working.
        assert client.post("/api/precheck", json=ELIGIBLE).status_code == 200


def test_the_model_is_loaded_at_startup_even_when_nothing_else_needs_it(
    indexed_settings: Settings, services: Services
) -> None:
    # The index and the sentence vectors are on disk (the session's answerer writes them):
    # loading the answerer then embeds nothing, so only startup itself can load the model.
    assert services.answerer.index.sentences
    fresh = Services(indexed_settings)
    with TestClient(create_app(services=fresh)) as client:
        assert fresh.query_embeddings.loaded
        assert fresh.query_embeddings.embedded_texts == 0  # the sentences' vectors came from disk
        assert not fresh.embeddings.loaded  # the exported model, not sentence-transformers
        assert client.get("/readyz").status_code == 200


def test_a_model_that_cannot_load_is_named_by_readyz(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, corpus_dir=PROJECT_ROOT / "corpus", embedding_model="no-such-model"
    )
    with TestClient(create_app(settings)) as client:
        health = client.get("/readyz")
        assert health.status_code == 503
        assert health.json()["component"] == "model"
        assert "ASSISTANT_EMBEDDING_MODEL" in health.json()["detail"]
        chat = client.post("/api/chat", json={"message": "What is the deadline?"})
        assert chat.status_code == 503
        assert client.post("/api/precheck", json=ELIGIBLE).status_code == 200


# --- logging -----------------------------------------------------------------------------------


def test_each_request_is_logged_once_as_json_without_its_body(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "my-private-question-xyzzy"
    with caplog.at_level(logging.INFO, logger="assistant.api"):
        response = client.post("/api/chat", json={"message": f"What is {secret}?"})
        client.post("/api/precheck", json={**ELIGIBLE, "nationalities": ["Atlantis"]})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "assistant.api"]
    assert [(line["path"], line["status"]) for line in lines] == [
        ("/api/chat", 200),
        ("/api/precheck", 422),
    ]
    assert set(lines[0]) == {"request_id", "method", "path", "status", "ms"}
    assert lines[0]["request_id"] == response.headers["x-request-id"]
    assert lines[0]["method"] == "POST"
    assert lines[0]["ms"] >= 0
    assert secret not in caplog.text
    assert "Atlantis" not in caplog.text


# --- health and docs ---------------------------------------------------------------------------


def test_readyz_reports_the_index(client: TestClient, services: Services) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 200
    passages = len(services.retriever.passages)
    assert response.json() == {"status": "ready", "passages": passages, "vector_store": "embedded"}
    assert passages > 0


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/chat", "/api/chat/stream", "/api/precheck"):
        operation = paths[path]["post"]
        assert operation["summary"]
        assert operation["description"]
        assert {"200", "422"} <= set(operation["responses"])
        body = operation["requestBody"]["content"]["application/json"]
        assert body.get("examples") or body["schema"]
    assert "get" in paths["/healthz"]
    components = schema["components"]["schemas"]
    assert components["ChatRequest"]["examples"]
    assert "nationalities" in components["Profile"]["properties"]
    precheck_body = paths["/api/precheck"]["post"]["requestBody"]["content"]["application/json"]
    assert precheck_body["schema"] == {"$ref": "#/components/schemas/Profile"}
    assert precheck_body["examples"]
    refs = re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(schema))
    assert set(refs) <= set(components), "every $ref resolves"
    assert client.get("/docs").status_code == 200


# --- pre-check ---------------------------------------------------------------------------------


def test_precheck_gives_a_verdict_for_every_criterion(client: TestClient) -> None:
    response = client.post("/api/precheck", json=ELIGIBLE)
    assert response.status_code == 200, response.text
    result = PrecheckResult.model_validate(response.json())
    assert result.verdict == "eligible"
    assert [c.id for c in result.criteria] == list(CRITERION_IDS)
    assert len(result.criteria) == 13
    assert "deadline" in {c.id for c in result.criteria}
    assert result.call.reference == "EC-2025-HOME-01"


def test_precheck_without_submission_date_skips_the_deadline(client: TestClient) -> None:
    profile = {k: v for k, v in ELIGIBLE.items() if k != "submitted_at"}
    result = PrecheckResult.model_validate(client.post("/api/precheck", json=profile).json())
    assert "deadline" not in {c.id for c in result.criteria}
    partial = client.post("/api/precheck", json={"nationalities": ["BE"]}).json()
    assert partial["verdict"] == "incomplete"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nationalities": ["Narnia"]}, "nationalities"),
        ({"epso_cast": "maybe"}, "epso_cast"),
        ({"languages": [{"language": "fr"}]}, "languages.0.level"),
        ({"submitted_at": "2025-04-20T10:00:00"}, "submitted_at"),
        ({"experience": [{"start": 1546300800, "end": None}]}, "experience.0.start"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_an_invalid_profile_is_422_naming_the_field(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    response = client.post("/api/precheck", json={**ELIGIBLE, **change})
    assert response.status_code == 422, response.text
    body = response.json()
    assert field in body["message"]
    assert any(".".join(map(str, d["loc"][1:])).startswith(field) for d in body["detail"])
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": ["BE"]},
        {"content": b"{", "headers": JSON},
        {"content": b"{}", "headers": {"content-type": "text/plain"}},
        {},
    ],
)
def test_a_malformed_precheck_body_is_422(client: TestClient, kwargs: dict[str, Any]) -> None:
    response = client.post("/api/precheck", **kwargs)
    assert response.status_code == 422
    assert response.json()["message"]


# --- the injectable clock ----------------------------------------------------------------------

BEFORE = datetime(2025, 4, 10, 9, tzinfo=UTC)  # twelve days before the deadline
AFTER = datetime(2026, 11, 22, tzinfo=UTC)


@pytest.fixture(scope="module")
def clock() -> list[datetime]:
    return [BEFORE]


@pytest.fixture(scope="module")
def clocked_client(indexed_settings: Settings, clock: list[datetime]) -> Iterator[TestClient]:
    # One app whose clock the tests move, rather than one app (and one model load) per instant.
    services = Services(indexed_settings, clock=lambda: clock[0])
    with TestClient(create_app(services=services)) as client:
        yield client


def ask(client: TestClient, question: str) -> Answer:
    response = client.post("/api/chat", json={"message": question})
    assert response.status_code == 200, response.text
    return Answer.model_validate(response.json())


def test_the_answer_knows_whether_the_call_is_still_open(
    clocked_client: TestClient, clock: list[datetime]
) -> None:
    clock[0] = BEFORE
    before = ask(clocked_client, "Can I still apply?")
    assert before.status == "answered"
    assert re.search(r"\bopen\b", before.answer, re.I), before.answer
    assert not re.search(r"closed|passed", before.answer, re.I), before.answer

    clock[0] = AFTER
    after = ask(clocked_client, "Can I still apply?")
    assert after.status == "answered"
    assert re.search(r"closed|passed", after.answer, re.I), after.answer
    assert not re.search(r"still open", after.answer, re.I), after.answer


def test_the_precheck_uses_the_same_clock(
    clocked_client: TestClient, clock: list[datetime]
) -> None:
    clock[0] = BEFORE
    early = {**ELIGIBLE, "submitted_at": "2025-04-09T10:00:00+02:00"}
    result = clocked_client.post("/api/precheck", json=early).json()
    assert result["call"]["open"] is True
    # Sent on the 20th is in the future on the 10th: refused, naming the field.
    future = clocked_client.post("/api/precheck", json=ELIGIBLE)
    assert future.status_code == 422
    assert "submitted_at" in future.json()["message"]

    clock[0] = AFTER
    assert clocked_client.post("/api/precheck", json=ELIGIBLE).json()["call"]["open"] is False
