"""Fixtures of the production tests: a real Chroma server, an index built into it, and the API
served by uvicorn with two workers in front of it, once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Server, StartedApi, api_server, chroma_server

from assistant.config import PROJECT_ROOT, Settings
from assistant.runtime import Services

WORKERS = 2
RECOVERED = '{"event": "recovered", "component": "answerer"}'


@pytest.fixture(scope="session")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="session")
def chroma(tmp_path_factory: pytest.TempPathFactory, logs: Path) -> Iterator[Server]:
    """A `chroma run` server on loopback (tests may stop and start it again)."""
    server = chroma_server(tmp_path_factory.mktemp("chroma"), logs).start(timeout=60)
    yield server
    server.stop()


def http_env(chroma: Server) -> dict[str, str]:
    return {
        "ASSISTANT_CHROMA_MODE": "http",
        "ASSISTANT_CHROMA_HOST": "127.0.0.1",
        "ASSISTANT_CHROMA_PORT": str(chroma.port),
        "ASSISTANT_CORPUS_DIR": str(PROJECT_ROOT / "corpus"),
    }


@pytest.fixture(scope="session")
def http_settings(chroma: Server, services: Services) -> Settings:
    """Settings for the Chroma server, whose index is built by the same code as an embedded one."""
    settings = Settings(
        chroma_mode="http", chroma_port=chroma.port, corpus_dir=PROJECT_ROOT / "corpus"
    )
    indexer = Services(settings)
    indexer.embeddings = services.embeddings  # the same model, already loaded
    report = indexer.build_index()
    assert report.passages_embedded > 0
    return settings


@pytest.fixture(scope="session")
def api(
    http_settings: Settings, chroma: Server, logs: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StartedApi]:
    """`assistant serve --workers 2` over the Chroma server, started while that server is down:
    the API must come up anyway and start answering when the server is back, unrestarted."""
    env = {
        **http_env(chroma),
        "ASSISTANT_DATA_DIR": str(tmp_path_factory.mktemp("api-data")),
        "ASSISTANT_STORE_RETRY_SECONDS": "0.5",
    }
    chroma.stop()
    server = api_server(env, logs, workers=WORKERS)
    try:
        server.start()
        first = server.get("/readyz")
        chroma.start(timeout=60)
        # Every worker loads in the background, and readiness is per worker: which worker
        # answers /readyz is the kernel's choice, so wait for each one's log line as well.
        server.wait_until(
            lambda: (
                server.output().count(RECOVERED) >= WORKERS
                and server.get("/readyz").status_code == 200
            ),
            300,
        )
        yield StartedApi(server, first)
    finally:
        server.stop()
        if not chroma.alive:
            chroma.start(timeout=60)
