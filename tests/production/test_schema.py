"""Schemathesis against the app's own OpenAPI document: generated requests, valid and not,
to every operation; none may get a server error or a stack trace."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from staff_helpers import add_staff, token_for

from assistant.api.app import create_app
from assistant.runtime import Services

# Per operation and mode: bounded so that the whole run stays well under a minute.
EXAMPLES = 15


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


def checker(headers: dict[str, str]) -> Any:
    def check(case: Any) -> None:
        verify(case.call(headers=headers), case)

    return check


def verify(response: Any, case: Any) -> None:
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text}"
    assert "Traceback" not in response.text, where
    assert 'File "' not in response.text, where


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_gets_a_server_error(
    app: FastAPI, mode: GenerationMode, bearer: dict[str, str]
) -> None:
    # Driven by hand (not schemathesis' pytest plugin): the app comes from session fixtures.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/chat", "/api/precheck", "/readyz"}
    for operation in operations:
        run = settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(given(case=operation.as_strategy(generation_mode=mode))(checker(bearer)))
        try:
            run()
        except Unsatisfiable:
            # No invalid request exists for an operation without inputs (GET /healthz).
            assert mode == GenerationMode.NEGATIVE, operation.path
