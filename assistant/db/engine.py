"""The engine and transactions of the one database (``Settings.database``).

SQLite by default: a file under the data folder, nothing to set up, migrated when first opened
(see ``open_database``). PostgreSQL (``postgresql+psycopg://…``) when replicas share the data;
it is migrated once by ``assistant db upgrade`` (the compose file's ``migrate`` service).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from assistant.db.errors import DatabaseUnavailable


class Database:
    """An engine and its sessions; ``with db.session() as s:`` is one transaction."""

    def __init__(self, url: str) -> None:
        try:
            self.url: URL = make_url(url)
        except ArgumentError:
            raise DatabaseUnavailable(
                "ASSISTANT_DATABASE_URL is not a database URL (e.g. "
                "postgresql+psycopg://user:password@host:5432/assistant)"
            ) from None
        try:
            self.engine = _engine(self.url)
        except (NoSuchModuleError, ImportError):
            raise DatabaseUnavailable(
                f"no driver for {self.url.drivername!r}: use sqlite:///FILE or "
                "postgresql+psycopg://…"
            ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_file(self) -> Path | None:
        if not self.is_sqlite or self.url.database in (None, "", ":memory:"):
            return None
        return Path(self.url.database or "")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed at the end of the block, rolled back on any error."""
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            if not exc.connection_invalidated and _is_integrity(exc):
                raise  # a constraint: the caller turns it into a message about the input
            raise unavailable(exc) from None

    def dispose(self) -> None:
        self.engine.dispose()


def unavailable(exc: DBAPIError) -> DatabaseUnavailable:
    # The driver's message may name the host or the file: kept for the operator (the CLI and
    # the server log), while the API answers with DatabaseUnavailable.public only.
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    return DatabaseUnavailable(
        f"the database cannot be used ({reason}); check ASSISTANT_DATABASE_URL and run "
        "`assistant db upgrade`"
    )


def _is_integrity(exc: DBAPIError) -> bool:
    from sqlalchemy.exc import IntegrityError

    return isinstance(exc, IntegrityError)


def _engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A server restarted under us: a stale pooled connection is replaced, not served an error.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # Tokens and sessions go with their staff member (ON DELETE CASCADE needs this in SQLite);
    # WAL lets the workers of one host read while one writes.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
