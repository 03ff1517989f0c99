"""A corpus with a second call: every fact the answers and the pre-check state about a call comes
from corpus/, so adding a call is adding its document, its rules and a manifest entry."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sample_profiles import ELIGIBLE

from assistant.config import Settings
from assistant.precheck import evaluate, parse_profile
from assistant.runtime import Services
from retrieval.errors import CorpusError

FIRST = "EC-2025-HOME-01"
SECOND = "EC-2026-HOME-07"
# What differs between the two calls: reference, closing date, contact, the experience asked.
CHANGES = {
    FIRST: SECOND,
    "22/04/2025": "15/01/2026",
    "HOME-CALL@ec.europa.eu": "HOME-CALL-07@ec.europa.eu",
    "proven professional experience of at least two years": (
        "proven professional experience of at least five years"
    ),
}
BEFORE_SECOND = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _changed(text: str) -> str:
    for old, new in CHANGES.items():
        text = text.replace(old, new)
    return text


@pytest.fixture
def two_calls(corpus_copy: Path) -> Path:
    """The repository's corpus plus a second call: the first one's text with another reference,
    deadline, contact and experience requirement, and its rules changed to match."""
    documents = corpus_copy / "documents"
    first_text = (documents / "ec-2025-home-01.txt").read_text("utf-8")
    for old in CHANGES:
        assert old in first_text, old  # the changes must change something
    (documents / "ec-2026-home-07.txt").write_text(_changed(first_text), "utf-8")
    rules = corpus_copy / "rules"
    first_rules = (rules / "ec-2025-home-01.toml").read_text("utf-8")
    second_rules = _changed(first_rules).replace("min_months = 24", "min_months = 60")
    assert second_rules.count("min_months = 60") == 1
    (rules / "ec-2026-home-07.toml").write_text(second_rules, "utf-8")
    manifest = corpus_copy / "manifest.toml"
    entry = f"""
[[documents]]
id = "ec-2026-home-07"
file = "documents/ec-2026-home-07.txt"
title = "Call for expression of interest {SECOND}"
kind = "call"
language = "en"
reference = "{SECOND}"
deadline = 2026-01-15T12:00:00
timezone = "Europe/Brussels"
deadline_quote = "by 15/01/2026 at midday 12:00 CET"
contact = "HOME-CALL-07@ec.europa.eu"
rules = "rules/ec-2026-home-07.toml"
"""
    manifest.write_text(manifest.read_text("utf-8") + entry, "utf-8")
    return corpus_copy


def test_with_two_calls_a_deployment_must_name_its_call(two_calls: Path, tmp_path: Path) -> None:
    services = Services(Settings(corpus_dir=two_calls, data_dir=tmp_path / "data"))
    with pytest.raises(CorpusError, match=rf"2 calls \({FIRST}, {SECOND}\).*ASSISTANT_CALL"):
        _ = services.corpus
    unknown = Services(Settings(corpus_dir=two_calls, data_dir=tmp_path / "x", call="EC-1"))
    with pytest.raises(CorpusError, match=f"no call with reference 'EC-1'.*{SECOND}"):
        _ = unknown.corpus


def test_the_second_call_is_answered_and_prechecked_from_its_own_files(
    two_calls: Path, tmp_path: Path
) -> None:
    settings = Settings(corpus_dir=two_calls, data_dir=tmp_path / "data", call=SECOND)
    services = Services(settings)
    # The deployment sees its call and the background page, never the other call.
    assert sorted(services.corpus.documents) == ["dg-home-profile", "ec-2026-home-07"]
    services.build_index()

    answer = services.answerer.answer("When is the deadline?", [], now=BEFORE_SECOND)
    assert re.search(r"15 January 2026 at 12:00", answer.answer)
    assert "10 days" in answer.answer
    assert answer.citations[0].doc_id == "ec-2026-home-07"
    assert "15/01/2026" in answer.citations[0].quote
    # What the call does not say is referred to its own contact.
    unsaid = services.answerer.answer("Can I work remotely?", [], now=BEFORE_SECOND)
    assert unsaid.status == "not_found"
    assert unsaid.contact == "HOME-CALL-07@ec.europa.eu"
    for citation in [*answer.citations, *unsaid.citations]:
        document = services.corpus.get(citation.doc_id)
        assert document.text[citation.start : citation.end] == citation.quote

    # Its own criteria: four years of experience meet the first call's two, not its five.
    profile = parse_profile(ELIGIBLE, now=BEFORE_SECOND)
    first_rules = Services(Settings(data_dir=tmp_path / "first")).rules
    results = {}
    for rules in (first_rules, services.rules):
        result = evaluate(profile, rules, now=BEFORE_SECOND)
        assert result.call.reference == rules.reference
        results[rules.reference] = next(c for c in result.criteria if c.id == "experience_total")
    assert results[FIRST].status == "met"
    assert results[SECOND].status == "not_met"
    assert "at least five years" in results[SECOND].citation.quote
