"""The pre-check's own words in the 24 languages: the texts, a result in Polish and German, the API
and the command line; English unchanged. Real rules file, real Babel data, no mocks."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from fastapi.testclient import TestClient
from sample_profiles import ELIGIBLE

from assistant.api.routes.precheck import accepted_language
from assistant.config import PROJECT_ROOT
from assistant.locales import entries, languages
from assistant.precheck import (
    CRITERION_IDS,
    PrecheckResponse,
    PrecheckResult,
    Profile,
    RuleSet,
    criterion_label,
    evaluate,
    load_rules,
    render_table,
)
from assistant.precheck.render import plain_words
from assistant.precheck.texts import texts
from retrieval.corpus import Corpus

CASES_DIR = PROJECT_ROOT / "tests" / "precheck" / "cases"
# sha256 of each English result (JSON, then the table) as the pre-check gave it before its
# sentences moved into locales/en/precheck.toml. Regenerate only for a deliberate change of
# wording: `python tests/test_precheck_languages.py`.
ENGLISH_OUTPUTS = PROJECT_ROOT / "tests" / "precheck" / "english_outputs.json"
NOW = datetime.fromisoformat("2025-06-01T12:00:00+02:00")  # the pre-check tests' clock
OTHERS = [code for code in languages() if code != "en"]

# Norwegian, registered nowhere, Polish native and English B2: reasons with countries, language
# names and levels, quotes in the reason and in notes.
SAMPLE: dict[str, Any] = {
    **ELIGIBLE,
    "nationalities": ["NO"],
    "epso_cast": "none",
    "languages": [{"language": "pl", "level": "native"}, {"language": "en", "level": "B2"}],
}


@pytest.fixture(scope="module")
def rules(corpus: Corpus) -> RuleSet:
    return load_rules(corpus)


def _run(profile: dict[str, Any], rules: RuleSet, lang: str, now: datetime = NOW) -> PrecheckResult:
    return evaluate(
        Profile.model_validate(profile, context={"now": now}), rules, now=now, lang=lang
    )


# --- the texts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(languages()))
def test_plural_tables_have_the_languages_cldr_categories(code: str) -> None:
    categories = set(Locale.parse(code).plural_form.tags) | {"other"}
    tables = {k: v for k, v in entries("precheck", code).items() if isinstance(v, dict)}
    assert tables, "the counts (months, years, periods, languages) are plural tables"
    for key, table in tables.items():
        assert set(table) == categories, key


@pytest.mark.parametrize("code", sorted(languages()))
def test_dates_times_and_counts_format_in_every_language(code: str) -> None:
    t = texts(code)
    assert "2025" in t.date(date(2025, 4, 22))
    assert "12" in t.time(time(12, 0))
    for n in (0, 1, 2, 3, 5, 7, 11, 21, 24, 2.5):
        assert t.number(f"{n:g}") in t.count("experience.whole_months", n)


def test_names_come_from_cldr_in_the_language() -> None:
    assert texts("pl").country("NO") == "Norwegia"
    assert texts("de").country("GR") == "Griechenland"
    assert texts("pl").language("fr") == "język francuski"  # Polish names the language
    assert texts("de").language("fr") == "Französisch"
    # English keeps the names of the tables that validate the profile.
    assert texts("en").country("NL") == "the Netherlands"
    assert texts("en").language("el") == "Greek"


def test_a_language_tag_or_an_unknown_language() -> None:
    assert texts("pl-PL").code == "pl"
    assert texts("zh").code == "en"
    assert texts(None).code == "en"


# --- criterion labels ----------------------------------------------------------------------------


def test_english_labels_are_the_rules_files(rules: RuleSet) -> None:
    for criterion_id in CRITERION_IDS:
        assert criterion_label(rules, criterion_id, "en") == rules.get(criterion_id).label


def test_labels_in_the_candidates_language(rules: RuleSet) -> None:
    assert (
        criterion_label(rules, "nationality", "de") == "Staatsangehörigkeit eines EU-Mitgliedstaats"
    )
    assert criterion_label(rules, "epso_cast", "pl-PL") == "EPSO CAST (grupa funkcyjna IV)"
    assert criterion_label(rules, "nationality", "xx") == "Nationality of an EU Member State"


def test_a_changed_label_is_not_given_an_old_translation(rules: RuleSet) -> None:
    # A rules file asking five years: the translations say two, so the rules' own label is shown.
    changed = rules.get("experience_total").model_copy(
        update={"label": "Professional experience (5 years)"}
    )
    criteria = tuple(changed if c.id == changed.id else c for c in rules.criteria)
    other = RuleSet(**{**vars(rules), "criteria": criteria})
    assert criterion_label(other, "experience_total", "pl") == "Professional experience (5 years)"


# --- a pre-check in Polish and in German ---------------------------------------------------------

EXPECTED = {
    "pl": {
        "nationality": "Żadne z Twoich obywatelstw (Norwegia) nie jest obywatelstwem jednego z 27 "
        "państw członkowskich UE.",
        "english": "Język angielski na poziomie B2; na tym stanowisku wymagany jest poziom C1 "
        "lub wyższy.",
        "main_language": "Język polski (ojczysty) spełnia wymóg minimalnego poziomu C1 w jednym "
        "z języków urzędowych UE.",
    },
    "de": {
        "nationality": "Keine Ihrer Staatsangehörigkeiten (Norwegen) ist die eines der 27 "
        "EU-Mitgliedstaaten.",
        "english": "Englisch auf Niveau B2; die Stelle verlangt C1 oder höher.",
        "main_language": "Polnisch (Muttersprache) erfüllt das Mindestniveau C1 in einer "
        "Amtssprache der EU.",
    },
}


@pytest.mark.parametrize("code", ["pl", "de"])
def test_reasons_in_the_language_quotes_in_the_calls_english(rules: RuleSet, code: str) -> None:
    english, local = _run(SAMPLE, rules, "en"), _run(SAMPLE, rules, code)
    assert local.verdict == english.verdict == "not_eligible"
    assert local.disclaimer != english.disclaimer
    reasons = {c.id: c.reason for c in local.criteria}
    for criterion_id, reason in EXPECTED[code].items():
        assert reasons[criterion_id] == reason
    for mine, theirs in zip(local.criteria, english.criteria, strict=True):
        assert (mine.id, mine.status, mine.kind) == (theirs.id, theirs.status, theirs.kind)
        assert mine.reason != theirs.reason
        assert mine.label == criterion_label(rules, mine.id, code) != theirs.label
        assert mine.citation == theirs.citation == rules.citation(mine.id)  # verbatim, English
        assert [n.citation for n in mine.notes] == [n.citation for n in theirs.notes]
        for note in mine.notes:
            assert note.citation is not None
            assert plain_words(note.citation.quote) in note.text
    how = plain_words(rules.citation("epso_cast.how_to_register").quote)
    assert how in reasons["epso_cast"]


def test_polish_counts_take_polish_plural_forms(rules: RuleSet) -> None:
    def months(start: str) -> str:
        profile = {"experience": [{"start": start, "end": None, "relevant": True}]}
        return _run(profile, rules, "pl").criteria[-1].reason

    assert "22 pełne miesiące" in months("2023-06-01")  # few
    assert "25 pełnych miesięcy" in months("2023-03-01")  # many
    assert "1 pełny miesiąc" in months("2025-03-22")  # one
    studies = _run({"education": {"years": 2.5, "diploma": True}}, rules, "pl").criteria[9]
    assert studies.id == "education"
    assert studies.reason.startswith("2,5 roku ukończonych studiów")  # a fraction, a decimal comma


def test_the_deadline_in_the_language(rules: RuleSet) -> None:
    late = {"submitted_at": "2025-04-22T12:30:00+02:00"}
    reason = _run(late, rules, "de").criteria[-1].reason
    assert "22. April 2025 um 12:30 Uhr" in reason
    assert "nach Ablauf der Frist" in reason


def test_the_table_in_the_language(rules: RuleSet) -> None:
    result = _run(SAMPLE, rules, "pl")
    table = render_table(result, lang="pl")
    assert table.startswith("Wstępna weryfikacja dla ogłoszenia EC-2025-HOME-01: NIE KWALIFIKUJE")
    assert "NIESPEŁNIONE" in table
    assert "be a national of a Member State of the EU" in " ".join(table.split())
    # Every line fits, but the one of the registration link, which is kept whole to be copied.
    lines = render_table(result, lang="pl", width=100).splitlines()
    assert max(len(line) for line in lines if "https://" not in line) <= 100


# --- English unchanged ---------------------------------------------------------------------------


def _english_outputs(rules: RuleSet) -> dict[str, str]:
    """Each case's English result and table, by "file: case"."""
    outputs = {}
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            now = datetime.fromisoformat(case["now"]) if "now" in case else NOW
            result = _run(case["profile"], rules, "en", now)
            text = result.model_dump_json() + "\n" + render_table(result)
            outputs[f"{path.stem}: {case['name']}"] = text
    return outputs


