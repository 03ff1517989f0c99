"""Finding the questions of an e-mail, and drafting with the real answerer."""

from __future__ import annotations

import re

import pytest

from assistant.drafting import (
    MAX_QUESTIONS,
    as_query,
    draft_reply,
    find_questions,
    signature_name,
)
from assistant.runtime import Services

EMAIL = """Dear Sir or Madam,

I am a lawyer from Belgium and I read the call for Policy Officers with great
interest. How long is the probationary period? Also, please tell me whether the
contract can be renewed.

I would like to know which languages are required. Please find attached my CV.

Kind regards,
Maria Rossi
Brussels, how are you? (a signature line, not a question)
"""


def test_questions_and_asks_are_found_greetings_and_signatures_are_not() -> None:
    assert find_questions(EMAIL) == [
        "How long is the probationary period?",
        "please tell me whether the contract can be renewed.",
        "I would like to know which languages are required.",
    ]


@pytest.mark.parametrize(
    ("question", "query"),
    [
        ("How long is the probationary period?", "How long is the probationary period?"),
        ("please tell me whether the contract can be renewed.", "The contract can be renewed?"),
        ("Could you please confirm if I need EPSO CAST.", "I need EPSO CAST?"),
        ("I would like to know which languages are required.", "Which languages are required?"),
        ("Let me know the deadline!", "The deadline?"),
    ],
)
def test_asks_become_plain_questions_for_the_answerer(question: str, query: str) -> None:
    assert as_query(question) == query


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("Hi, what is the deadline?\nThanks", ["what is the deadline?"]),
        ("Hello,\n\nDeadline for the HOME call\n\nBest,\nJo", ["Deadline for the HOME call"]),
        ("What is the salary? What  is the salary?", ["What is the salary?"]),
        (
            "Is it in Brussels?\n\nOn 2 May, HOME-CALL wrote:\n> Is there a test?\n",
            ["Is it in Brussels?"],
        ),
        ("Dear team,\n\nPlease find attached my CV.\n\nRegards", ["Please find attached my CV."]),
        ("", []),
    ],
)
def test_edge_cases_of_emails(email: str, expected: list[str]) -> None:
    assert find_questions(email) == expected


def test_at_most_max_questions_are_taken() -> None:
    email = " ".join(f"Is question {i} answered?" for i in range(MAX_QUESTIONS + 5))
    assert len(find_questions(email)) == MAX_QUESTIONS


def test_the_name_under_the_sign_off_greets_the_candidate() -> None:
    assert signature_name(EMAIL) == "Maria Rossi"
    assert signature_name("What?\n\nThanks,\n\njean-luc o'neil 123") is None
    assert signature_name("What?") is None


def test_citations_of_several_answers_are_renumbered_into_one_list(services: Services) -> None:
    email = "How long is the probationary period? What is the deadline for expressing interest?"
    draft = draft_reply(email, services.answerer, services.corpus, now=services.clock())
    assert [c.id for c in draft.citations] == list(range(1, len(draft.citations) + 1))
    assert len(draft.answers) == 2
    for item in draft.answers:
        alone = services.answerer.answer(item.question, [], now=services.clock())
        # The same quotes in the same places, whatever their numbers became.
        quotes = [draft.citations[int(n) - 1].quote for n in re.findall(r"\[(\d+)\]", item.answer)]
        alone_quotes = [
            alone.citations[int(n) - 1].quote for n in re.findall(r"\[(\d+)\]", alone.answer)
        ]
        assert quotes == alone_quotes
        assert re.sub(r"\[\d+\]", "", item.answer) == re.sub(r"\[\d+\]", "", alone.answer)


def test_a_profile_without_rules_is_a_programming_error(services: Services) -> None:
    from assistant.precheck import Profile

    with pytest.raises(ValueError, match="rules"):
        draft_reply(
            "What?",
            services.answerer,
            services.corpus,
            now=services.clock(),
            profile=Profile(),
        )


def test_an_email_that_only_says_thanks_gets_thanks_not_an_answer(services: Services) -> None:
    draft = draft_reply(
        "Dear team,\n\nThank you very much for your quick reply!\n\nBest regards,\nAna",
        services.answerer,
        services.corpus,
        now=services.clock(),
    )
    assert draft.questions == []
    assert draft.citations == []
    assert "Thank you for your kind message" in draft.draft
    assert "could not find a question" not in draft.draft


FRENCH_EMAIL = """Bonjour,

Je suis juriste à Lyon. Combien de temps dure la période d'essai ?

Cordialement,
Claire Martin
"""


