"""Alembic, driven from the package: the migrations ship inside it, so ``assistant db upgrade``
works from a checkout, an installed wheel and the image alike (no alembic.ini to find)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import DBAPIError

from assistant.db.engine import Database, unavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(database: Database) -> str | None:
    """The revision the database is at (None: not migrated yet)."""
    try:
        with database.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as exc:
        raise unavailable(exc) from None


def upgrade(database: Database) -> tuple[str | None, str | None]:
    """Migrates to the latest revision; returns (before, after). Safe to run again."""
    config = alembic_config()
    with _sqlite_lock(database):
        before = current(database)
        try:
            with database.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except DBAPIError as exc:
            raise unavailable(exc) from None
    return before, current(database)


@contextmanager
def _sqlite_lock(database: Database) -> Iterator[None]:
    """With several workers on one SQLite file, one migrates while the others wait (on
    PostgreSQL, env.py takes an advisory lock instead)."""
    path = database.sqlite_file
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".migrate-lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def open_database(url: str) -> Database:
    """The database at ``url``; a SQLite one is migrated first (it needs no operator), a
    server's is expected to be migrated already by ``assistant db upgrade``."""
    database = Database(url)
    if database.is_sqlite:
        upgrade(database)
    return database
