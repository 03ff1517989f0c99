"""The published schema of a profile accepts exactly what the validator accepts: the patterns
and enums are built from the validator's tables, and the validator checks them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import ValidationError

from assistant.precheck import Profile
from assistant.precheck.countries import COUNTRY_PATTERN
from assistant.precheck.languages import LANGUAGE_PATTERN, LEVEL_SPELLINGS
from assistant.precheck.models import EARLIEST_WORK
from assistant.precheck.spellings import dates_from, years_from

TODAY = {"today": date(2025, 6, 1)}


def schema_of(field: str, *path: str) -> dict[str, object]:
    """The JSON Schema of a profile's field, as /openapi.json publishes it."""
    schema = Profile.model_json_schema()
    node = schema["properties"][field]
    for step in path:
        node = schema["$defs"][step] if step in schema["$defs"] else node[step]
    return node  # type: ignore[no-any-return]


def accepted(data: dict[str, object]) -> bool:
    try:
        Profile.model_validate(data, context=TODAY)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("value", "ok"),
    [("fr", True), ("FR", True), ("French", True), ("  fRENCH ", True), ("Modern   Greek", True),
     ("Provençal", True), ("PROVENÇAL", True), ("", False), ("Klingon", False),
     ("French\n", False), ("\tFrench", False), ("Fre nch", False)],
)  # fmt: skip
def test_a_language_is_accepted_exactly_when_the_schema_pattern_matches(
    value: str, ok: bool
) -> None:
    published = re.compile(LANGUAGE_PATTERN)
    # JSON Schema's `$` is the very end of the value (ECMA-262), not before a final newline.
    assert (published.fullmatch(value) is not None) is ok
    assert accepted({"languages": [{"language": value, "level": "B2"}]}) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [("BE", True), ("be", True), ("belgium", True), ("Côte d'Ivoire", True),
     ("", False), ("Narnia", False), ("Belgium\n", False)],
)  # fmt: skip
def test_a_nationality_is_accepted_exactly_when_the_schema_pattern_matches(
    value: str, ok: bool
) -> None:
    assert (re.compile(COUNTRY_PATTERN).fullmatch(value) is not None) is ok
    assert accepted({"nationalities": [value]}) is ok


def test_levels_are_the_published_enum_and_nothing_else() -> None:
    enum = schema_of("languages", "anyOf")[0]["items"]  # type: ignore[index]
    level = Profile.model_json_schema()["$defs"]["LanguageSkill"]["properties"]["level"]
    assert enum == {"$ref": "#/$defs/LanguageSkill"}
    assert level["enum"] == list(LEVEL_SPELLINGS)
    for spelling in LEVEL_SPELLINGS:
        assert accepted({"languages": [{"language": "en", "level": spelling}]}), spelling
    for spelling in ("", " C1", "c3", "nAtive", "C1 "):
        assert not accepted({"languages": [{"language": "en", "level": spelling}]}), spelling


def test_the_schema_states_the_earliest_date_the_validator_takes() -> None:
    assert years_from(1950) == "(?:1950|195[1-9]|19[6-9][0-9]|[2-9][0-9][0-9][0-9])"
    pattern = re.compile(dates_from(EARLIEST_WORK))
    for day, ok in (("1949-12-31", False), ("1950-01-01", True), ("2019-09-01", True)):
        assert (pattern.fullmatch(day) is not None) is ok
        assert accepted({"experience": [{"start": day, "end": None}]}) is ok, day


@pytest.mark.parametrize("value", ["1546300800", "20190901", "2019-09-01T00:00:00"])
def test_a_date_is_an_iso_date_string_only(value: str) -> None:
    assert not accepted({"experience": [{"start": value, "end": None}]})


@pytest.mark.parametrize("value", ["1745136000", "2025-04-20 10:00:00+02:00"])
def test_submitted_at_is_an_rfc_3339_date_time_only(value: str) -> None:
    assert accepted({"submitted_at": "2025-04-20T10:00:00+02:00"})
    assert not accepted({"submitted_at": value})