def test_an_email_in_french_gets_a_reply_in_french_around_the_calls_english_words(
    services: Services,
) -> None:
    from sample_profiles import ELIGIBLE

    from assistant.locales import catalog
    from assistant.precheck import Profile, evaluate

    now = services.clock()
    profile = Profile.model_validate(ELIGIBLE, context={"now": now})
    draft = draft_reply(
        FRENCH_EMAIL,
        services.answerer,
        services.corpus,
        now=now,
        profile=profile,
        rules=services.rules,
    )
    french = catalog("drafts", "fr")
    text = draft.draft
    assert text.startswith(french.text("greeting_named", name="Claire Martin"))
    assert french.text("thanks", reference="EC-2025-HOME-01") in text
    assert catalog("answers", "fr").text("quotes_in_english") in text
    assert french.text("sources") in text
    assert text.rstrip().endswith(french.text("sign_off", reference="EC-2025-HOME-01"))
    # The answer quotes the call's English words, cited.
    assert [a.status for a in draft.answers] == ["answered"]
    assert draft.questions == ["Combien de temps dure la période d'essai ?"]
    assert french.text("asked", question=draft.questions[0]) in text
    assert "probationary period" in text
    # The pre-check speaks French too.
    assert draft.precheck is not None
    assert draft.precheck.disclaimer in text
    in_english = evaluate(profile, services.rules, now=now, lang="en")
    assert draft.precheck.disclaimer != in_english.disclaimer
    english = catalog("drafts", "en")
    for key in ("greeting", "thanks", "sources", "contact", "sign_off"):
        assert english.text(key, reference="EC-2025-HOME-01", contact="x")[:12] not in text, key


def test_an_email_in_english_keeps_the_english_reply(services: Services) -> None:
    draft = draft_reply(EMAIL, services.answerer, services.corpus, now=services.clock())
    assert draft.draft.startswith("Dear Maria Rossi,")
    assert "Kind regards,\nThe EC-2025-HOME-01 selection team" in draft.draft
    assert "published in English only" not in draft.draft


@pytest.mark.parametrize(
    ("email", "lang", "name"),
    [
        (
            "Bonjour,\n\nQuelle est la date limite ?\n\nCordialement,\nClaire Martin",
            "fr",
            "Claire Martin",
        ),
        (
            "Quelle est la date limite ?\n\nCordialement,\nClaire Martin\nParis",
            "fr",
            "Claire Martin",
        ),
        (
            "Wie lange dauert die Probezeit?\n\nMit freundlichen Grüßen\nHans Müller",
            "de",
            "Hans Müller",
        ),
        (
            "Wie lange dauert die Probezeit?\n\nVielen Dank im Voraus\nBeste Grüße\nHans",
            "de",
            "Hans",
        ),
        ("Wie lange dauert die Probezeit?\n\nBeste Grüße", "de", None),
        ("¿Cuándo termina el plazo?\n\nSaludos Cordiales\nAna López", "es", "Ana López"),
        (
            "Ποια είναι η προθεσμία;\n\nΜε εκτίμηση,\nΓιώργος Παπαδόπουλος",
            "el",
            "Γιώργος Παπαδόπουλος",
        ),
        ("Quelle est la date limite ?", "fr", None),
        ("Quelle est la date limite ?\nClaire Martin", "fr", None),  # no sign-off: no name
        ("Quelle est la date limite ?\n\nCordialement,\nje reste à votre disposition", "fr", None),
        # In English, only a known sign-off introduces a name.
        ("What is the deadline?\n\nSee you,\nMaria Rossi", "en", None),
    ],
)
def test_the_name_under_a_sign_off_in_another_language(
    email: str, lang: str, name: str | None
) -> None:
    assert signature_name(email, lang) == name


def test_an_email_in_another_language_that_only_thanks_gets_thanks_in_it(
    services: Services,
) -> None:
    from assistant.locales import catalog

    draft = draft_reply(
        "Sehr geehrte Damen und Herren,\n\nvielen Dank für Ihre schnelle Antwort.\n\n"
        "Mit freundlichen Grüßen\nHans Müller",
        services.answerer,
        services.corpus,
        now=services.clock(),
    )
    assert draft.questions == []
    assert draft.citations == []
    german = catalog("drafts", "de")
    assert german.text("thanks_courtesy") in draft.draft
    assert draft.draft.startswith(german.text("greeting_named", name="Hans Müller"))
