"""Shared fixtures. Everything is real: the packaged embedding model, an embedded Chroma in a
temporary folder, the corpus of the repository."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from postgres import REQUIRE_POSTGRES, PostgresServer, binaries

from assistant.api.app import create_app
from assistant.config import PROJECT_ROOT, Settings
from assistant.runtime import Services
from retrieval.corpus import Corpus, load_corpus

CORPUS_DIR = PROJECT_ROOT / "corpus"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ASSISTANT_* variable of the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def indexed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data folder holds an index of the real corpus, built once per session."""
    # The database apart from the index: tests copy the index folder while this process holds
    # the database open, and a copy's open() and close() would drop SQLite's POSIX locks of
    # this process's connections (SQLite's documented caveat), letting another process corrupt it.
    database = tmp_path_factory.mktemp("database") / "assistant.db"
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("index"),
        corpus_dir=CORPUS_DIR,
        database_url=f"sqlite:///{database}",
    )
    Services(settings).build_index()
    return settings


@pytest.fixture(scope="session")
def services(indexed_settings: Settings) -> Services:
    return Services(indexed_settings)


@pytest.fixture(scope="module")
def app(services: Services) -> FastAPI:
    """The API over the session's loaded services (a module may override it)."""
    return create_app(services=services)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:  # runs the lifespan: everything loads before the tests
        yield client


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus, for tests that change or break it."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target)
    return target


# --- the database: every test that uses `database_url` runs on SQLite and on PostgreSQL ---------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session (each test gets a database of its own)."""
    found = binaries()
    if found is None:
        reason = "PostgreSQL is not installed (apt-get install postgresql)"
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (ASSISTANT_REQUIRE_POSTGRES=1: these tests must run)")
        pytest.skip(reason)
    server = PostgresServer.start(found)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new database on the session's server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'assistant.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)
