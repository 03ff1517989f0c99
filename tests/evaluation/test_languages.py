"""Figures per language: a set whose cases name their language is measured language by language,
in the summary, summary.json, the printed summary and the report; an English-only set is not."""

from __future__ import annotations

import json

import pytest
from evaluation_support import CALL, CONTRACT, NOW, answer, case, cite

from assistant.answering.models import Answer
from assistant.evaluation import checks
from assistant.evaluation.cli import render_summary
from assistant.evaluation.datasets import AnswerCase, Judge
from assistant.evaluation.report import render_report
from assistant.evaluation.results import ITEM_RESULT, AnswerResult, AnyResult
from assistant.evaluation.summary import (
    DatasetInfo,
    Summary,
    answer_metrics,
    per_language,
    summarize,
)
from retrieval.corpus import Corpus

CONTACT = r"HOME-CALL@ec\.europa\.eu"


@pytest.fixture(scope="module")
def judge(corpus: Corpus) -> Judge:
    return Judge(corpus)


def run_one(judge: Judge, answer_case: AnswerCase, got: Answer) -> AnswerResult:
    return checks.check_answer(checks.answer_case(answer_case, "hand", NOW), got, judge, 20.0)


def summary_of(results: list[AnswerResult]) -> Summary:
    ran: list[AnyResult] = list(results)
    info = DatasetInfo(path="hand.jsonl", set="answers", cases=len(results))
    return summarize(ran, target="local", now=NOW, started_at=NOW, seconds=1.0, datasets=[info])


@pytest.fixture(scope="module")
def mixed_run(judge: Judge, corpus: Corpus) -> list[AnswerResult]:
    """Two French questions, one German, one without ``lang`` (English)."""
    contract = cite(corpus, 1, CALL, CONTRACT.quote)
    unanswerable = case(
        "d1", kind="unanswerable", expect_status="not_found", must_contain=(CONTACT,), lang="de"
    )
    return [
        # French, right and cited: the sentence in French, the quote in English
        run_one(
            judge,
            case("f1", lang="fr"),
            answer(
                "Le premier contrat dure un an : « Initial contract duration 1 year » [1].",
                [contract],
            ),
        ),
        # French, answerable but declined
        run_one(
            judge, case("f2", lang="fr"), answer("L'appel ne le précise pas.", [], "not_found")
        ),
        # German, unanswerable and declined with the contact address
        run_one(
            judge,
            unanswerable,
            answer("Dazu sagt die Ausschreibung nichts; HOME-CALL@ec.europa.eu", [], "not_found"),
        ),
        # no language named: English
        run_one(judge, case("e1"), answer("The first contract is for 1 year [1].", [contract])),
    ]


def test_results_carry_their_cases_language(mixed_run: list[AnswerResult]) -> None:
    assert [r.lang for r in mixed_run] == ["fr", "fr", "de", None]
    line = mixed_run[0].model_dump_json()
    assert ITEM_RESULT.validate_json(line).model_dump() == mixed_run[0].model_dump()
    # A results.jsonl written before the field existed still reads, as English.
    old = json.loads(line)
    del old["lang"]
    again = ITEM_RESULT.validate_python(old)
    assert isinstance(again, AnswerResult)
    assert again.lang is None


def test_answers_are_measured_per_language(mixed_run: list[AnswerResult]) -> None:
    languages = summary_of(mixed_run).by_lang["answers"]
    # Sorted by code; the case without `lang` is counted as English.
    assert {lang: item.cases for lang, item in languages.items()} == {"de": 1, "en": 1, "fr": 2}
    assert list(languages) == ["de", "en", "fr"]
    french = languages["fr"].metrics
    assert french["answer_accuracy"] == 0.5  # f1 holds "1 year" (in its English quote); f2 not
    assert french["citation_correctness"] == 0.5
    assert french["answerable_wrongly_declined"] == 0.5
    assert french["unanswerable_declined"] is None  # no unanswerable French question
    german = languages["de"].metrics
    assert german["unanswerable_declined"] == 1.0
    assert german["answer_accuracy"] == 1.0
    assert german["citation_correctness"] is None  # nothing to cite
    # Each row is the answers' metrics of that language's cases alone.
    assert languages["fr"].metrics == answer_metrics(mixed_run[:2])
    assert languages["en"].metrics == answer_metrics(mixed_run[3:])


def test_an_english_only_run_has_no_language_figures(mixed_run: list[AnswerResult]) -> None:
    english = [mixed_run[3]]
    assert per_language(english) == {}
    summary = summary_of(english)
    assert summary.by_lang == {}
    assert "by language" not in render_summary(summary)
    assert "By language" not in render_report(summary, list(english))


def test_summary_json_keeps_the_languages(mixed_run: list[AnswerResult]) -> None:
    summary = summary_of(mixed_run)
    dumped = json.loads(summary.model_dump_json())
    assert dumped["by_lang"]["answers"]["fr"]["cases"] == 2
    assert Summary.model_validate(dumped).by_lang == summary.by_lang
    # A summary.json written before the field existed still reads (`compare` reads old runs).
    del dumped["by_lang"]
    assert Summary.model_validate(dumped).by_lang == {}


def test_the_printed_summary_has_a_row_per_language(mixed_run: list[AnswerResult]) -> None:
    printed = render_summary(summary_of(mixed_run)).splitlines()
    start = next(i for i, line in enumerate(printed) if line.startswith("answers by language"))
    assert printed[start].split()[3:] == [
        "cases", "accuracy", "status", "citations", "precision", "verbatim", "declined", "wrongly",
    ]  # fmt: skip
    rows = {line.split()[0]: line.split()[1:] for line in printed[start + 1 : start + 4]}
    assert rows["fr"] == ["2", "0.500", "0.500", "0.500", "1.000", "1.000", "n/a", "0.500"]
    assert rows["de"][:2] == ["1", "1.000"]
    assert rows["en"][0] == "1"
    assert "accuracy = answer_accuracy" in "\n".join(printed[start + 4 :])


def test_the_report_has_a_table_per_language(mixed_run: list[AnswerResult]) -> None:
    report = render_report(summary_of(mixed_run), list(mixed_run))
    section = report[report.index("<h2>By language</h2>") : report.index("<h2>Charts</h2>")]
    assert "<th>language</th><th>cases</th><th>answer_accuracy</th>" in section
    assert '<td class="">fr</td><td class="">2</td><td class="n">0.500</td>' in section
    assert '<td class="">de</td>' in section
    assert '<td class="">en</td>' in section
    # A failed question shows its language beside its kind.
    failures = report[report.index("Failed questions") :]
    assert "<b>f2</b> [fact, fr]" in failures
