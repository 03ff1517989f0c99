"""Candidates' ratings in the database: what staff see, mark reviewed, export as evaluation
cases, import from the old JSONL file and purge. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from staff_helpers import add_staff, cli, client_over, ok, services_over, token_for, upgrade

from assistant.db.engine import Database
from assistant.db.models import FeedbackEntry
from assistant.evaluation.datasets import AnswerCase, evidence_spans, load_dataset
from assistant.runtime import Services

QUESTION = "Is there a car park at the office?"


@pytest.fixture
def database(services: Services, database_url: str) -> Database:
    upgrade(database_url)
    return Database(database_url)


@pytest.fixture
def client(services: Services, database_url: str, database: Database) -> TestClient:
    add_staff(database_url)
    client = client_over(services_over(services, database_url))
    client.headers["Authorization"] = f"Bearer {token_for(database_url)}"
    return client


def rate(client: TestClient, **fields: Any) -> dict[str, Any]:
    body = {"rating": "down", "question": QUESTION, "answer": "The call does not say.", **fields}
    # A candidate: no staff credentials, a browser's user agent.
    response = client.post(
        "/api/feedback", json=body, headers={"Authorization": "", "User-Agent": "Mozilla/5.0"}
    )
    assert response.status_code == 201, response.text
    receipt: dict[str, Any] = response.json()
    assert set(receipt) == {"id", "created_at"}
    return receipt


def test_a_candidates_rating_appears_for_staff_and_exports_as_a_case_that_loads(
    client: TestClient, services: Services, database_url: str, tmp_path: Path
) -> None:
    answer = client.post("/api/chat", json={"message": "How long is the probationary period?"})
    cited = answer.json()
    citations = [{k: c[k] for k in ("doc_id", "start", "end", "quote")} for c in cited["citations"]]
    up = rate(
        client,
        rating="up",
        question="How long is the probationary period?",
        answer=cited["answer"],
        status="answered",
        citations=citations,
    )
    down = rate(client, comment="  I wanted to know about parking.  ", status="not_found")

    page = client.get("/api/feedback").json()
    assert page["total"] == 2
    newest = page["items"][0]
    assert newest["id"] == down["id"]
    assert newest["question"] == QUESTION
    assert newest["answer"] == "The call does not say."
    assert newest["comment"] == "I wanted to know about parking."
    assert newest["rating"] == "down"
    assert newest["reviewed"] is False
    assert newest["created_at"] == down["created_at"]
    assert page["items"][1]["citations"] == citations

    only_down = client.get("/api/feedback", params={"rating": "down"}).json()
    assert [i["id"] for i in only_down["items"]] == [down["id"]]

    exported = tmp_path / "regressions.jsonl"
    ok(cli(database_url, "feedback", "export", "--rating", "down", "--out", str(exported)))
    dataset = load_dataset(exported)  # the evaluation's own loader
    assert dataset.set == "answers"
    [case] = dataset.cases
    assert isinstance(case, AnswerCase)
    assert case.id == f"feedback-{down['id']}"
    assert case.question == QUESTION
    assert case.expect_status == "not_found"
    assert case.must_contain == []  # for staff to fill in

    everything = tmp_path / "all.jsonl"
    ok(cli(database_url, "feedback", "export", "--out", str(everything)))
    cases = {c.id: c for c in load_dataset(everything).cases}
    helpful = cases[f"feedback-{up['id']}"]
    assert isinstance(helpful, AnswerCase)
    assert helpful.evidence  # the quotes the helpful answer cited, found in the corpus
    assert evidence_spans(services.corpus, helpful.evidence)
    stdout = ok(cli(database_url, "feedback", "export", "--rating", "down"))
    assert json.loads(stdout.splitlines()[0])["id"] == case.id


def test_staff_filter_page_and_mark_ratings_reviewed(client: TestClient) -> None:
    ids = [rate(client, rating="up" if n % 2 else "down")["id"] for n in range(5)]
    first = client.get("/api/feedback", params={"limit": 2}).json()
    second = client.get("/api/feedback", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 5
    shown = [i["id"] for i in first["items"] + second["items"]]
    assert len(set(shown)) == 4
    assert set(shown) <= set(ids)

    reviewed = client.post(f"/api/feedback/{ids[0]}/review")
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["reviewed"] is True
    when = reviewed.json()["reviewed_at"]
    again = client.post(f"/api/feedback/{ids[0]}/review").json()
    assert again["reviewed_at"] == when  # the first review's time is kept

    done = client.get("/api/feedback", params={"reviewed": "true"}).json()
    assert [i["id"] for i in done["items"]] == [ids[0]]
    todo = client.get("/api/feedback", params={"reviewed": "false"}).json()
    assert todo["total"] == 4
    today = datetime.now(UTC).date()
    assert client.get("/api/feedback", params={"since": str(today)}).json()["total"] == 5
    assert client.get("/api/feedback", params={"until": str(today)}).json()["total"] == 5
    tomorrow = today + timedelta(days=1)
    assert client.get("/api/feedback", params={"since": str(tomorrow)}).json()["total"] == 0
    yesterday = today - timedelta(days=1)
    assert client.get("/api/feedback", params={"until": str(yesterday)}).json()["total"] == 0

    missing = client.post(f"/api/feedback/{uuid.uuid4()}/review")
    assert missing.status_code == 404
    assert "no feedback with id" in missing.json()["detail"]
    assert client.post("/api/feedback/not-an-id/review").status_code == 422
    # "0" and "20250101" are no YYYY-MM-DD days (pydantic alone would read Unix timestamps).
    for params in (
        {"rating": "meh"},
        {"limit": 0},
        {"since": "yesterday"},
        {"offset": -1},
        {"until": "0"},
        {"since": "20250101"},
    ):
        bad = client.get("/api/feedback", params=params)
        assert bad.status_code == 422, params
    # Both methods of /api/feedback (two routers share the path) are named in a 405's Allow.
    refused = client.request("OPTIONS", "/api/feedback")
    assert refused.status_code == 405
    assert refused.headers["Allow"] == "GET, POST"
    assert set(refused.json()) == {"detail", "request_id"}


def test_nothing_about_the_sender_is_stored(client: TestClient, database: Database) -> None:
    rate(client, comment="Thanks")
    with database.session() as session:
        [entry] = session.scalars(select(FeedbackEntry))
        stored = json.dumps({c.name: str(getattr(entry, c.key)) for c in entry.__table__.columns})
    for trace in ("Mozilla", "127.0.0.1", "testclient"):
        assert trace not in stored
    assert "ip" not in FeedbackEntry.__table__.columns
    assert "user_agent" not in FeedbackEntry.__table__.columns


def old_record(days_ago: int, **fields: Any) -> dict[str, Any]:
    """A line of the feedback.jsonl file earlier versions wrote."""
    return {
        "rating": "down",
        "comment": None,
        "question": "How long is the contract?",
        "answer": "The call does not say.",
        "status": "not_found",
        "conversation_id": None,
        "id": str(uuid.uuid4()),
        "created_at": (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(),
        **fields,
    }


def test_an_old_feedback_file_is_imported_once_and_old_ratings_are_purged(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    records = [old_record(100), old_record(40, rating="up"), old_record(1, comment="Unclear")]
    path = tmp_path / "feedback.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "\n")
    first = ok(cli(database_url, "feedback", "import", str(path)))
    assert "Imported 3 ratings (0 were already there)" in first
    second = ok(cli(database_url, "feedback", "import", str(path)))
    assert "Imported 0 ratings (3 were already there)" in second
    page = client.get("/api/feedback").json()
    assert [i["id"] for i in page["items"]] == [r["id"] for r in reversed(records)]
    assert page["items"][0]["comment"] == "Unclear"

    purged = ok(cli(database_url, "feedback", "purge", "--older-than", "30"))
    assert purged.startswith("Deleted 2 ratings")
    assert [i["id"] for i in client.get("/api/feedback").json()["items"]] == [records[2]["id"]]
    refused = cli(database_url, "feedback", "purge", "--older-than", "0")
    assert refused.exit_code == 2


def test_a_file_that_is_not_feedback_is_refused_with_its_line(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "feedback.jsonl"
    path.write_text(json.dumps(old_record(1)) + "\n{not json\n")
    result = cli(database_url, "feedback", "import", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: not JSON" in result.output
    path.write_text(json.dumps(old_record(1, rating="meh")) + "\n")
    result = cli(database_url, "feedback", "import", str(path))
    assert result.exit_code == 2
    assert f"{path}:1: not a feedback record: rating" in result.output
    with database.session() as session:
        assert session.scalars(select(FeedbackEntry)).all() == []  # nothing half-imported


def test_a_nul_character_is_stored_on_every_database(client: TestClient) -> None:
    # PostgreSQL's text cannot hold NUL: it is replaced, never a 500 or a 503.
    receipt = rate(client, question="Deadline?\x00", comment="a\x00b")
    [item] = client.get("/api/feedback").json()["items"]
    assert item["id"] == receipt["id"]
    assert item["question"] == "Deadline?\ufffd"
    assert item["comment"] == "a\ufffdb"
