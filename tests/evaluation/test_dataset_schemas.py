"""Loading the sets: the bundled ones validate, and a broken line is named with file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.datasets import (
    BUNDLED,
    DATASETS_DIR,
    EU_LANGUAGES,
    AnswerCase,
    PrecheckCase,
    RetrievalCase,
    load_dataset,
)
from assistant.evaluation.errors import DatasetError

GOOD_ANSWER = {
    "id": "a1",
    "question": "How long is the contract?",
    "kind": "fact",
    "expect_status": "answered",
    "must_contain": ["1 year"],
    "must_not_contain": [],
    "evidence": [{"doc_id": "ec-2025-home-01", "quote": "Initial contract duration\t1 year"}],
}


def write_lines(path: Path, *rows: object) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), "utf-8"
    )
    return path


def test_the_bundled_sets_load_as_their_kind() -> None:
    loaded = {name: load_dataset(DATASETS_DIR / name) for name in BUNDLED}
    assert loaded["answers.jsonl"].set == "answers"
    assert loaded["retrieval.jsonl"].set == "retrieval"
    assert loaded["precheck.jsonl"].set == "precheck"
    assert all(isinstance(c, AnswerCase) for c in loaded["answers.jsonl"].cases)
    assert all(isinstance(c, RetrievalCase) for c in loaded["retrieval.jsonl"].cases)
    assert all(isinstance(c, PrecheckCase) for c in loaded["precheck.jsonl"].cases)
    # The six kinds are all there.
    kinds = {c.kind for c in loaded["answers.jsonl"].cases}
    assert {"fact", "paraphrase", "typo", "follow-up", "unanswerable", "eligibility"} <= kinds


def test_a_case_may_name_its_language_and_english_is_the_default(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "langs.jsonl", GOOD_ANSWER, {**GOOD_ANSWER, "id": "a2", "lang": "ga"}
    )
    english, irish = load_dataset(path).cases
    assert isinstance(english, AnswerCase)
    assert english.lang is None
    assert isinstance(irish, AnswerCase)
    assert irish.lang == "ga"
    assert len(EU_LANGUAGES) == len(set(EU_LANGUAGES)) == 24
    assert "en" in EU_LANGUAGES


def test_the_multilingual_set_names_every_cases_language() -> None:
    cases = load_dataset(DATASETS_DIR / "answers-multilingual.jsonl").cases
    assert all(isinstance(c, AnswerCase) and c.lang in EU_LANGUAGES for c in cases)
    # The English sets name none: the field is additive.
    english = load_dataset(DATASETS_DIR / "answers.jsonl").cases
    assert all(isinstance(c, AnswerCase) and c.lang is None for c in english)


def test_precheck_cases_default_to_the_documented_clock() -> None:
    cases = load_dataset(DATASETS_DIR / "precheck.jsonl").cases
    without = next(
        c for c in cases if isinstance(c, PrecheckCase) and "now" not in c.model_fields_set
    )
    assert isinstance(without, PrecheckCase)
    assert without.now.isoformat() == "2025-06-01T12:00:00+02:00"


@pytest.mark.parametrize(
    ("second_line", "message"),
    [
        ("{not json", "bad.jsonl:2: not JSON"),
        ("[1, 2]", "bad.jsonl:2: not a JSON object"),
        ({**GOOD_ANSWER, "id": "a2", "kind": "trivia"}, "bad.jsonl:2: kind: Input should be"),
        ({**GOOD_ANSWER, "id": "a2", "must_contain": ["("]}, "must_contain: '(' is not a regular"),
        ({**GOOD_ANSWER, "id": "a2", "colour": "red"}, "bad.jsonl:2: colour: Extra inputs"),
        ({**GOOD_ANSWER, "id": "a2", "now": "2025-04-10T09:00"}, "bad.jsonl:2: now: Input should"),
        (GOOD_ANSWER, "bad.jsonl:2: duplicate id 'a1'"),
        # Norwegian is no official EU language; codes are ISO 639-1, lower case, no region.
        ({**GOOD_ANSWER, "id": "a2", "lang": "no"}, "bad.jsonl:2: lang: 'no' is not an official"),
        ({**GOOD_ANSWER, "id": "a2", "lang": "FR"}, "bad.jsonl:2: lang: 'FR' is not an official"),
        ({**GOOD_ANSWER, "id": "a2", "lang": "pt-BR"}, "lang: 'pt-BR' is not an official EU"),
    ],
)
def test_a_bad_line_is_named_by_file_and_line(
    tmp_path: Path, second_line: object, message: str
) -> None:
    path = write_lines(tmp_path / "bad.jsonl", GOOD_ANSWER, second_line)
    with pytest.raises(DatasetError) as raised:
        load_dataset(path)
    assert message in str(raised.value)


def test_a_set_of_unknown_kind_is_refused(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "odd.jsonl", {"id": "x", "text": "?"})
    with pytest.raises(DatasetError, match=r"odd.jsonl:1: cannot tell the kind of set"):
        load_dataset(path)


def test_an_empty_set_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no cases"):
        load_dataset(write_lines(tmp_path / "empty.jsonl", "   "))
