"""The endpoints behind the widget and the helpdesk page, over HTTP with the real index and model:
/api/draft, /api/feedback, /api/passage, and the pages and files the browser loads. The client
is a staff member's (a bearer token): staff sign-in itself is tested in tests/staff/."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sample_profiles import ELIGIBLE
from staff_helpers import add_staff, token_for

from assistant.api.app import create_app
from assistant.drafting import MAX_EMAIL_CHARS, Draft
from assistant.feedback import MAX_COMMENT_CHARS
from assistant.feedback.store import FeedbackFilter, all_feedback
from assistant.runtime import Services

TWO_QUESTIONS = (
    "Dear Sir or Madam,\n\nHow long is the probationary period? Please tell me what the "
    "deadline for expressing interest is.\n\nKind regards,\nMaria Rossi"
)
MARK = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def client(services: Services) -> Iterator[TestClient]:
    # A staff account of its own in the session's database, and a token for it.
    email = f"helpdesk-{uuid.uuid4().hex[:8]}@ec.europa.eu"
    add_staff(services.settings.database, email)
    token = token_for(services.settings.database, email)
    with TestClient(create_app(services=services)) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def assert_verbatim(draft: Draft, services: Services) -> None:
    assert [c.id for c in draft.citations] == list(range(1, len(draft.citations) + 1))
    assert {int(n) for n in MARK.findall(draft.draft)} == {c.id for c in draft.citations}
    for citation in draft.citations:
        text = services.corpus.get(citation.doc_id).text
        assert citation.quote == text[citation.start : citation.end]


# --- /api/draft --------------------------------------------------------------------------------


def test_a_two_question_email_gets_a_reply_with_both_answers_and_their_sources(
    client: TestClient, services: Services
) -> None:
    response = client.post("/api/draft", json={"message": TWO_QUESTIONS})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"draft", "citations", "questions", "answers", "precheck"}
    draft = Draft.model_validate(response.json())
    assert draft.questions == [
        "How long is the probationary period?",
        "Please tell me what the deadline for expressing interest is.",
    ]
    assert [a.status for a in draft.answers] == ["answered", "answered"]
    assert draft.precheck is None
    assert_verbatim(draft, services)
    text = draft.draft
    assert text.startswith("Dear Maria Rossi,\n")
    assert "9-month probationary period" in text
    assert "22 April 2025" in text
    # The answers come in the order asked, then the sources, then the sign-off.
    assert text.index("probationary") < text.index("22 April") < text.index("Sources")
    assert text.index("Sources") < text.index("Kind regards,")
    for citation in draft.citations:
        assert f"[{citation.id}] {citation.section}: “" in text
    # Each answer's marks point at its own quotes, after renumbering across the answers.
    first = {int(n) for n in MARK.findall(draft.answers[0].answer)}
    assert any("probationary" in draft.citations[n - 1].quote for n in first)


def test_where_the_call_is_silent_the_draft_says_so_and_gives_the_contact(
    client: TestClient, services: Services
) -> None:
    response = client.post("/api/draft", json={"message": "Is there a car park at the office?"})
    assert response.status_code == 200, response.text
    draft = Draft.model_validate(response.json())
    assert draft.answers[0].status == "not_found"
    assert "The call does not say" in draft.draft
    assert services.corpus.call().entry.contact in draft.draft
    assert draft.draft.startswith("Dear candidate,\n")


def test_a_profile_adds_the_precheck(client: TestClient) -> None:
    profile = {k: v for k, v in ELIGIBLE.items() if k != "submitted_at"}
    response = client.post("/api/draft", json={"message": TWO_QUESTIONS, "profile": profile})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["precheck"]["verdict"] == "eligible"
    assert "About your eligibility: on the information you gave us, you meet" in body["draft"]
    assert body["precheck"]["disclaimer"] in body["draft"]


def test_a_partial_profile_lists_what_cannot_be_told(client: TestClient) -> None:
    response = client.post(
        "/api/draft",
        json={"message": "Can I apply?", "profile": {"nationalities": ["Norway"]}},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["precheck"]["verdict"] == "not_eligible"
    nationality = next(c for c in body["precheck"]["criteria"] if c["id"] == "nationality")
    assert f"- {nationality['label']}: not met. {nationality['reason']}" in body["draft"]
    assert "We cannot tell from your message whether you meet:" in body["draft"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"message": "   "}, "message: the message is empty"),
        ({}, "message: Field required"),
        ({"message": "x" * (MAX_EMAIL_CHARS + 1)}, f"the limit is {MAX_EMAIL_CHARS}"),
        ({"message": "Hi?", "cc": "a@b.c"}, "cc: Extra inputs are not permitted"),
        ({"message": "Hi?", "profile": {"nationalities": ["Atlantis"]}}, "profile.nationalities.0"),
        ({"message": "Hi?", "profile": {"submitted_at": "2999-01-01T10:00:00+02:00"}}, "future"),
        ({"message": "Hi?", "profile": "BE"}, "profile: Input should be"),
    ],
)
def test_bad_draft_requests_get_422_saying_what_to_fix(
    client: TestClient, body: dict[str, object], fragment: str
) -> None:
    response = client.post("/api/draft", json=body)
    assert response.status_code == 422, response.text
    assert fragment in response.json()["message"]


def test_a_draft_request_that_is_not_json_gets_422(client: TestClient) -> None:
    response = client.post(
        "/api/draft", content="How long?", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["message"]


def test_an_email_without_a_question_gets_a_polite_request_for_one(client: TestClient) -> None:
    long_statement = "I have read the call with interest and I am applying. " * 30
    response = client.post("/api/draft", json={"message": long_statement})
    assert response.status_code == 200
    body = response.json()
    assert body["questions"] == []
    assert body["citations"] == []
    assert "We could not find a question in your message." in body["draft"]


# --- /api/feedback -----------------------------------------------------------------------------


def test_feedback_is_stored_without_anything_about_the_sender(
    client: TestClient, services: Services
) -> None:
    conversation = str(uuid.uuid4())
    feedback = {
        "rating": "up",
        "comment": "  Clear, thank you.  ",
        "question": "How long is the probationary period?",
        "answer": "Contract agents … 9-month probationary period [1].",
        "status": "answered",
        "conversation_id": conversation,
    }
    response = client.post("/api/feedback", json=feedback, headers={"User-Agent": "Mozilla/5.0"})
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert set(receipt) == {"id", "created_at"}

    stored = [
        r for r in all_feedback(services.database, FeedbackFilter()) if str(r.id) == receipt["id"]
    ]
    record = stored[0].model_dump(mode="json")
    assert record == {
        **feedback,
        "comment": "Clear, thank you.",
        "citations": None,
        "id": receipt["id"],
        "created_at": record["created_at"],
        "reviewed": False,
        "reviewed_at": None,
    }
    assert datetime.fromisoformat(record["created_at"]).tzinfo is not None
    assert datetime.fromisoformat(record["created_at"]) == datetime.fromisoformat(
        receipt["created_at"]
    )
    for trace in ("testclient", "Mozilla", "127.0.0.1"):  # client host, user agent, address
        assert trace not in str(record)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"rating": "meh", "question": "q", "answer": "a"}, "rating: Input should be 'up' or"),
        ({"rating": "up", "answer": "a"}, "question: Field required"),
        (
            {"rating": "up", "question": "q", "answer": "a", "comment": "x" * 1001},
            f"the limit is {MAX_COMMENT_CHARS}",
        ),
        ({"rating": "up", "question": "q", "answer": "a", "ip": "1.2.3.4"}, "ip: Extra inputs"),
        ({"rating": "up", "question": "q", "answer": "a", "conversation_id": "x"}, "UUID"),
        (  # the schema says integer: false is not read as 0
            {
                "rating": "up",
                "question": "q",
                "answer": "a",
                "citations": [{"doc_id": "call", "start": 0, "end": False}],
            },
            "citations.0.end: Input should be a valid integer",
        ),
    ],
)
def test_bad_feedback_gets_422(client: TestClient, body: dict[str, object], fragment: str) -> None:
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 422, response.text
    assert fragment in response.json()["message"]


def test_feedback_that_cannot_be_stored_is_a_503_that_names_no_path(
    services: Services, tmp_path: Path
) -> None:
    # The database "file" is a folder: it cannot be opened. No lifespan: nothing else loads.
    settings = services.settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}"})
    client = TestClient(create_app(services=Services(settings)))
    body = {"rating": "down", "question": "q", "answer": "a"}
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 503
    assert "the database is not available right now" in response.json()["detail"]
    assert str(tmp_path) not in response.text


# --- /api/passage ------------------------------------------------------------------------------


def test_a_citation_opens_in_its_context(client: TestClient, services: Services) -> None:
    answer = client.post("/api/chat", json={"message": "How long is the probationary period?"})
    citation = answer.json()["citations"][0]
    params = {k: citation[k] for k in ("doc_id", "start", "end")}
    response = client.get("/api/passage", params=params)
    assert response.status_code == 200, response.text
    context = response.json()
    document = services.corpus.get(citation["doc_id"]).text
    assert context["text"] == document[context["start"] : context["end"]]
    assert (
        context["text"][context["highlight_start"] : context["highlight_end"]] == citation["quote"]
    )
    assert context["section"] == citation["section"]
    assert context["title"] == citation["title"]
    assert len(context["text"]) > len(citation["quote"])


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"doc_id": "nope", "start": 0, "end": 5}, 404, "no document 'nope'"),
        ({"doc_id": "ec-2025-home-01", "start": 9, "end": 9}, 422, "is not inside document"),
        ({"doc_id": "ec-2025-home-01", "start": 0, "end": 10**7}, 422, "is not inside document"),
        ({"doc_id": "ec-2025-home-01", "start": -1, "end": 4}, 422, "start"),
        ({"doc_id": "ec-2025-home-01"}, 422, "start: Field required"),
    ],
)
def test_a_bad_passage_request_says_what_is_wrong(
    client: TestClient, params: dict[str, object], status: int, fragment: str
) -> None:
    response = client.get("/api/passage", params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert fragment in (body.get("message") or body["detail"])


# --- pages and files ---------------------------------------------------------------------------

INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # a script block without src
    re.compile(r"\son[a-z]+\s*=", re.I),  # an event handler attribute
    re.compile(r"\sstyle\s*=", re.I),  # a style attribute
    re.compile(r"<style", re.I),
]


@pytest.mark.parametrize("path", ["/", "/helpdesk", "/feedback", "/signin"])
def test_pages_are_served_with_external_code_only(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for pattern in INLINE:
        assert not pattern.search(response.text), pattern.pattern
    for asset in re.findall(r'(?:src|href)="(/(?:widget|site)/[^"]+)"', response.text):
        assert client.get(asset).status_code == 200, asset


def test_the_widget_is_served_at_a_stable_path(client: TestClient) -> None:
    script = client.get("/widget/widget.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    style = client.get("/widget/widget.css")
    assert style.headers["content-type"].startswith("text/css")
    # Untrusted text is never parsed as HTML by the widget or the helpdesk page.
    pages = ("helpdesk.js", "staff.js", "signin.js", "feedback.js")
    for source in (script.text, *(client.get(f"/site/{name}").text for name in pages)):
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source
    assert client.get("/widget/nope.js").status_code == 404


def test_the_new_endpoints_are_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/draft", "/api/feedback", "/api/passage"} <= set(paths)
    assert "/" not in paths
    assert "/helpdesk" not in paths
    assert {"/signin", "/feedback"}.isdisjoint(paths)
    assert {"/api/auth/login", "/api/auth/logout", "/api/feedback/{feedback_id}/review"} <= set(
        paths
    )
    assert set(paths["/api/feedback"]) == {"get", "post"}
    assert "401" in paths["/api/draft"]["post"]["responses"]
    body = paths["/api/draft"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/DraftRequest"}
