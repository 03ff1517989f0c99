"""``assistant staff …``: staff accounts and their tokens. Passwords are read from standard
input, never from the command line, so that they stay out of shell history and `ps`."""

from __future__ import annotations

import getpass
import json
import sys
from typing import Annotated

import typer

from assistant.config import Settings
from assistant.failure import fail
from assistant.runtime import Services
from assistant.staff.errors import InvalidStaffInput
from retrieval.errors import AssistantError

staff_app = typer.Typer(no_args_is_help=True, help="Staff accounts and their API tokens.")

Email = Annotated[str, typer.Argument(help="The staff member's e-mail address.")]


def read_password() -> str:
    """Twice at a terminal (hidden); otherwise the first line of standard input, so that a
    script can pipe it in (`printf '%s\\n' "$PASSWORD" | assistant staff add EMAIL`)."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise InvalidStaffInput("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise InvalidStaffInput("no password on standard input")
    return line.rstrip("\r\n")


@staff_app.command("add")
def add(email: Email) -> None:
    """Add a staff account; its password is read from standard input."""
    from assistant.staff.accounts import add_staff

    try:
        password = read_password()
        services = Services(Settings())
        member = add_staff(services.database, email, password, now=services.clock())
    except AssistantError as error:
        fail(error)
    typer.echo(f"Added {member.email}. Sign in at /signin, or make a token: staff token EMAIL.")


@staff_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the staff accounts (never a password or a token)."""
    from assistant.staff.accounts import list_staff

    try:
        members = list_staff(Services(Settings()).database)
    except AssistantError as error:
        fail(error)
    if as_json:
        rows = [
            {"email": m.email, "created_at": m.created_at.isoformat(), "tokens": m.tokens}
            for m in members
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    if not members:
        typer.echo("No staff accounts: add one with `assistant staff add EMAIL`.")
    for m in members:
        typer.echo(f"{m.email}  added {m.created_at:%Y-%m-%d}  tokens: {m.tokens}")


@staff_app.command("remove")
def remove(email: Email) -> None:
    """Remove a staff account, with its tokens and sign-ins (they stop working at once)."""
    from assistant.staff.accounts import remove_staff

    try:
        remove_staff(Services(Settings()).database, email)
    except AssistantError as error:
        fail(error)
    typer.echo(f"Removed {email.strip().lower()} and its tokens and sessions.")


@staff_app.command("token")
def token(email: Email) -> None:
    """Make an API token for scripts (`Authorization: Bearer TOKEN`); it is printed once."""
    from assistant.staff.tokens import issue_token

    try:
        services = Services(Settings())
        issued = issue_token(services.database, email, now=services.clock())
    except AssistantError as error:
        fail(error)
    # The token alone on stdout (TOKEN=$(assistant staff token …)); the rest on stderr.
    typer.echo(issued.token)
    typer.echo(
        f"Keep it now: it is not shown again. Revoke it with "
        f"`assistant staff revoke-token {issued.prefix}`.",
        err=True,
    )


@staff_app.command("tokens")
def tokens(
    email: Annotated[str | None, typer.Argument(help="Only this staff member's.")] = None,
) -> None:
    """List tokens by the prefix shown when they were made."""
    from assistant.staff.tokens import list_tokens

    try:
        found = list_tokens(Services(Settings()).database, email)
    except AssistantError as error:
        fail(error)
    if not found:
        typer.echo("No tokens.")
    for t in found:
        typer.echo(f"{t.prefix}…  {t.email}  made {t.created_at:%Y-%m-%d %H:%M} UTC")


@staff_app.command("revoke-token")
def revoke_token(
    which: Annotated[
        str,
        typer.Argument(
            help="A token's prefix (as `staff tokens` lists it), or a staff member's e-mail "
            "to revoke all their tokens."
        ),
    ],
) -> None:
    """Revoke a token (by its prefix) or every token of a staff member (by e-mail)."""
    from assistant.staff import tokens as staff_tokens

    try:
        db = Services(Settings()).database
        if "@" in which:
            count = staff_tokens.revoke_all_tokens(db, which)
        else:
            count = staff_tokens.revoke_token(db, which)
    except AssistantError as error:
        fail(error)
    typer.echo(f"Revoked {count} token{'s' if count != 1 else ''}.")
