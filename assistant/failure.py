"""How the `assistant` commands end on a domain error: its message, and its own exit code."""

from __future__ import annotations

from typing import NoReturn

import typer

from retrieval.errors import AssistantError


def fail(error: AssistantError) -> NoReturn:
    typer.secho(f"Error: {error}", fg=typer.colors.RED, err=True)
    raise typer.Exit(error.exit_code)
