"""A missing or damaged embedded index is found at start: the process says how to rebuild it,
serves 503 with that message on the chat and /readyz, and keeps the pre-check working."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sample_profiles import ELIGIBLE
from servers import start_api

from assistant.api.app import create_app
from assistant.config import PROJECT_ROOT, Settings


def damaged_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    with (target / "chroma" / "chroma.sqlite3").open("r+b") as database:
        database.truncate(8192)  # a disk that filled up, a copy cut short
    return target


@pytest.fixture
def damaged(indexed_settings: Settings, tmp_path: Path) -> Path:
    return damaged_copy(indexed_settings.data_dir, tmp_path / "damaged")


def test_a_damaged_index_is_a_503_saying_how_to_rebuild(damaged: Path) -> None:
    settings = Settings(data_dir=damaged, corpus_dir=PROJECT_ROOT / "corpus")
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["component"] == "retriever"
        assert "assistant index --rebuild" in ready.json()["detail"]
        chat = client.post("/api/chat", json={"message": "What is the deadline?"})
        assert chat.status_code == 503
        assert chat.json()["detail"] == ready.json()["detail"]
        assert client.post("/api/precheck", json=ELIGIBLE).status_code == 200


@pytest.mark.server
@pytest.mark.parametrize("state", ["missing", "damaged"])
def test_the_server_log_says_at_start_how_to_rebuild(
    state: str, indexed_settings: Settings, tmp_path: Path
) -> None:
    data = tmp_path / "empty"
    if state == "damaged":
        data = damaged_copy(indexed_settings.data_dir, tmp_path / "damaged")
    with start_api({"ASSISTANT_DATA_DIR": str(data)}, tmp_path) as api:
        ready = httpx.get(api.url + "/readyz", timeout=10)
        log = api.output()
    assert ready.status_code == 503
    started = [json.loads(line) for line in log.splitlines() if '"event": "startup"' in line]
    assert started
    assert started[0]["component"] == "retriever"
    hint = "assistant index --rebuild" if state == "damaged" else "run `assistant index`"
    assert hint in started[0]["message"]
    assert hint in ready.json()["detail"]