def _digests(outputs: dict[str, str]) -> dict[str, str]:
    return {name: hashlib.sha256(text.encode()).hexdigest() for name, text in outputs.items()}


def test_english_is_byte_for_byte_what_it_was(rules: RuleSet) -> None:
    expected = json.loads(ENGLISH_OUTPUTS.read_text(encoding="utf-8"))
    digests = _digests(_english_outputs(rules))
    assert set(digests) == set(expected), "a case was added or renamed: regenerate the digests"
    assert sorted(name for name in expected if digests[name] != expected[name]) == []


def test_the_default_language_is_english(rules: RuleSet) -> None:
    profile = Profile.model_validate(SAMPLE, context={"now": NOW})
    assert evaluate(profile, rules, now=NOW) == _run(SAMPLE, rules, "en")
    assert render_table(evaluate(profile, rules, now=NOW)) == render_table(
        _run(SAMPLE, rules, "xx")
    )


# --- the API -------------------------------------------------------------------------------------


def _post(client: TestClient, **kwargs: Any) -> PrecheckResponse:
    response = client.post("/api/precheck", json=SAMPLE, **kwargs)
    assert response.status_code == 200, response.text
    return PrecheckResponse.model_validate(response.json())


def test_the_api_answers_in_the_lang_parameter(client: TestClient, rules: RuleSet) -> None:
    result = _post(client, params={"lang": "pl"})
    assert result.lang == "pl"
    assert result.criteria[0].reason == EXPECTED["pl"]["nationality"]
    assert result.criteria[0].citation.quote == "be a national of a Member State of the EU"
    response = client.post("/api/precheck", json=SAMPLE, params={"lang": "pl"})
    assert response.headers["content-language"] == "pl"
    assert "Accept-Language" in response.headers["vary"]


