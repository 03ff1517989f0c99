"""The English word list the answerer reads slips and everyday words by."""

from __future__ import annotations

from assistant.answering.knowledge import rare
from retrieval import spelling
from retrieval.text import stem


def test_the_shipped_everyday_stems_are_those_of_the_word_list() -> None:
    # The file saves every start the stemming of 160,000 words; it must not drift from them.
    assert sorted(spelling.common_stems()) == spelling.compute_common_stems()


def test_the_shipped_english_words_are_those_of_the_word_list() -> None:
    assert spelling.ENGLISH_WORDS.read_text("utf-8").splitlines() == spelling.english_word_lines()


def test_slips_are_corrected_towards_the_preferred_words_then_common_english() -> None:
    speller = spelling.Speller(["asylum", "contract", "deadline"])
    assert speller.correct("asylm contarct dedline") == "asylum contract deadline"
    assert speller.correct("the date of the intervew") == "the date of the interview"
    assert speller.correct("EUR") == "EUR"  # an acronym is never a slip


def test_a_slip_in_a_questions_opening_word_is_read_where_a_question_puts_it() -> None:
    speller = spelling.Speller(["unit", "when", "which", "with"])
    assert speller.correct("dose the unit hire?") == "does the unit hire?"
    assert speller.correct("So what dose it cover? Dose it matter?") == (
        "So what does it cover? Does it matter?"
    )
    assert speller.correct("wen does it start") == "when does it start"
    assert speller.correct("hw long is it") == "how long is it"
    assert speller.correct("an interview? As a rule") == "an interview? As a rule"
    # The opening is read before the word alone: "wich" is "which" there, not "with".
    assert speller.correct("Wich unit is it?") == "Which unit is it?"
    assert speller.correct("waht dose it cover") == "what does it cover"
    # Elsewhere the word is the word; a changed letter is no slip ("car" is not "can"), and a
    # slip that could be either of two words is left as typed ("hwo": how or who).
    assert speller.correct("Is the dose right?") == "Is the dose right?"
    assert speller.correct("car allowance?") == "car allowance?"
    assert speller.correct("hwo long") == "hwo long"


def test_words_typed_together_are_read_as_the_texts_write_them() -> None:
    together = spelling.written_together(["The Unit is in charge of short-term measures."])
    assert {"short-term", "in charge"} <= together
    speller = spelling.Speller(["short", "term", "long", "charge"], together)
    assert speller.correct("shortterm measures") == "short-term measures"
    assert speller.correct("who is incharge") == "who is in charge"
    # Only what the texts write together: "longterm" is left for what else it may be.
    assert "-" not in speller.correct("longterm")


def test_everyday_words_are_not_topics_and_rare_ones_are() -> None:
    assert not rare(stem("pick"))
    assert not rare(stem("supposed"))  # its stem stemmed again is no word: read once
    assert not rare(stem("take-home"))  # a compound of everyday words
    assert rare(stem("exoplanet"))
    assert rare(stem("phlebotomist"))
