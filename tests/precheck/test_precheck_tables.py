"""Country and language tables."""

from __future__ import annotations

import pytest

from assistant.precheck.countries import EU_MEMBER_STATES, country_code, is_eu_member_state
from assistant.precheck.languages import (
    OFFICIAL_EU_LANGUAGES,
    is_official_eu_language,
    language_code,
    level_rank,
    normalize_level,
)


def test_27_member_states_and_24_languages() -> None:
    assert len(EU_MEMBER_STATES) == 27
    assert len(OFFICIAL_EU_LANGUAGES) == 24


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("BE", "BE"),
        ("be", "BE"),
        ("EL", "GR"),
        ("GR", "GR"),
        ("Greece", "GR"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("netherlands", "NL"),
        ("The Netherlands", "NL"),
        ("  united   kingdom ", "GB"),
        ("UK", "GB"),
        ("Norway", "NO"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
    ],
)
def test_country_codes_and_names(value: str, code: str) -> None:
    assert country_code(value) == code


@pytest.mark.parametrize("code", ["NO", "CH", "IS", "LI", "GB", "US", "TR", "UA"])
def test_non_eu_countries(code: str) -> None:
    assert not is_eu_member_state(code)


def test_unknown_country() -> None:
    with pytest.raises(ValueError, match="unknown country 'Narnia'"):
        country_code("Narnia")


@pytest.mark.parametrize(
    ("value", "code"),
    [("en", "en"), ("EN", "en"), ("English", "en"), ("greek", "el"), ("Irish", "ga"),
     ("Slovene", "sl"), ("Slovenian", "sl"), ("Flemish", "nl"), ("ru", "ru"), ("Turkish", "tr")],
)  # fmt: skip
def test_language_codes_and_names(value: str, code: str) -> None:
    assert language_code(value) == code


def test_official_languages() -> None:
    assert is_official_eu_language("ga")
    assert is_official_eu_language("mt")
    assert not is_official_eu_language("ru")
    assert not is_official_eu_language("no")


def test_levels() -> None:
    assert normalize_level("c1") == "C1"
    assert normalize_level("Native") == "native"
    assert level_rank("native") == level_rank("C2") > level_rank("C1") > level_rank("B2")
    with pytest.raises(ValueError, match="'B3'"):
        normalize_level("B3")
