"""JSON Schema patterns for the names the pre-check accepts, built from the validator's own tables.

JSON Schema regexes have no flags, so "any case" is spelled with a character class per letter
(``[fF][rR]…``). The validators check the same pattern before looking a name up: what the
published schema allows is exactly what is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

# The shapes of RFC 3339's full-date and date-time, as `format: date` and `format: date-time`
# mean them: pydantic alone also reads "1546300800" as a Unix timestamp and "2019-01-31 10:00"
# (a space) as a date-time, which the schema says are not dates. For `fullmatch`. The time and
# offset are optional here so that a value without an offset is refused saying so (_aware).
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?",
    re.IGNORECASE,
)

# Characters with a meaning in a regex, outside a character class (ECMA-262 and Python alike).
_SPECIAL = frozenset("\\^$.|?*+()[]{}")


def _letter(character: str) -> str:
    upper = character.upper()
    if len(upper) == 1 and upper != character:
        return f"[{character}{upper}]"
    return "\\" + character if character in _SPECIAL else character


def any_case_pattern(spellings: Iterable[str]) -> str:
    """A pattern for each of ``spellings`` (lower case, words separated by one space) in any
    letter case, with spaces around it and one or more spaces between its words.

    The spellings share their common starts (a trie: ``[aA](?:[fF]…|[lL]…)``), which keeps the
    pattern, and the work of generating values from it, a fraction of a plain alternation's.
    """
    tokens = [[" +" if c == " " else _letter(c) for c in word] for word in set(spellings)]
    return "^ *" + _alternatives(tokens) + " *$"


def _alternatives(words: list[list[str]]) -> str:
    """A regex for the token sequences ``words``, sharing their common first tokens."""
    ends_here = any(not word for word in words)
    following: dict[str, list[list[str]]] = {}
    for word in words:
        if word:
            following.setdefault(word[0], []).append(word[1:])
    options = [first + _alternatives(rest) for first, rest in sorted(following.items())]
    if not options:
        return ""
    if ends_here:
        return "(?:" + "|".join(options) + ")?"
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


def matches(pattern: re.Pattern[str], value: str) -> bool:
    """Whether ``value`` matches as JSON Schema reads ``pattern`` (its ``$`` is the very end, not
    also before a final newline, as Python's is: hence ``fullmatch``)."""
    return pattern.fullmatch(value) is not None


def years_from(year: int) -> str:
    """A regex for the four-digit years from ``year`` on (1950: 1950|195[1-9]|19[6-9]…)."""
    digits = f"{year:04d}"
    options = [digits]
    for position in range(3, -1, -1):
        digit = int(digits[position])
        if digit < 9:
            free = "[0-9]" * (3 - position)
            options.append(f"{digits[:position]}[{digit + 1}-9]{free}")
    return "(?:" + "|".join(options) + ")"


def dates_from(earliest: date) -> str:
    """A pattern for ISO dates (YYYY-MM-DD) on or after ``earliest``, a 1 January."""
    if (earliest.month, earliest.day) != (1, 1):
        raise ValueError("only a 1 January bound can be a pattern on the year")
    return f"^{years_from(earliest.year)}-[0-9]{{2}}-[0-9]{{2}}$"
