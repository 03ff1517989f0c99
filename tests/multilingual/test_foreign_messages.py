"""Reading a message in a language other than English by its shape: greeting and sign-off lines
dropped, one question per question mark, what is stated before a question its context."""

from __future__ import annotations

import pytest

from assistant.answering.foreign import read_foreign
from assistant.answering.message import MAX_QUESTIONS


def test_an_email_gives_its_two_questions_each_with_what_was_said_before() -> None:
    email = (
        "Bonjour,\n\n"
        "Je suis juriste et je vis à Lyon.\n"
        "Quelle est la date limite ?\n"
        "Faut-il joindre une lettre de motivation ?\n\n"
        "Bien cordialement,\n"
        "Camille Durand"
    )
    read = read_foreign(email, "fr")
    assert [(q.text, q.context) for q in read.questions] == [
        ("Quelle est la date limite ?", "Je suis juriste et je vis à Lyon."),
        ("Faut-il joindre une lettre de motivation ?", "Je suis juriste et je vis à Lyon."),
    ]
    assert read.statements == ("Je suis juriste et je vis à Lyon.",)
    assert read.lang == "fr"
    assert read.text == email
    every = " ".join([*(q.text for q in read.questions), *read.statements])
    assert "Bonjour" not in every
    assert "Camille" not in every
    assert "cordialement" not in every


def test_two_questions_on_one_line_are_two() -> None:
    read = read_foreign("Wohin schicke ich meine Bewerbung? Wie lange dauert die Probezeit?", "de")
    assert [(q.text, q.context, q.continues) for q in read.questions] == [
        ("Wohin schicke ich meine Bewerbung?", "", False),
        ("Wie lange dauert die Probezeit?", "", False),
    ]


def test_an_elliptic_question_joins_the_one_before_it() -> None:
    read = read_foreign("Wie schicke ich meine Bewerbung? Per E-Mail?", "de")
    (asked,) = read.questions
    assert asked.text == "Wie schicke ich meine Bewerbung? Per E-Mail?"
    assert asked.continues
    # An elliptic question with nothing before it stands as it is.
    (alone,) = read_foreign("Per E-Mail?", "de").questions
    assert alone.text == "Per E-Mail?"
    assert not alone.continues


def test_a_message_without_a_question_mark_is_one_question() -> None:
    read = read_foreign("hasta cuando se puede mandar la solicitud", "es")
    assert [(q.text, q.context) for q in read.questions] == [
        ("hasta cuando se puede mandar la solicitud", "")
    ]
    assert read.statements == ()
    assert not read.courtesy
    # Over several lines, after a greeting, it is still one question, without the greeting.
    read = read_foreign("Hola,\nsoy abogada.\nquisiera saber el plazo de la solicitud", "es")
    (asked,) = read.questions
    assert asked.text == "soy abogada. quisiera saber el plazo de la solicitud"
    assert read.statements == ()


def test_a_quoted_earlier_message_is_not_read_again() -> None:
    read = read_foreign("Quelle est la date limite ?\n> Quel est le salaire ?", "fr")
    assert [q.text for q in read.questions] == ["Quelle est la date limite ?"]


def test_a_signature_is_dropped_only_when_its_lines_are_short() -> None:
    read = read_foreign("Dzień dobry,\nile trwa okres próbny?\nPozdrawiam,\nJan Kowalski", "pl")
    assert [q.text for q in read.questions] == ["ile trwa okres próbny?"]
    assert read.statements == ()


def test_at_most_max_questions_are_read() -> None:
    message = " ".join(f"Ist das die Frage Nummer {i}?" for i in range(MAX_QUESTIONS + 2))
    read = read_foreign(message, "de")
    assert len(read.questions) == MAX_QUESTIONS
    assert read.questions[0].text == "Ist das die Frage Nummer 0?"


def test_greek_questions_end_with_the_greek_question_mark() -> None:
    read = read_foreign("Ποια είναι η προθεσμία; Πόσο διαρκεί η δοκιμαστική περίοδος;", "el")
    assert [q.text.rstrip("?;") for q in read.questions] == [
        "Ποια είναι η προθεσμία",
        "Πόσο διαρκεί η δοκιμαστική περίοδος",
    ]


def test_a_short_statement_before_a_comma_is_not_taken_for_a_greeting() -> None:
    read = read_foreign("Ich bin Norweger, kann ich mich auf diese Stelle bewerben?", "de")
    (asked,) = read.questions
    assert "Norweger" in f"{asked.context} {asked.text}"


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("Vielen Dank für Ihre schnelle Antwort.", "de"),
        ("Merci beaucoup ! Bonne journée.", "fr"),
        ("Grazie mille per la risposta.", "it"),
        ("Dziękuję bardzo za odpowiedź.", "pl"),
    ],
)
def test_a_message_that_only_thanks_asks_nothing(message: str, lang: str) -> None:
    read = read_foreign(message, lang)
    assert read.courtesy


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        # Thanks at the end of a question asked without a question mark: still a question.
        ("hasta cuando se puede mandar la solicitud, gracias", "es"),
        ("Merci. Je voudrais savoir la date limite", "fr"),
        ("Dankbaar ben ik niet, maar wanneer is de deadline", "nl"),
    ],
)
def test_thanks_beside_a_question_do_not_hide_it(message: str, lang: str) -> None:
    assert read_foreign(message, lang).questions
