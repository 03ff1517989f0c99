"""Our own sentences in the composer's language around the call's English quotes: the deadline
computed against the clock and written as the language writes dates and counts, refusals,
criteria and unit names from the language's file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.answering.compose import CallModel, Composer, compose, in_language
from assistant.answering.decide import Decision
from assistant.answering.eligibility import Applied
from assistant.answering.models import Answer
from assistant.answering.verify import verify_answer
from assistant.locales import catalog
from assistant.locales.dates import when
from assistant.runtime import Services

BEFORE = datetime(2025, 4, 10, 7, 0, tzinfo=UTC)  # 12 days and 3 hours before the deadline
ENGLISH = catalog("answers", "en")


@pytest.fixture(scope="module")
def call(services: Services) -> CallModel:
    return services.answerer.call


def composed(decision: Decision, call: CallModel, code: str, now: datetime = BEFORE) -> Composer:
    composer = Composer(call.corpus, catalog("answers", code))
    compose(decision, call, composer, now=now)
    return composer


def test_the_deadline_is_written_in_the_composers_language(call: CallModel) -> None:
    french = catalog("answers", "fr")
    composer = Composer(call.corpus, french)
    assert compose(Decision("deadline"), call, composer, now=BEFORE) == "answered"
    text = composer.text()
    date, time, place = when(call.rules.deadline, "fr")
    assert date == "22 avril 2025"
    assert french.text("deadline.is", date=date, time=time, place=place) in text
    assert french.text("deadline.open", left=french.count("deadline.days", 12)) in text
    assert "22 avril 2025" in text
    assert "22 April 2025" not in text
    # The clause stays the call's English, cited verbatim.
    assert "22/04/2025 at midday 12:00 CET" in composer.citations[0].quote


@pytest.mark.parametrize(
    ("now", "days"),
    [
        (datetime(2025, 4, 21, 9, 0, tzinfo=UTC), 1),
        (datetime(2025, 4, 19, 9, 0, tzinfo=UTC), 3),
        (datetime(2025, 4, 17, 9, 0, tzinfo=UTC), 5),
    ],
)
def test_the_days_left_take_the_languages_plural_form(
    call: CallModel, now: datetime, days: int
) -> None:
    polish = catalog("answers", "pl")
    text = composed(Decision("deadline"), call, "pl", now).text()
    assert polish.text("deadline.open", left=polish.count("deadline.days", days)) in text
    assert when(call.rules.deadline, "pl")[0] in text


def test_after_the_deadline_the_call_is_said_closed_and_the_late_clause_quoted(
    call: CallModel,
) -> None:
    german = catalog("answers", "de")
    after = datetime(2025, 4, 28, 11, 0, tzinfo=UTC)  # 6 days and an hour after
    composer = composed(Decision("deadline"), call, "de", after)
    text = composer.text()
    since = german.count("deadline.ago", 6)
    assert german.text("deadline.closed", date="22. April 2025", since=since) in text
    late = call.sentence_of("deadline.late")
    assert late is not None
    assert [c.start for c in composer.citations][-1] == late.start


def test_a_refusal_is_the_languages_own_sentences(call: CallModel) -> None:
    polish = catalog("answers", "pl")
    composer = Composer(call.corpus, polish)
    assert compose(Decision("not_found"), call, composer, now=BEFORE) == "not_found"
    assert composer.text() == (
        f"{polish.text('not_found')} {polish.text('ask_team', contact=call.contact)}"
    )
    assert not composer.citations
    italian = catalog("answers", "it")
    composer = Composer(call.corpus, italian)
    assert compose(Decision("out_of_scope"), call, composer, now=BEFORE) == "out_of_scope"
    assert composer.text() == italian.text("out_of_scope", reference=call.reference)
    assert composer.text() != ENGLISH.text("out_of_scope", reference=call.reference)


def test_a_criterion_is_named_in_the_language_and_its_clause_quoted_in_english(
    call: CallModel,
) -> None:
    german = catalog("answers", "de")
    decision = Decision("eligibility", applied=(Applied("english", "english", None),))
    composer = composed(decision, call, "de")
    text = composer.text()
    label = catalog("precheck", "de").text("criterion.english")
    assert german.text("eligibility.the_call_says", label=label) in text
    assert german.text("eligibility.precheck") in text
    assert "C1" in composer.citations[0].quote
    assert ENGLISH.text("eligibility.precheck") not in text


def test_a_units_sentence_is_led_by_the_units_name_in_the_language(call: CallModel) -> None:
    own = [s for s in call.index.ordered if s.unit == "HOME.B.4"]
    sentence = own[1]
    assert sentence.unit_title
    assert "HOME.B.4" not in sentence.text
    decision = Decision("answer", sentences=(sentence,), name_unit=True)
    composer = composed(decision, call, "fr")
    lead = catalog("answers", "fr").text(
        "this_unit_titled", code="HOME.B.4", title=sentence.unit_title
    )
    assert composer.text().startswith(f"{lead} [1].")
    assert composer.citations[0].start == own[0].start  # where the call names the unit
    assert composer.citations[1].start == sentence.start


def test_an_answer_in_another_language_says_first_that_its_quotes_are_english(
    call: CallModel,
) -> None:
    french = catalog("answers", "fr")
    composer = composed(Decision("deadline"), call, "fr")
    answer = Answer(
        answer=composer.text(),
        citations=composer.citations,
        status="answered",
        intent="deadline",
    )
    moved = in_language(answer, french)
    assert moved.answer == f"{french.text('quotes_in_english')} {answer.answer}"
    assert moved.lang == "fr"
    assert moved.citations == answer.citations
    assert answer.lang == "en"  # a copy: the answer given is not changed
    verify_answer(moved, call.corpus)
    # Nothing quoted, nothing to say about quotes.
    refusal = Answer(
        answer=french.text("not_found"), citations=[], status="not_found", intent="unanswerable"
    )
    moved = in_language(refusal, french)
    assert moved.answer == refusal.answer
    assert moved.lang == "fr"
