"""One way to say what is wrong with validated input, for the API, the CLI and the evaluation:
the field's path and the problem, never pydantic's echo of the value (a profile is personal
data, and a long value would be repeated whole)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

from pydantic import BeforeValidator


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


def _not_blank_pattern() -> str:
    """A JSON Schema pattern for "holds a character that ``str.strip()`` keeps".

    ``\\S`` is not it: ECMA-262's whitespace differs from Python's (U+001C-U+001F and U+0085 are
    whitespace to Python only, U+FEFF to ECMA-262 only), so the class lists Python's own.
    """
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    return "[^" + "".join(f"\\u{ord(c):04x}" for c in spaces) + "]"


# The pattern of a text that must not be only whitespace (a question, a search query).
NOT_BLANK = _not_blank_pattern()


def _json_integer(value: Any) -> Any:
    # JSON Schema's integer is a number without a fraction: 3 and 3.0, never true or "3", which
    # pydantic's lax int would read as 1 and 3. Whole floats go on to pydantic, which takes them.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Input should be a valid integer")
    return value


# An integer field of a JSON body, as `type: integer` means it.
JsonInt = Annotated[int, BeforeValidator(_json_integer)]
