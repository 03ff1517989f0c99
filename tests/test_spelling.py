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


def test_an_auxiliary_with_two_letters_swapped_is_read_where_a_question_puts_it() -> None:
    speller = spelling.Speller(["unit"])
    assert speller.correct("dose the unit hire?") == "does the unit hire?"
    assert speller.correct("So what dose it cover? Dose it matter?") == (
        "So what does it cover? Does it matter?"
    )
    # Elsewhere the word is the word: a dose is a dose, and "from" is not taken for "form".
    assert speller.correct("Is the dose right?") == "Is the dose right?"
    assert speller.correct("form the start") == "form the start"


def test_a_compound_typed_without_its_hyphen_is_the_compound_the_texts_use() -> None:
    speller = spelling.Speller(["short", "term", "long"], ["short-term"])
    assert speller.correct("shortterm measures") == "short-term measures"
    # Only a compound the texts use: "longterm" is left for what else it may be.
    assert "-" not in speller.correct("longterm")


def test_everyday_words_are_not_topics_and_rare_ones_are() -> None:
    assert not rare(stem("pick"))
    assert not rare(stem("take-home"))  # a compound of everyday words
    assert rare(stem("exoplanet"))
    assert rare(stem("phlebotomist"))
