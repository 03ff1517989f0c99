"""``assistant db …``: the database's schema."""

from __future__ import annotations

import typer

from assistant.config import Settings
from assistant.failure import fail
from retrieval.errors import AssistantError

db_app = typer.Typer(no_args_is_help=True, help="The database of staff accounts and ratings.")


@db_app.command("upgrade")
def upgrade() -> None:
    """Migrate the database (ASSISTANT_DATABASE_URL) to this version's schema; safe to rerun."""
    from assistant.db import migrate
    from assistant.db.engine import Database

    try:
        database = Database(Settings().database)
        before, after = migrate.upgrade(database)
    except AssistantError as error:
        fail(error)
    change = "already" if before == after else f"from {before or 'empty'} to"
    typer.echo(f"Database {change} revision {after}.")
