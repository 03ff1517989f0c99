"""One way to say what is wrong with validated input, for the API, the CLI and the evaluation:
the field's path and the problem, never pydantic's echo of the value (a profile is personal
data, and a long value would be repeated whole)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def field_path(loc: Sequence[int | str], root: str) -> str:
    """ "nationalities.0" for ("body", "nationalities", 0); ``root`` when it is the whole input."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"]:
        parts = parts[1:]
    return ".".join(parts) or root


def problem(error: Mapping[str, Any]) -> str:
    # Pydantic prefixes the text of a validator's ValueError; the field path already says where.
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


def field_problems(errors: Iterable[Mapping[str, Any]], root: str) -> list[str]:
    """Each error as "path: problem"."""
    return [f"{field_path(e.get('loc', ()), root)}: {problem(e)}" for e in errors]
