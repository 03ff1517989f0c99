"""The answers' own sentences in the 24 languages: the same keys and placeholders as English,
plural tables by CLDR's categories, English where a language is unknown, dates as each
language writes them."""

from __future__ import annotations

import string
import tomllib
from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from assistant.locales import DEFAULT, Text, catalog, entries, languages, plural_form, resolve
from assistant.locales import HERE as LOCALES_DIR
from assistant.locales.dates import when
from assistant.precheck import RuleSet, load_rules
from retrieval.corpus import Corpus

ENGLISH = entries("answers", DEFAULT)
OTHERS = [code for code in languages() if code != DEFAULT]


@pytest.fixture(scope="module")
def rules(corpus: Corpus) -> RuleSet:
    return load_rules(corpus)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_official_language_has_an_answers_file() -> None:
    assert len(languages()) == 24
    assert ENGLISH
    for code in languages():
        assert entries("answers", code), f"{code}/answers.toml is missing or empty"


# Every area of texts: the answers' own sentences, the pre-check's, the widget's (and the demo
# page's), the helpdesk draft's.
AREAS = ("answers", "precheck", "widget", "drafts")


def forms(text: Text) -> list[str]:
    return list(text.values()) if isinstance(text, dict) else [text]


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("code", OTHERS)
def test_each_file_has_exactly_the_english_keys_and_placeholders(area: str, code: str) -> None:
    path = LOCALES_DIR / code / f"{area}.toml"
    tomllib.loads(path.read_text(encoding="utf-8"))  # valid TOML, or a readable error here
    english, own = entries(area, DEFAULT), entries(area, code)
    assert sorted(set(english) - set(own)) == [], f"{code}/{area}.toml lacks these keys"
    assert sorted(set(own) - set(english)) == [], f"{code}/{area}.toml has keys English lacks"
    for key, source in english.items():
        text = own[key]
        # A count's text has a form per plural category, in every language or in none.
        assert isinstance(text, dict) == isinstance(source, dict), (area, key)
        wanted = set().union(*(placeholders(t) for t in forms(source)))
        for template in forms(text):
            assert placeholders(template) == wanted, (code, area, key, template)
            assert template.strip(), (code, area, key)


@pytest.mark.parametrize("code", list(languages()))
def test_plural_tables_cover_the_languages_cldr_categories(code: str) -> None:
    tags = set(Locale.parse(code).plural_form.tags) | {"other"}
    tables = {k: v for k, v in entries("answers", code).items() if isinstance(v, dict)}
    assert set(tables) == {k for k, v in ENGLISH.items() if isinstance(v, dict)}
    for key, table in tables.items():
        assert set(table) == tags, (code, key)


def test_a_count_takes_the_languages_plural_form() -> None:
    polish = catalog("answers", "pl")
    one, few, many = (polish.count("deadline.days", n) for n in (1, 2, 5))
    assert one != many
    assert "1" in one
    assert "5" in many
    assert "2" in few
    assert (plural_form("pl", 1), plural_form("pl", 2), plural_form("pl", 5)) == (
        "one",
        "few",
        "many",
    )
    assert plural_form("ga", 2) == "two"
    english = catalog("answers", "en")
    assert english.count("deadline.days", 1) == "1 day"
    assert english.count("deadline.days", 5) == "5 days"


def test_a_text_that_depends_on_a_count_is_not_given_without_one() -> None:
    with pytest.raises(TypeError, match="count"):
        catalog("answers", "fr").text("deadline.days")
    with pytest.raises(KeyError, match="no text"):
        catalog("answers", "fr").text("no.such.key")


def test_an_unknown_language_answers_in_english() -> None:
    for tag in ("xx", "zh-CN", "", "klingon"):
        unknown = catalog("answers", tag)
        assert unknown.code == DEFAULT
        assert unknown.text("not_found") == ENGLISH["not_found"]
    assert catalog("answers", "fr").text("not_found") != ENGLISH["not_found"]


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("pt-BR", "pt"),
        ("PT_br", "pt"),
        ("fr-BE", "fr"),
        ("de", "de"),
        ("EL", "el"),
        ("ga-IE", "ga"),
        ("zh-CN", "en"),
        ("xx", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_a_language_tag_resolves_to_one_of_the_24(tag: str | None, code: str) -> None:
    assert resolve(tag) == code


def test_the_deadline_is_written_as_each_language_writes_dates(rules: RuleSet) -> None:
    deadline = rules.deadline
    assert deadline.tzinfo is not None
    assert when(deadline, "en") == ("22 April 2025", "12:00", "Brussels")
    assert when(deadline, "fr") == ("22 avril 2025", "12:00", "Bruxelles")
    assert when(deadline, "de")[0] == "22. April 2025"
    for code in languages():
        day, time, place = when(deadline, code)
        assert "2025" in day, code
        assert "22" in day, code
        assert time == "12:00", code
        assert place, code


def test_a_moment_is_written_in_its_own_time_zone(rules: RuleSet) -> None:
    utc = rules.deadline.astimezone(ZoneInfo("UTC"))
    assert when(utc, "en")[1] == "10:00"  # 12:00 in Brussels (CEST) is 10:00 UTC
