"""``assistant feedback …``: candidates' ratings, in the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

import typer

from assistant.config import Settings
from assistant.failure import fail
from assistant.runtime import Services
from retrieval.errors import AssistantError, InvalidQuery

feedback_app = typer.Typer(no_args_is_help=True, help="Candidates' ratings of answers.")


@feedback_app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="A feedback.jsonl file to import."
        ),
    ],
) -> None:
    """Import a feedback JSONL file (as earlier versions wrote); a second import adds nothing."""
    from assistant.feedback.store import import_feedback

    try:
        report = import_feedback(Services(Settings()).database, file)
    except AssistantError as error:
        fail(error)
    typer.echo(f"Imported {report.added} ratings ({report.skipped} were already there).")


@feedback_app.command("export")
def export(
    rating: Annotated[
        Literal["up", "down"] | None, typer.Option(help="Only these ratings.")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="From this day (UTC).")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="To this day (UTC).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(dir_okay=False, help="Write here; default: standard output.")
    ] = None,
) -> None:
    """Export ratings as evaluation cases (an answers set: `assistant eval FILE`). Each case's
    `must_contain` is empty, for staff to fill in with what a right answer holds."""
    from assistant.feedback.export import as_jsonl
    from assistant.feedback.store import FeedbackFilter, all_feedback

    where = FeedbackFilter(
        rating=rating,
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    try:
        records = all_feedback(Services(Settings()).database, where)
        text = as_jsonl(records)
        if out is None:
            typer.echo(text, nl=False)
        else:
            try:
                out.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise InvalidQuery(f"cannot write {out}: {exc.strerror}") from None
    except AssistantError as error:
        fail(error)
    typer.echo(f"Exported {len(records)} cases.", err=True)


@feedback_app.command("purge")
def purge(
    older_than: Annotated[
        int, typer.Option("--older-than", min=1, help="Delete ratings older than these days.")
    ],
) -> None:
    """Delete ratings older than DAYS days (retention)."""
    from assistant.feedback.store import purge_feedback

    try:
        services = Services(Settings())
        before = services.clock() - timedelta(days=older_than)
        count = purge_feedback(services.database, before=before)
    except AssistantError as error:
        fail(error)
    typer.echo(f"Deleted {count} ratings made before {before:%Y-%m-%d %H:%M} UTC.")
