"""Texts in the candidate's language: one folder per official EU language, one file per area.

``<code>/answers.toml`` holds the answers' own sentences (the call's quotes stay verbatim
English), ``<code>/precheck.toml`` the pre-check's, ``<code>/widget.toml`` the widget's, the form's
and the demo page's. Values are ``str.format`` templates; a value that depends on a count is a
table of CLDR plural categories (``one``, ``few``, ``many``, ``other``…), chosen by Babel's rules
for the language. A key missing from a language falls back to English, so that a half-written
language still answers (the tests say which keys each language lacks).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DEFAULT = "en"

Text = str | dict[str, str]  # a template, or one per plural category


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself: what the language menu shows
    english: str
    reviewed: bool  # checked by a fluent reader


@cache
def languages() -> dict[str, Language]:
    """The 24 official EU languages, by ISO 639-1 code, in the file's (alphabetical) order."""
    data = tomllib.loads((HERE / "languages.toml").read_text(encoding="utf-8"))
    return {code: Language(code=code, **entry) for code, entry in data.items()}


def resolve(tag: str | None) -> str:
    """A language tag ("fr", "fr-BE", "PT_br") as one of the 24 codes; English otherwise."""
    if not tag:
        return DEFAULT
    code = tag.replace("_", "-").split("-")[0].strip().lower()
    return code if code in languages() else DEFAULT


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Text]:
    """``[deadline] open = …`` as ``deadline.open``; a table of plural categories stays whole."""
    flat: dict[str, Text] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and "other" in value:
            flat[name] = {k: str(v) for k, v in value.items()}
        elif isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def _entries(area: str, code: str) -> dict[str, Text]:
    path = HERE / code / f"{area}.toml"
    if not path.exists():
        return {}
    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def entries(area: str, code: str) -> dict[str, Text]:
    """One language's own entries of an area, without the English fallback."""
    return dict(_entries(area, code))


@dataclass(frozen=True)
class Catalog:
    """The texts of one area in one language, English where the language lacks a key."""

    area: str
    code: str

    def _template(self, key: str) -> Text:
        own = _entries(self.area, self.code)
        if key in own:
            return own[key]
        try:
            return _entries(self.area, DEFAULT)[key]
        except KeyError:
            raise KeyError(f"no text {key!r} in {self.area} ({self.code} or {DEFAULT})") from None

    def text(self, key: str, **params: object) -> str:
        template = self._template(key)
        if isinstance(template, dict):
            raise TypeError(f"{self.area}.{key} depends on a count: use count()")
        return template.format(**params)

    def count(self, key: str, n: int, **params: object) -> str:
        """The text for ``n`` of something, in the plural form the language uses for ``n``."""
        template = self._template(key)
        if isinstance(template, str):
            return template.format(n=n, **params)
        form = plural_form(self.code, n)
        return template.get(form, template["other"]).format(n=n, **params)

    def has(self, key: str) -> bool:
        return key in _entries(self.area, self.code) or key in _entries(self.area, DEFAULT)


@cache
def catalog(area: str, code: str) -> Catalog:
    return Catalog(area, resolve(code))


def plural_form(code: str, n: int) -> str:
    """CLDR's plural category of ``n`` in the language (Polish 5 → "many", Irish 2 → "two")."""
    # Babel carries CLDR's rules for every language; imported here, off the start path.
    from babel import Locale

    return str(Locale.parse(code).plural_form(n))
