"""Alembic's environment: runs on the connection ``assistant.db.migrate`` hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from assistant.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `assistant db upgrade`")

if connection.dialect.name == "postgresql":
    # Two `assistant db upgrade` at once (two deploys) take turns rather than collide.
    connection.execute(text("SELECT pg_advisory_xact_lock(7301220250401)"))

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
)
with context.begin_transaction():
    context.run_migrations()
