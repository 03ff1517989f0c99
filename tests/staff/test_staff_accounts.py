"""`assistant staff …` and `assistant db upgrade`, run as a user would, on SQLite and on
PostgreSQL: accounts, passwords from standard input, tokens, migrations."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from servers import db_upgrade_command
from sqlalchemy import select
from staff_helpers import EMAIL, PASSWORD, add_staff, cli, ok, token_for, upgrade

from assistant.db import migrate
from assistant.db.engine import Database
from assistant.db.models import Base, Staff, StaffToken


def test_db_upgrade_migrates_to_the_models_and_a_second_run_changes_nothing(
    database_url: str,
) -> None:
    env = {"ASSISTANT_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    first = subprocess.run(db_upgrade_command(), env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"Database from empty to revision {migrate.head()}."
    again = ok(cli(database_url, "db", "upgrade"))
    assert again.strip() == f"Database already revision {migrate.head()}."
    database = Database(database_url)
    assert migrate.current(database) == migrate.head()
    # The migrations make exactly the tables the models describe.
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    database.dispose()


def test_the_migrations_ship_inside_the_package() -> None:
    assert migrate.MIGRATIONS.parent.name == "db"
    assert (migrate.MIGRATIONS / "env.py").is_file()
    assert (migrate.MIGRATIONS / "script.py.mako").is_file()
    assert migrate.head() is not None


def test_a_sqlite_database_is_made_and_migrated_when_first_used(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    url = f"sqlite:///{tmp_path / 'new' / 'assistant.db'}"
    ok(cli(url, "staff", "list"))  # no set-up: the file and its tables are made
    assert (tmp_path / "new" / "assistant.db").is_file()
    assert migrate.current(Database(url)) == migrate.head()


def test_staff_accounts_are_added_listed_and_removed(database_url: str) -> None:
    upgrade(database_url)
    assert "No staff accounts" in ok(cli(database_url, "staff", "list"))
    added = ok(cli(database_url, "staff", "add", "  Maria.Rossi@EC.europa.eu ", input=PASSWORD))
    assert added.startswith(f"Added {EMAIL}.")
    assert PASSWORD not in added
    token_for(database_url)
    rows = json.loads(ok(cli(database_url, "staff", "list", "--json")))
    assert [(r["email"], r["tokens"]) for r in rows] == [(EMAIL, 1)]

    # Stored hashed (argon2id), never as typed.
    database = Database(database_url)
    with database.session() as session:
        staff = session.scalars(select(Staff)).one()
        assert staff.password_hash.startswith("$argon2id$")
        assert PASSWORD not in staff.password_hash
        token = session.scalars(select(StaffToken)).one()
        assert len(token.digest) == 64

    duplicate = cli(database_url, "staff", "add", EMAIL, input=PASSWORD + "\n")
    assert duplicate.exit_code == 2
    assert f"there is already a staff account for {EMAIL}" in duplicate.output
    ok(cli(database_url, "staff", "remove", EMAIL))
    with database.session() as session:
        assert session.scalars(select(StaffToken)).all() == []  # the tokens went with it
    database.dispose()
    gone = cli(database_url, "staff", "remove", EMAIL)
    assert gone.exit_code == 2
    assert "there is no staff account" in gone.output


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("maria", PASSWORD, "'maria' is not an e-mail address"),
        (EMAIL, "short", "the password is too short: use at least 12 characters"),
        (EMAIL, "", "no password on standard input"),
    ],
)
def test_bad_accounts_are_refused_saying_why(
    tmp_path: object, email: str, password: str, message: str
) -> None:
    url = f"sqlite:///{tmp_path}/assistant.db"
    result = cli(url, "staff", "add", email, input=password + "\n" if password else "")
    assert result.exit_code == 2
    assert message in result.output
    assert "No staff accounts" in ok(cli(url, "staff", "list"))


def test_tokens_are_revoked_by_prefix_or_all_at_once(database_url: str) -> None:
    upgrade(database_url)
    add_staff(database_url)
    first, second, third = (token_for(database_url) for _ in range(3))
    assert len({first, second, third}) == 3
    assert ok(cli(database_url, "staff", "revoke-token", first[:12])).startswith("Revoked 1 ")
    listed = ok(cli(database_url, "staff", "tokens"))
    assert first[:12] not in listed
    assert second[:12] in listed
    assert ok(cli(database_url, "staff", "revoke-token", EMAIL)).startswith("Revoked 2 ")
    assert "No tokens." in ok(cli(database_url, "staff", "tokens"))
    unknown = cli(database_url, "staff", "revoke-token", "cas_nonexistent")
    assert unknown.exit_code == 2
    assert "no such token" in unknown.output


def test_an_unreachable_database_is_exit_5_and_a_503_that_names_nothing(
    services: object, tmp_path: object
) -> None:
    from fastapi.testclient import TestClient
    from servers import free_port
    from staff_helpers import services_over

    from assistant.api.app import create_app
    from assistant.runtime import Services

    assert isinstance(services, Services)
    url = f"postgresql+psycopg://postgres:s3cret@127.0.0.1:{free_port()}/assistant"
    result = cli(url, "staff", "list")
    assert result.exit_code == 5
    assert "the database cannot be used" in result.output
    nonsense = cli("not a url", "staff", "list")
    assert nonsense.exit_code == 5
    assert "is not a database URL" in nonsense.output

    client = TestClient(create_app(services=services_over(services, url)))
    rating = {"rating": "up", "question": "q", "answer": "a"}
    response = client.post("/api/feedback", json=rating)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert (
        response.json()["detail"]
        == "the database is not available right now; try again in a moment"
    )
    assert "s3cret" not in response.text
    assert "127.0.0.1" not in response.text


@pytest.mark.server
def test_the_server_migrates_sqlite_itself_and_waits_for_postgresql_to_be_migrated(
    database_url: str, indexed_settings: object, tmp_path: object
) -> None:
    from pathlib import Path

    import httpx
    from servers import start_api

    from assistant.config import Settings

    assert isinstance(indexed_settings, Settings)
    assert isinstance(tmp_path, Path)
    env = {
        "ASSISTANT_DATA_DIR": str(indexed_settings.data_dir),
        "ASSISTANT_DATABASE_URL": database_url,
    }
    rating = {"rating": "up", "question": "How long is the contract?", "answer": "A year."}
    with start_api(env, tmp_path) as api:
        first = httpx.post(f"{api.url}/api/feedback", json=rating, timeout=30)
        if database_url.startswith("sqlite"):
            assert first.status_code == 201, first.text
            assert "SchemaNotCurrent" not in api.output()
            return
        # PostgreSQL is never migrated by a replica: it says so at start (the database is
        # opened beside serving, so the line may come just after the first request), refuses
        # ratings with 503 (candidates' answers go on), and takes them once `assistant db
        # upgrade` has run.
        deadline = time.monotonic() + 10
        while '"error": "SchemaNotCurrent"' not in api.output():
            assert time.monotonic() < deadline, api.output()
            time.sleep(0.1)
        assert first.status_code == 503
        assert httpx.post(f"{api.url}/api/chat", json={"message": "Deadline?"}).status_code == 200
        upgrade(database_url)
        again = httpx.post(f"{api.url}/api/feedback", json=rating, timeout=30)
        assert again.status_code == 201, again.text
