"""The questions each sentence answers: read from the corpus's question files, each tied to its
sentence by a quote that must be found verbatim, exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.corpus import Corpus, load_corpus
from retrieval.errors import CorpusError
from retrieval.questions import expected_questions, unanswered_questions

CALL_QUESTIONS = Path("questions") / "ec-2025-home-01.toml"


def test_the_real_corpus_has_its_questions(corpus: Corpus) -> None:
    questions = expected_questions(corpus)
    assert len(questions) >= 700
    with_files = {d.id for d in corpus.documents.values() if d.entry.questions}
    assert {q.doc_id for q in questions} == with_files
    for question in questions:
        text = corpus.get(question.doc_id).text
        assert 0 <= question.start < len(text)
        assert question.text.strip()
    # Manifest order: the call's questions come first, each file in its own order.
    first = questions[0]
    assert first.doc_id == "ec-2025-home-01"
    assert corpus.get(first.doc_id).text[first.start :].startswith("(Ref.: Call EC-2025-HOME-01)")


def test_the_deadline_rows_questions_point_at_it(corpus: Corpus) -> None:
    text = corpus.get("ec-2025-home-01").text
    start = text.index("Deadline for expressing interest\t22 April 2025")
    asked = [q.text for q in expected_questions(corpus) if q.start == start]
    assert "What is the deadline?" in asked


def append_entry(corpus_dir: Path, quote: str, question: str = "How long is it?") -> Path:
    path = corpus_dir / CALL_QUESTIONS
    with path.open("a", encoding="utf-8") as file:
        file.write(f'\n[[sentence]]\nquote = "{quote}"\nquestions = ["{question}"]\n')
    return path


def test_a_quote_not_found_verbatim_is_an_error_naming_the_file(corpus_copy: Path) -> None:
    append_entry(corpus_copy, "have to complete a 6-month probationary period")
    corpus = load_corpus(corpus_copy)
    with pytest.raises(CorpusError, match="not found verbatim") as raised:
        expected_questions(corpus)
    assert "ec-2025-home-01.toml" in str(raised.value)
    assert "6-month probationary" in str(raised.value)


def test_a_quote_found_twice_is_an_error_naming_the_file(corpus_copy: Path) -> None:
    append_entry(corpus_copy, "Function Group IV")
    with pytest.raises(CorpusError, match="found more than once") as raised:
        expected_questions(load_corpus(corpus_copy))
    assert "ec-2025-home-01.toml" in str(raised.value)


def test_a_malformed_questions_file_is_an_error_naming_the_file(corpus_copy: Path) -> None:
    path = corpus_copy / CALL_QUESTIONS
    path.write_text('[[sentence]]\nquote = "too short"\nquestions = []\n', encoding="utf-8")
    with pytest.raises(CorpusError) as raised:
        expected_questions(load_corpus(corpus_copy))
    assert "ec-2025-home-01.toml" in str(raised.value)
    path.write_text("[[sentence]\n", encoding="utf-8")  # not TOML
    with pytest.raises(CorpusError, match=r"ec-2025-home-01\.toml"):
        expected_questions(load_corpus(corpus_copy))


def test_a_verbatim_quote_added_to_a_copy_brings_its_questions(corpus_copy: Path) -> None:
    before = len(expected_questions(load_corpus(corpus_copy)))
    append_entry(
        corpus_copy, "Norway, Iceland, Switzerland and Lichtenstein", "Wer betreut Norwegen?"
    )
    corpus = load_corpus(corpus_copy)
    after = expected_questions(corpus)
    assert len(after) == before + 1
    added = next(q for q in after if q.text == "Wer betreut Norwegen?")
    assert corpus.get(added.doc_id).text[added.start :].startswith("Norway, Iceland")


# --- questions none of the sources answers --------------------------------------------------------

UNANSWERED = Path("questions") / "ec-2025-home-01.unanswered.toml"


def test_the_call_has_questions_no_source_answers_by_topic(corpus: Corpus) -> None:
    unanswered = unanswered_questions(corpus)
    assert len(unanswered) >= 150
    topics = [q.topic for q in unanswered]
    assert topics == sorted(topics)  # file order, numbered from 0
    assert len(set(topics)) == topics[-1] + 1 >= 40
    answered = {q.text.casefold() for q in expected_questions(corpus)}
    assert not {q.text.casefold() for q in unanswered} & answered
    # Most are details the call omits; some are about something else altogether.
    outside = {q.topic for q in unanswered if q.outside}
    assert 0 < len(outside) < len(set(topics)) / 2


def test_a_question_both_answered_and_unanswered_is_an_error_naming_the_file(
    corpus_copy: Path,
) -> None:
    answered = expected_questions(load_corpus(corpus_copy))[0].text
    with (corpus_copy / UNANSWERED).open("a", encoding="utf-8") as file:
        file.write(f'\n[[topic]]\nname = "clash"\nquestions = ["{answered}", "Another?"]\n')
    with pytest.raises(CorpusError, match="also a question a sentence answers") as raised:
        unanswered_questions(load_corpus(corpus_copy))
    assert "ec-2025-home-01.unanswered.toml" in str(raised.value)


def test_a_topic_of_one_question_is_an_error_naming_the_file(corpus_copy: Path) -> None:
    (corpus_copy / UNANSWERED).write_text(
        '[[topic]]\nname = "alone"\nquestions = ["Is there a canteen?"]\n', encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=r"ec-2025-home-01\.unanswered\.toml"):
        unanswered_questions(load_corpus(corpus_copy))


def test_a_call_without_the_file_has_none(corpus_copy: Path) -> None:
    manifest = corpus_copy / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("unanswered")),
        encoding="utf-8",
    )
    assert unanswered_questions(load_corpus(corpus_copy)) == []


def test_unanswered_questions_on_a_background_page_are_an_error(corpus_copy: Path) -> None:
    manifest = corpus_copy / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace(
            'questions = "questions/dg-home-profile.toml"',
            'questions = "questions/dg-home-profile.toml"\nunanswered = "questions/x.toml"',
        ),
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match="only a call has `unanswered`"):
        load_corpus(corpus_copy)