def test_the_api_follows_accept_language(client: TestClient) -> None:
    result = _post(client, headers={"Accept-Language": "fr-CH;q=0.5, de-AT, en;q=0.8"})
    assert result.lang == "de"
    assert result.criteria[0].reason == EXPECTED["de"]["nationality"]
    # `lang` wins over the header.
    assert _post(client, params={"lang": "pl"}, headers={"Accept-Language": "de"}).lang == "pl"


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"lang": "xx-YY"}, {}),
        ({"lang": ""}, {}),
        ({}, {"Accept-Language": "ja, zh;q=0.9"}),
        ({}, {}),
    ],
)
def test_an_unknown_language_is_english(
    client: TestClient, rules: RuleSet, params: dict[str, str], headers: dict[str, str]
) -> None:
    result = _post(client, params=params, headers=headers)
    assert result.lang == "en"
    english = _run(SAMPLE, rules, "en").model_dump(mode="json")
    assert {k: v for k, v in result.model_dump(mode="json").items() if k != "lang"} == english


def test_the_lang_parameter_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/precheck"]["post"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["lang"]["in"] == "query"
    assert not parameters["lang"].get("required", False)
    assert "Accept-Language" in parameters["lang"]["description"]
    assert parameters["accept-language"]["in"] == "header"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("de-AT,de;q=0.9,en;q=0.8", "de"),
        ("en-GB,pl;q=0.9", "en"),
        ("ja,pl;q=0.3", "pl"),
        ("pl;q=0, sv;q=0.1", "sv"),
        ("*", None),
        ("fr;q=abc, it", "it"),
        ("", None),
        (None, None),
    ],
)
def test_accept_language(header: str | None, code: str | None) -> None:
    assert accepted_language(header) == code


# --- the command line ----------------------------------------------------------------------------


def test_the_command_line_answers_in_lang(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from assistant.cli import app

    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(SAMPLE), encoding="utf-8")
    table = CliRunner().invoke(app, ["precheck", str(profile), "--lang", "pl"])
    assert table.exit_code == 0, table.output
    assert table.stdout.startswith("Wstępna weryfikacja dla ogłoszenia EC-2025-HOME-01")
    as_json = CliRunner().invoke(app, ["precheck", str(profile), "--json", "--lang", "de-DE"])
    assert as_json.exit_code == 0, as_json.output
    result = PrecheckResponse.model_validate_json(as_json.stdout)
    assert result.lang == "de"
    assert result.criteria[0].reason == EXPECTED["de"]["nationality"]


if __name__ == "__main__":  # rewrite the English digests after a deliberate change of wording
    from retrieval.corpus import load_corpus

    found = _digests(_english_outputs(load_rules(load_corpus(PROJECT_ROOT / "corpus"))))
    ENGLISH_OUTPUTS.write_text(
        json.dumps(found, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    )
