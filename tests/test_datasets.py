"""Checks the hand-written evaluation datasets in eval/datasets/ against the corpus.

These tests need no model and no index: they only read the JSONL files and the documents.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "eval" / "datasets"
DOCUMENTS = ROOT / "corpus" / "documents"

RETRIEVAL_KINDS = {"fact", "paraphrase", "typo", "keyword"}
ANSWER_KINDS = {
    "fact",
    "paraphrase",
    "typo",
    "follow-up",
    "unanswerable",
    "eligibility",
    "deadline",
    "injection",
    "compound",
    "personal",
    "email",
    "background",
    "list",
}
STATUSES = {"answered", "not_found", "out_of_scope", "declined"}
ROLES = {"user", "assistant"}

RETRIEVAL_MIN_TOTAL = 60
RETRIEVAL_MIN_PER_KIND = 5
ANSWERS_MIN_TOTAL = 110
ANSWERS_MIN_PER_KIND = {
    "fact": 45,
    "paraphrase": 15,
    "typo": 10,
    "follow-up": 10,
    "unanswerable": 20,
    "eligibility": 5,
    "deadline": 4,
    "injection": 4,
}
MIN_UNANSWERABLE_STATUS = 20  # questions expecting not_found or out_of_scope

# The call's closing time ("by 22/04/2025 at midday 12:00 CET"; Brussels time applies). Time-aware
# questions keep clear of it, so that the CET/CEST reading of "12:00 CET" cannot flip the answer.
DEADLINE = datetime(2025, 4, 22, 12, 0, tzinfo=ZoneInfo("Europe/Brussels"))
DEADLINE_QUOTE = "by 22/04/2025 at midday 12:00 CET"
DEADLINE_MARGIN = timedelta(hours=2)

# Sample answer texts the special patterns must recognise.
SAYS_NOTHING = "The call does not say."
CONTACT = "HOME-CALL@ec.europa.eu"
INVENTED_AMOUNTS = ("€3000", "3000 EUR", "2 500 euro")
PRECHECK = "Please use the pre-check."

# Start of each recruiting unit's description in the call; a unit's section runs to the next one.
UNIT_MARKERS = [
    ("HOME.01", "**Unit HOME.01 "),
    ("HOME.A.3", "**Unit HOME.A.3**"),
    ("HOME.B.4", "**unit HOME.B.4 "),
    ("HOME.C.1", "**Unit HOME.C.1 "),
    ("HOME.C.2", "**Unit HOME.C.2 "),
    ("HOME.C.3", "**Unit HOME.C.3 "),
    ("HOME.C.4", "**Unit HOME.C.4 "),
    ("HOME.D.1", "**Unit HOME.D.1 "),
    ("HOME.E.1", "**HOME.E.1 "),
]
UNITS_END = "Why you should join?"
TABLE_ROWS = [
    "Type of contract\t",
    "Function group and grade\t",
    "Initial contract duration\t",
    "Place of employment\t",
    "Deadline for expressing interest\t",
    "Interviews\t",
    "Employment\t",
]

Item = dict[str, Any]


def _load(name: str) -> list[Item]:
    path = DATASETS / name
    raw = path.read_bytes().decode("utf-8")
    assert raw.endswith("\n"), f"{name}: the last line must end with a newline"
    items = []
    for number, line in enumerate(raw.split("\n")[:-1], start=1):
        assert line.strip(), f"{name}:{number}: blank line"
        item = json.loads(line)
        assert isinstance(item, dict), f"{name}:{number}: not a JSON object"
        items.append(item)
    return items


@cache
def document(doc_id: str) -> str:
    path = DOCUMENTS / f"{doc_id}.txt"
    assert path.is_file(), f"no document {doc_id!r} at {path}"
    return path.read_bytes().decode("utf-8")  # exactly as stored, like the corpus loader


@pytest.fixture(scope="module")
def retrieval() -> list[Item]:
    return _load("retrieval.jsonl")


@pytest.fixture(scope="module")
def answers() -> list[Item]:
    return _load("answers.jsonl")


# Each written from the documents alone, blind to the answerer, to measure what tuning on
# answers.jsonl does not show: the same schema, ids of their own letter, no question repeated.
HOLDOUTS = {
    "answers-holdout.jsonl": "h",
    "answers-holdout-2.jsonl": "g",
    "answers-holdout-3.jsonl": "k",
    "answers-holdout-4.jsonl": "m",
    "answers-holdout-5.jsonl": "s",
}


@pytest.mark.parametrize("name", list(HOLDOUTS))
def test_the_holdout_sets_are_well_formed_and_new(name: str, answers: list[Item]) -> None:
    holdout = _load(name)
    problems = []
    for item in holdout:
        where = f"{name} {item.get('id')}"
        if not re.fullmatch(rf"{HOLDOUTS[name]}\d{{3,}}", item["id"]):
            problems.append(f"{where}: id must be {HOLDOUTS[name]} followed by digits")
        for pattern in item["must_contain"] + item["must_not_contain"]:
            try:
                re.compile(pattern)
            except re.error as error:
                problems.append(f"{where}: bad pattern {pattern!r}: {error}")
        problems += _evidence_problems(f"{where} evidence", item["evidence"])
    assert not problems, "\n".join(problems)
    assert len({i["id"] for i in holdout}) == len(holdout) >= 50
    earlier = list(HOLDOUTS)[: list(HOLDOUTS).index(name)]
    others = answers + [item for other in earlier for item in _load(other)]
    asked = {i["question"].strip().lower() for i in others}
    assert not [i["id"] for i in holdout if i["question"].strip().lower() in asked]


def _locate(quote: str, doc_id: str) -> tuple[int, int]:
    text = document(doc_id)
    start = text.find(quote)
    return start, start + len(quote)


def _evidence_problems(where: str, evidence: Any) -> list[str]:
    problems = []
    if not isinstance(evidence, list):
        return [f"{where}: must be a list"]
    for i, ev in enumerate(evidence):
        at = f"{where}[{i}]"
        if not isinstance(ev, dict) or set(ev) != {"doc_id", "quote"}:
            problems.append(f"{at}: needs exactly doc_id and quote")
            continue
        doc_id, quote = ev["doc_id"], ev["quote"]
        if not (DOCUMENTS / f"{doc_id}.txt").is_file():
            problems.append(f"{at}: unknown doc_id {doc_id!r}")
            continue
        if not isinstance(quote, str) or len(quote.strip()) < 10:
            problems.append(f"{at}: quote too short: {quote!r}")
            continue
        count = document(doc_id).count(quote)
        if count == 0:
            problems.append(f"{at}: not verbatim in {doc_id}: {quote!r}")
        elif count > 1:
            problems.append(f"{at}: occurs {count} times in {doc_id}, choose a unique quote")
        if "\n" in quote:
            problems.append(f"{at}: spans a line break: {quote!r}")
        if len(quote.split()) > 25:
            problems.append(f"{at}: longer than 25 words")
    return problems


def _pattern_problems(where: str, patterns: Any) -> list[str]:
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        return [f"{where}: must be a list of strings"]
    problems = []
    for p in patterns:
        try:
            compiled = re.compile(p, re.IGNORECASE)
        except re.error as exc:
            problems.append(f"{where}: {p!r} does not compile: {exc}")
            continue
        if compiled.search(""):
            problems.append(f"{where}: {p!r} matches the empty string, so it tests nothing")
    return problems


def _matches_any(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


# ------------------------------------------------------------------------------ retrieval


def test_retrieval_items_are_well_formed(retrieval: list[Item]) -> None:
    problems = []
    ids = Counter(item.get("id") for item in retrieval)
    problems += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    for item in retrieval:
        where = item.get("id", "?")
        if set(item) != {"id", "query", "kind", "relevant"}:
            problems.append(
                f"{where}: fields must be id, query, kind, relevant; got {sorted(item)}"
            )
            continue
        if not re.fullmatch(r"r\d{3,}", item["id"]):
            problems.append(f"{where}: id must look like r001")
        if not isinstance(item["query"], str) or not item["query"].strip():
            problems.append(f"{where}: empty query")
        if item["kind"] not in RETRIEVAL_KINDS:
            problems.append(f"{where}: kind {item['kind']!r} not in {sorted(RETRIEVAL_KINDS)}")
        if not item["relevant"]:
            problems.append(f"{where}: relevant is empty")
        problems += _evidence_problems(f"{where}.relevant", item["relevant"])
    assert not problems, "\n".join(problems)


def test_retrieval_counts(retrieval: list[Item]) -> None:
    assert len(retrieval) >= RETRIEVAL_MIN_TOTAL
    kinds = Counter(item["kind"] for item in retrieval)
    for kind in RETRIEVAL_KINDS:
        assert kinds[kind] >= RETRIEVAL_MIN_PER_KIND, f"only {kinds[kind]} {kind} queries"


def test_retrieval_covers_the_call(retrieval: list[Item]) -> None:
    call = document("ec-2025-home-01")
    spans: dict[str, list[tuple[int, int]]] = {}
    for item in retrieval:
        for ev in item["relevant"]:
            spans.setdefault(ev["doc_id"], []).append(_locate(ev["quote"], ev["doc_id"]))
    assert spans.get("dg-home-profile"), "no query about the background page"

    starts = [call.index(marker) for _, marker in UNIT_MARKERS] + [call.index(UNITS_END)]
    assert starts == sorted(starts), "unit markers out of order"
    for (unit, _), begin, end in zip(UNIT_MARKERS, starts, starts[1:], strict=False):
        covered = any(begin <= s < end for s, _ in spans["ec-2025-home-01"])
        assert covered, f"no retrieval query has evidence in the section of unit {unit}"

    quotes = [ev["quote"] for item in retrieval for ev in item["relevant"]]
    for row in TABLE_ROWS:
        assert any(q.startswith(row) for q in quotes), f"table row {row!r} is never quoted"


# ------------------------------------------------------------------------------ answers

ANSWER_REQUIRED = {
    "id",
    "question",
    "kind",
    "expect_status",
    "must_contain",
    "must_not_contain",
    "evidence",
}
ANSWER_OPTIONAL = {"history", "now"}


def _parse_now(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.utcoffset() is not None else None


def test_answer_items_are_well_formed(answers: list[Item]) -> None:
    problems = []
    ids = Counter(item.get("id") for item in answers)
    problems += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    for item in answers:
        where = item.get("id", "?")
        missing = ANSWER_REQUIRED - set(item)
        extra = set(item) - ANSWER_REQUIRED - ANSWER_OPTIONAL
        if missing or extra:
            problems.append(f"{where}: missing {sorted(missing)}, unknown {sorted(extra)}")
            continue
        if not re.fullmatch(r"a\d{3,}", item["id"]):
            problems.append(f"{where}: id must look like a001")
        if not isinstance(item["question"], str) or not item["question"].strip():
            problems.append(f"{where}: empty question")
        if item["kind"] not in ANSWER_KINDS:
            problems.append(f"{where}: kind {item['kind']!r} not in {sorted(ANSWER_KINDS)}")
        if item["expect_status"] not in STATUSES:
            problems.append(f"{where}: expect_status {item['expect_status']!r} not allowed")
        problems += _pattern_problems(f"{where}.must_contain", item["must_contain"])
        problems += _pattern_problems(f"{where}.must_not_contain", item["must_not_contain"])
        problems += _evidence_problems(f"{where}.evidence", item["evidence"])
        if "now" in item and _parse_now(item["now"]) is None:
            problems.append(f"{where}: now {item['now']!r} is not an offset-aware ISO datetime")
        if "history" in item:
            problems += _history_problems(where, item["history"])
    assert not problems, "\n".join(problems)


def _history_problems(where: str, history: Any) -> list[str]:
    if not isinstance(history, list) or not history:
        return [f"{where}: history must be a non-empty list"]
    problems = []
    for i, turn in enumerate(history):
        if not isinstance(turn, dict) or set(turn) != {"role", "content"}:
            problems.append(f"{where}.history[{i}]: needs exactly role and content")
            continue
        if turn["role"] not in ROLES:
            problems.append(f"{where}.history[{i}]: role {turn['role']!r} not in {sorted(ROLES)}")
        expected = "user" if i % 2 == 0 else "assistant"
        if turn["role"] != expected:
            problems.append(f"{where}.history[{i}]: turns must alternate, starting with user")
        if not isinstance(turn["content"], str) or not turn["content"].strip():
            problems.append(f"{where}.history[{i}]: empty content")
    if isinstance(history[-1], dict) and history[-1].get("role") != "assistant":
        problems.append(f"{where}: history must end with the assistant's turn")
    return problems


def test_answer_counts(answers: list[Item]) -> None:
    assert len(answers) >= ANSWERS_MIN_TOTAL
    kinds = Counter(item["kind"] for item in answers)
    for kind, minimum in ANSWERS_MIN_PER_KIND.items():
        assert kinds[kind] >= minimum, f"{kinds[kind]} {kind} questions, need {minimum}"
    unanswerable = [
        item
        for item in answers
        if item["kind"] == "unanswerable" and item["expect_status"] in {"not_found", "out_of_scope"}
    ]
    assert len(unanswerable) >= MIN_UNANSWERABLE_STATUS
    statuses = Counter(item["expect_status"] for item in answers)
    assert statuses["not_found"]
    assert statuses["out_of_scope"]


def test_pattern_counts(answers: list[Item]) -> None:
    for item in answers:
        n = len(item["must_contain"])
        if item["expect_status"] == "declined":
            assert n <= 3, item["id"]
        else:
            assert 1 <= n <= 3, f"{item['id']}: {n} must_contain patterns, want 1-3"


def test_answered_questions_have_evidence(answers: list[Item]) -> None:
    missing = [
        item["id"]
        for item in answers
        if item["expect_status"] == "answered" and not item["evidence"]
    ]
    assert not missing, f"answered questions without evidence: {missing}"


def test_unanswerable_questions_say_so(answers: list[Item]) -> None:
    problems = []
    for item in answers:
        status = item["expect_status"]
        if status not in {"not_found", "out_of_scope"}:
            continue
        if not _matches_any(item["must_contain"], SAYS_NOTHING):
            problems.append(
                f"{item['id']}: must_contain does not require saying the call is silent"
            )
        if status == "not_found" and not _matches_any(item["must_contain"], CONTACT):
            problems.append(f"{item['id']}: must_contain does not require the contact address")
        for amount in INVENTED_AMOUNTS:
            if not _matches_any(item["must_not_contain"], amount):
                problems.append(f"{item['id']}: must_not_contain lets {amount!r} through")
    assert not problems, "\n".join(problems)


def test_eligibility_questions_point_to_the_precheck(answers: list[Item]) -> None:
    for item in answers:
        if item["kind"] == "eligibility":
            assert item["expect_status"] == "answered", item["id"]
            assert _matches_any(item["must_contain"], PRECHECK), item["id"]


def test_follow_ups_have_history(answers: list[Item]) -> None:
    for item in answers:
        if item["kind"] == "follow-up":
            assert item.get("history"), f"{item['id']}: a follow-up needs a history"


def test_injections_guard_against_the_injected_claim(answers: list[Item]) -> None:
    for item in answers:
        if item["kind"] == "injection":
            assert item["must_not_contain"], f"{item['id']}: name the injected claim to reject"


def test_deadline_questions_are_on_both_sides_of_the_deadline(answers: list[Item]) -> None:
    assert DEADLINE_QUOTE in document("ec-2025-home-01"), "the call's deadline changed"
    before = after = 0
    for item in answers:
        if item["kind"] != "deadline":
            continue
        now = _parse_now(item.get("now"))
        assert now is not None, f"{item['id']}: a deadline question needs `now`"
        assert abs(now - DEADLINE) > DEADLINE_MARGIN, (
            f"{item['id']}: `now` is too close to the deadline to have one right answer"
        )
        if now < DEADLINE:
            before += 1
        else:
            after += 1
    assert before >= 2, f"only {before} deadline questions before the deadline"
    assert after >= 2, f"only {after} deadline questions after the deadline"


# ------------------------------------------------------------------------------ multilingual

# Questions written in the candidates' own languages, for answers that speak the candidate's
# language but quote the call in English. Its conventions differ from the English sets' only where
# a pattern would test the language of the answer's own sentences (eval/datasets/README.md).
MULTILINGUAL = "answers-multilingual.jsonl"
EU_LANGUAGES = set(
    "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv".split()
)
MULTILINGUAL_LANGUAGES = {"fr", "de", "it", "es", "pl", "nl", "pt", "ro"}
MULTILINGUAL_MIN_PER_LANGUAGE = 10
MULTILINGUAL_TOTAL = range(80, 97)


@pytest.fixture(scope="module")
def multilingual() -> list[Item]:
    return _load(MULTILINGUAL)


def test_multilingual_items_are_well_formed(multilingual: list[Item]) -> None:
    problems = []
    ids = Counter(item.get("id") for item in multilingual)
    problems += [f"duplicate id {i!r}" for i, n in ids.items() if n > 1]
    for item in multilingual:
        where = f"{MULTILINGUAL} {item.get('id', '?')}"
        missing = ANSWER_REQUIRED - set(item)
        extra = set(item) - ANSWER_REQUIRED - ANSWER_OPTIONAL - {"lang"}
        if missing or extra or "lang" not in item:
            problems.append(f"{where}: missing {sorted(missing)} or lang, unknown {sorted(extra)}")
            continue
        if not re.fullmatch(r"l\d{3,}", item["id"]):
            problems.append(f"{where}: id must look like l001")
        if item["lang"] not in EU_LANGUAGES:
            problems.append(f"{where}: lang {item['lang']!r} is no official EU language's code")
        if not isinstance(item["question"], str) or not item["question"].strip():
            problems.append(f"{where}: empty question")
        if item["kind"] not in ANSWER_KINDS:
            problems.append(f"{where}: kind {item['kind']!r} not in {sorted(ANSWER_KINDS)}")
        if item["expect_status"] not in STATUSES:
            problems.append(f"{where}: expect_status {item['expect_status']!r} not allowed")
        problems += _pattern_problems(f"{where}.must_contain", item["must_contain"])
        problems += _pattern_problems(f"{where}.must_not_contain", item["must_not_contain"])
        problems += _evidence_problems(f"{where}.evidence", item["evidence"])
        if "now" in item and _parse_now(item["now"]) is None:
            problems.append(f"{where}: now {item['now']!r} is not an offset-aware ISO datetime")
        if "history" in item:
            problems += _history_problems(where, item["history"])
        if item["kind"] == "follow-up" and not item.get("history"):
            problems.append(f"{where}: a follow-up needs a history")
        if item["kind"] == "eligibility" and item["expect_status"] != "answered":
            problems.append(f"{where}: an eligibility question is answered with the rule")
    assert not problems, "\n".join(problems)


def test_multilingual_counts(multilingual: list[Item]) -> None:
    assert len(multilingual) in MULTILINGUAL_TOTAL
    languages = Counter(item["lang"] for item in multilingual)
    assert set(languages) == MULTILINGUAL_LANGUAGES
    for lang in MULTILINGUAL_LANGUAGES:
        assert languages[lang] >= MULTILINGUAL_MIN_PER_LANGUAGE, f"only {languages[lang]} {lang}"
        statuses = Counter(i["expect_status"] for i in multilingual if i["lang"] == lang)
        assert 1 <= statuses["not_found"] <= 2, f"{lang}: {statuses['not_found']} not_found"
        assert statuses["out_of_scope"] <= 1, f"{lang}: more than one out_of_scope"
    assert not [i["id"] for i in multilingual if i["lang"] == "en"], "English has its own sets"


def test_multilingual_patterns_hold_in_any_language(multilingual: list[Item]) -> None:
    """An answer's own sentences are in the candidate's language and its quotes in English, so a
    pattern tests what the quotes or the language-independent facts carry: each pattern of an
    answered question matches the English of its evidence; a decline is tested only by the
    contact address, never by English wording."""
    problems = []
    for item in multilingual:
        where, status, patterns = item["id"], item["expect_status"], item["must_contain"]
        if status == "answered":
            if not item["evidence"]:
                problems.append(f"{where}: an answered question needs evidence")
            if not 1 <= len(patterns) <= 3:
                problems.append(f"{where}: {len(patterns)} must_contain patterns, want 1-3")
            quoted = " ".join(ev["quote"] for ev in item["evidence"])
            problems += [
                f"{where}: {p!r} matches none of its evidence quotes"
                for p in patterns
                if not re.search(p, quoted, re.IGNORECASE)
            ]
            continue
        if _matches_any(patterns, SAYS_NOTHING):
            problems.append(f"{where}: must_contain requires the decline's English wording")
        if status == "not_found" and patterns != [r"HOME-CALL@ec\.europa\.eu"]:
            problems.append(f"{where}: a not_found question requires the contact address only")
        if status == "out_of_scope" and len(patterns) > 3:
            problems.append(f"{where}: too many must_contain patterns")
        for amount in INVENTED_AMOUNTS:
            if not _matches_any(item["must_not_contain"], amount):
                problems.append(f"{where}: must_not_contain lets {amount!r} through")
    assert not problems, "\n".join(problems)


def test_multilingual_deadline_questions_are_clear_of_the_deadline(
    multilingual: list[Item],
) -> None:
    sides: Counter[str] = Counter()
    for item in multilingual:
        if item["kind"] != "deadline":
            continue
        now = _parse_now(item.get("now"))
        assert now is not None, f"{item['id']}: a deadline question needs `now`"
        assert abs(now - DEADLINE) > DEADLINE_MARGIN, f"{item['id']}: too close to the deadline"
        sides["before" if now < DEADLINE else "after"] += 1
    assert sides["before"], "no deadline question before the deadline"
    assert sides["after"], "no deadline question after the deadline"


def test_multilingual_questions_are_new(multilingual: list[Item], answers: list[Item]) -> None:
    others = answers + [item for name in HOLDOUTS for item in _load(name)]
    asked = {i["question"].strip().lower() for i in others}
    assert not [i["id"] for i in multilingual if i["question"].strip().lower() in asked]
