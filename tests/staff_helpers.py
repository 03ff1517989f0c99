"""Helpers of the staff and database tests: the real `assistant` command (typer's runner, in
process) and apps over the session's loaded model with a database of the test's own."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from assistant.api.app import create_app
from assistant.runtime import Services

PASSWORD = "correct horse battery staple"
EMAIL = "maria.rossi@ec.europa.eu"
# Loopback: the session cookie is not Secure there, so the test client sends it over http.
LOCAL = "http://127.0.0.1:8000"


def cli(database_url: str, *args: str, input: str | None = None) -> Result:
    from assistant.cli import app

    env = {"ASSISTANT_DATABASE_URL": database_url}
    return CliRunner().invoke(app, list(args), env=env, input=input)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def upgrade(database_url: str) -> None:
    """`assistant db upgrade`, as compose's migrate service runs it (a PostgreSQL database is
    never migrated by the server)."""
    ok(cli(database_url, "db", "upgrade"))


def add_staff(database_url: str, email: str = EMAIL, password: str = PASSWORD) -> None:
    ok(cli(database_url, "staff", "add", email, input=password + "\n"))


def token_for(database_url: str, email: str = EMAIL) -> str:
    return ok(cli(database_url, "staff", "token", email)).strip()


def services_over(services: Services, database_url: str, **settings: Any) -> Services:
    """The session's services (index, model, answerer already loaded) over another database."""
    updated = services.settings.model_copy(update={"database_url": database_url, **settings})
    copy = Services(updated, clock=services.clock)
    kept = {k: v for k, v in services.__dict__.items() if k not in ("settings", "database")}
    copy.__dict__.update(kept)
    return copy


def client_over(services: Services, base_url: str = LOCAL, **options: Any) -> TestClient:
    return TestClient(create_app(services=services), base_url=base_url, **options)


def sign_in(client: TestClient, email: str = EMAIL, password: str = PASSWORD) -> str:
    """Signs the client in; returns the CSRF token to send with writes."""
    response = client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token
