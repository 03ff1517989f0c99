"""The pre-check's own sentences in the candidate's language (``locales/<code>/precheck.toml``).

Only the pre-check's own words change language: the call's quotes stay its exact English words.
Names of languages and countries, dates and decimal signs come from CLDR through Babel, except in
English, which keeps the names of the tables the profile is validated against (ISO's), so that
English output stays what it always was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from assistant.locales import DEFAULT, Text, catalog, entries, resolve
from assistant.precheck.countries import country_name
from assistant.precheck.languages import language_name

if TYPE_CHECKING:
    from babel import Locale

    from assistant.precheck.rules import RuleSet

AREA = "precheck"
# "Function Group IV": the number is kept, the words are the language's own EU term.
_FUNCTION_GROUP = re.compile(r"Function Group ([IVX]+)")


@dataclass(frozen=True)
class Texts:
    """The pre-check's texts in one of the 24 languages (English where a key is missing)."""

    code: str
    _own: dict[str, Text] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_own", {**entries(AREA, DEFAULT), **entries(AREA, self.code)})

    def text(self, key: str, **params: object) -> str:
        return catalog(AREA, self.code).text(key, **params)

    def count(self, key: str, amount: float, **params: object) -> str:
        """The text for ``amount`` of something, shown as ``{n}`` in the language's decimals.

        Not ``Catalog.count``: years of study may be 2.5, and CLDR gives fractions their own
        category (Polish "2,5 roku", Czech "2,5 roku" against "2 roky").
        """
        template = self._own[key]
        shown = f"{amount:g}"
        if isinstance(template, dict):
            form = str(_locale(self.code).plural_form(Decimal(shown)))
            template = template.get(form, template["other"])
        return template.format(n=self.number(shown), **params)

    def number(self, shown: str) -> str:
        """A number already written with a decimal point (``f"{x:g}"``), in the language's
        decimal sign: 24,03 in German."""
        if self.code == DEFAULT:
            return shown
        from babel.numbers import get_decimal_symbol

        return shown.replace(".", get_decimal_symbol(self.code))

    def date(self, day: date) -> str:
        from babel.dates import format_date

        return format_date(day, self.text("format.date"), locale=self.code)

    def time(self, moment: time) -> str:
        """A wall-clock time, as given (naive: the zone is said beside it)."""
        from babel.dates import format_time

        return format_time(moment, self.text("format.time"), locale=self.code)

    def language(self, code: str) -> str:
        """A language's name as a sentence shows it (Polish "język francuski")."""
        name = language_name(code)
        if self.code != DEFAULT:
            name = _locale(self.code).languages.get(code, name)
        return self.text("language.name", name=name)

    def country(self, code: str) -> str:
        name = country_name(code)
        if self.code != DEFAULT:
            name = _locale(self.code).territories.get(code, name)
        return name

    def quoted(self, quote: str) -> str:
        return self.text("quote", quote=quote)

    def joined(self, items: list[str]) -> str:
        """``A and B and C``, with the language's "and"."""
        result = items[0]
        for item in items[1:]:
            result = self.text("list.pair", first=result, second=item)
        return result

    def function_group(self, group: str) -> str:
        match = _FUNCTION_GROUP.fullmatch(group)
        if match is None:  # another wording in a rules file: shown as the file has it
            return group
        return self.text("epso_cast.function_group", number=match.group(1))


@cache
def texts(lang: str | None) -> Texts:
    """The texts of ``lang`` (a tag such as "pl-PL"); English for an unknown language."""
    return Texts(resolve(lang))


@cache
def _locale(code: str) -> Locale:
    # Babel is imported where a language other than English needs it: off the start path.
    from babel import Locale

    return Locale.parse(code)


def criterion_label(rules: RuleSet, criterion_id: str, lang: str | None) -> str:
    """A criterion's name in ``lang``: "Nationalität eines EU-Mitgliedstaats".

    The translations are of the label the rules file gives. When that label has changed (another
    threshold: "(5 years)") and the English entry no longer matches it, the rules' own label is
    given rather than a translation of a label that no longer holds.
    """
    label = rules.get(criterion_id).label
    key = f"criterion.{criterion_id}"
    english = entries(AREA, DEFAULT).get(key)
    if english != label:
        return label
    return texts(lang).text(key)
