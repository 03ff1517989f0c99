"""Which language a message is written in: the detector over the 24 official EU languages, the
widget's language where the text is too short to tell, English where there is no hint."""

from __future__ import annotations

import pytest

from assistant.answering.language import detect
from assistant.locales import languages


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Je suis juriste et je vis à Lyon depuis dix ans.", "fr"),
        ("Quelle est la date limite pour postuler ?", "fr"),
        ("Ich habe einen Abschluss in Rechtswissenschaften und spreche gut Englisch.", "de"),
        ("Wie lange dauert die Probezeit?", "de"),
        ("Mam wykształcenie prawnicze i pięć lat doświadczenia zawodowego.", "pl"),
        ("Ile trwa okres próbny?", "pl"),
        ("Είμαι δικηγόρος και μιλάω άπταιστα αγγλικά.", "el"),
        ("Ποια είναι η προθεσμία υποβολής αιτήσεων;", "el"),
    ],
)
def test_a_sentence_is_read_in_its_own_language(text: str, code: str) -> None:
    assert detect(text) == code
    # The widget's language decides only where the text does not: it never outweighs it.
    assert detect(text, "it") == code


@pytest.mark.parametrize(
    "text",
    [
        "CAST?",
        "FG IV ok",
        "ok",
        "?",
        "EPSO CAST HOME.B.4",
        "HOME-CALL@ec.europa.eu 22/04/2025 https://epso.europa.eu FG IV",
    ],
)
def test_a_text_too_short_to_tell_is_read_in_the_hint_else_english(text: str) -> None:
    assert detect(text) == "en"
    assert detect(text, "fr") == "fr"
    assert detect(text, "pt-BR") == "pt"  # a tag with a region names its language
    assert detect(text, "xx") == "en"  # not an EU language: English


@pytest.mark.parametrize(
    "text",
    [
        "What is the deadline for applications?",
        "How long is the probationary period?",
        "Is my B2 in English enough?",
        "I'm Norwegian, can I apply?",
        "Which unit deals with visas?",
        "Do I need to have passed the EPSO CAST for FG IV?",
    ],
)
def test_english_questions_stay_english_whatever_the_widget_speaks(text: str) -> None:
    assert detect(text) == "en"
    assert detect(text, "fr") == "en"
    assert detect(text, "de") == "en"


def test_the_calls_acronyms_and_codes_are_no_evidence_of_a_language() -> None:
    # Acronyms of an English call inside a French or Polish question do not make it English.
    assert detect("Est-ce que le CAST EPSO FG IV est obligatoire pour postuler ?") == "fr"
    assert detect("Muszę mieć CAST EPSO dla FG IV?") == "pl"
    # Only codes, an address and a number: nothing to read, so the hint decides.
    assert detect("HOME.C.1 HOME-CALL@ec.europa.eu EC-2025-HOME-01 CAST", "de") == "de"


@pytest.mark.parametrize(
    "text",
    [
        "Bu ilana nasıl başvurabilirim acaba?",  # Turkish
        "Hvordan søker jeg på denne stillingen?",  # Norwegian
        "Как подать заявку на эту должность?",  # Russian
    ],
)
def test_a_language_outside_the_eu_is_read_as_one_of_the_24(text: str) -> None:
    assert detect(text) in languages()
    assert len(languages()) == 24


def test_a_message_typed_in_capitals_is_read_in_its_language() -> None:
    assert detect("QUELLE EST LA DATE LIMITE POUR POSTULER ?") == "fr"


def test_the_calls_names_in_a_message_in_capitals_are_not_read_as_english_words() -> None:
    # "home" and "cast" are English words; in capitals they are still the call's names.
    assert detect("KIEDY JEST TERMIN CAST EPSO HOME?") == detect(
        "Kiedy jest termin CAST EPSO HOME?"
    )
    assert detect("KIEDY JEST TERMIN CAST EPSO HOME?") == "pl"
