"""Schemathesis against the app's own OpenAPI document, with every check: generated requests,
valid and not, to every operation (the staff ones with a bearer token); the app must answer each
as its schema says (status, content type, headers, body) and accept exactly what it documents.

The checks' exceptions (422 for rules across fields, 413 for the body limit) are configured in
schemathesis.toml at the repository's root, with their reasons, for this test and the CLI alike.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
import schemathesis.engine
from fastapi import FastAPI
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from schemathesis.generation import GenerationMode
from staff_helpers import add_staff, token_for

from assistant.api.app import create_app
from assistant.config import PROJECT_ROOT
from assistant.runtime import Services

# Fuzzed cases per operation and mode (the coverage phase adds its own, mostly for the profile):
# bounded so that the two runs take about 45 s on two cores.
EXAMPLES = 3
SEED = 20250420  # a fixed seed with deterministic generation: the same requests in every run
PHASES = ["examples", "coverage", "fuzzing"]


@pytest.fixture(scope="module")
def bearer(services: Services) -> dict[str, str]:
    """A staff token, so that the staff endpoints are fuzzed past their sign-in."""
    email = "schema-fuzzer@ec.europa.eu"
    add_staff(services.settings.database, email)
    return {"Authorization": f"Bearer {token_for(services.settings.database, email)}"}


@pytest.fixture(scope="module")
def app(services: Services) -> FastAPI:
    # The session's loaded services, without the rate limit: every generated request comes
    # from the same client, and a 429 would hide what the request does.
    fuzzed = Services(services.settings.model_copy(update={"rate_limit_per_minute": 0}))
    fuzzed.__dict__.update({k: v for k, v in services.__dict__.items() if k != "settings"})
    return create_app(services=fuzzed)


def configured(mode: GenerationMode, headers: dict[str, str]) -> SchemathesisConfig:
    """The repository's configuration, with what `schemathesis run --checks all` would add."""
    config = SchemathesisConfig.from_path(PROJECT_ROOT / "schemathesis.toml")
    config.update(seed=SEED, max_failures=None)
    override = config.projects.override
    override.update(headers=headers, workers=1)
    override.phases.update(phases=PHASES)
    override.checks.update(included_check_names=["all"])
    override.generation.update(
        modes=[mode], max_examples=EXAMPLES, deterministic=True, database="none"
    )
    return config


def failures_of(stream: Any) -> tuple[list[str], set[str]]:
    """Each failed check or error of a run, readably, and the operations that were tested."""
    failures: list[str] = []
    tested: set[str] = set()
    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            tested.add(event.recorder.label)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        curl = check.failure_info.code_sample.splitlines()[-1][:500]
                        failures.append(
                            f"{event.recorder.label}: {check.name}: {failure.title}\n"
                            f"  {failure.message[:500]}\n  {curl}"
                        )
        elif isinstance(event, events.NonFatalError):
            failures.append(f"{event.label}: error: {event.info.format()[:1000]}")
        elif isinstance(event, events.FatalError):
            failures.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            failures.extend(f"after the run: {f.title}: {f.message}" for f in event.failures)
    return failures, tested


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_keeps_its_contract(
    app: FastAPI, mode: GenerationMode, bearer: dict[str, str]
) -> None:
    config = configured(mode, bearer)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert {"POST /api/chat", "POST /api/draft", "GET /api/feedback"} <= operations

    failures, tested = failures_of(schemathesis.engine.from_schema(schema).execute())

    assert tested == operations, f"not tested: {sorted(operations - tested)}"
    assert not failures, f"{len(failures)} failures:\n" + "\n\n".join(failures)
