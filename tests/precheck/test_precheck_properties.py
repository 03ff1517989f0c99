"""Properties of the engine over generated profiles (hypothesis).

`database=None` everywhere: no .hypothesis/ folder is left in the working tree.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from precheck_support import NOW

from assistant.precheck import PrecheckResult, Profile, RuleSet, evaluate
from assistant.precheck.periods import calendar_months, merge

TODAY = NOW.date()
RANK = {"not_met": 0, "unknown": 1, "met": 2}
EXPERIENCE_IDS = {"experience_total", "experience_relevant"}
LANGUAGE_IDS = {"main_language", "second_language", "english"}

days = st.dates(min_value=date(2010, 1, 1), max_value=TODAY)


@st.composite
def periods(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(days)
    end = draw(st.none() | st.dates(min_value=start, max_value=TODAY))
    relevant = draw(st.sampled_from([True, False, None]))
    return {"start": start.isoformat(), "end": end and end.isoformat(), "relevant": relevant}


languages = st.fixed_dictionaries(
    {
        "language": st.sampled_from(["en", "fr", "de", "ga", "mt", "ru", "Turkish", "English"]),
        "level": st.sampled_from(["A1", "A2", "B1", "B2", "C1", "C2", "native", "c1"]),
    }
)
# Codes only, each listed once at most (a nationality given twice is refused).
countries = st.sampled_from(["BE", "EL", "FR", "NO", "CH", "GB", "US", "CZ", "IS"])
flags = st.none() | st.booleans()

profiles = st.fixed_dictionaries(
    {},
    optional={
        "nationalities": st.lists(countries, max_size=3, unique=True),
        "full_citizen_rights": flags,
        "military_service_fulfilled": flags,
        "physically_fit": flags,
        "character_references": flags,
        "epso_cast": st.none() | st.sampled_from(["passed", "registered", "none"]),
        "languages": st.lists(languages, max_size=4),
        "education": st.fixed_dictionaries(
            {}, optional={"years": st.integers(0, 8) | st.floats(0, 8), "diploma": flags}
        ),
        "experience": st.lists(periods(), max_size=5),
        "submitted_at": st.datetimes(
            min_value=NOW.replace(tzinfo=None) - timedelta(days=60),
            max_value=NOW.replace(tzinfo=None),
        ).map(lambda d: d.replace(tzinfo=NOW.tzinfo).isoformat()),
    },
)


def _run(rules: RuleSet, data: dict[str, Any]) -> PrecheckResult:
    return evaluate(Profile.model_validate(data, context={"now": NOW}), rules, now=NOW)


def _statuses(result: PrecheckResult) -> dict[str, str]:
    return {c.id: c.status for c in result.criteria}


def _never_worse(before: PrecheckResult, after: PrecheckResult, ids: set[str]) -> None:
    """A met criterion stays met, and no status goes down (not_met < unknown < met).

    Only for additions to a list that was already declared: declaring a list for the first time
    may turn `unknown` into `not_met`, as it should.
    """
    old, new = _statuses(before), _statuses(after)
    for criterion_id in ids:
        assert RANK[new[criterion_id]] >= RANK[old[criterion_id]], criterion_id


@settings(max_examples=150, deadline=None, database=None)
@given(data=profiles)
def test_deterministic(rules: RuleSet, data: dict[str, Any]) -> None:
    assert _run(rules, data).model_dump_json() == _run(rules, data).model_dump_json()


@settings(max_examples=150, deadline=None, database=None)
@given(data=profiles, seed=st.randoms(use_true_random=False))
def test_order_of_lists_does_not_matter(rules: RuleSet, data: dict[str, Any], seed: Any) -> None:
    shuffled = dict(data)
    for key in ("nationalities", "languages", "experience"):
        if key in shuffled:
            items = list(shuffled[key])
            seed.shuffle(items)
            shuffled[key] = items
    assert _run(rules, data) == _run(rules, shuffled)


@settings(max_examples=200, deadline=None, database=None)
@given(data=profiles, extra=periods())
def test_adding_experience_never_makes_it_worse(
    rules: RuleSet, data: dict[str, Any], extra: dict[str, Any]
) -> None:
    data = {**data, "experience": data.get("experience", [])}
    more = {**data, "experience": [*data["experience"], extra]}
    before, after = _run(rules, data), _run(rules, more)
    _never_worse(before, after, EXPERIENCE_IDS)
    # Every other criterion is untouched.
    old, new = _statuses(before), _statuses(after)
    assert {k: v for k, v in old.items() if k not in EXPERIENCE_IDS} == {
        k: v for k, v in new.items() if k not in EXPERIENCE_IDS
    }


@settings(max_examples=200, deadline=None, database=None)
@given(data=profiles, extra=languages)
def test_adding_a_language_never_makes_it_worse(
    rules: RuleSet, data: dict[str, Any], extra: dict[str, Any]
) -> None:
    data = {**data, "languages": data.get("languages", [])}
    more = {**data, "languages": [*data["languages"], extra]}
    _never_worse(_run(rules, data), _run(rules, more), LANGUAGE_IDS)


@settings(max_examples=100, deadline=None, database=None)
@given(data=profiles, extra=countries)
def test_adding_a_nationality_never_makes_it_worse(
    rules: RuleSet, data: dict[str, Any], extra: str
) -> None:
    data = {**data, "nationalities": data.get("nationalities", [])}
    assume(extra not in data["nationalities"])
    more = {**data, "nationalities": [*data["nationalities"], extra]}
    _never_worse(_run(rules, data), _run(rules, more), {"nationality"})


@settings(max_examples=150, deadline=None, database=None)
@given(data=profiles)
def test_verdict_follows_statuses(rules: RuleSet, data: dict[str, Any]) -> None:
    result = _run(rules, data)
    statuses = set(_statuses(result).values())
    expected = (
        "not_eligible"
        if "not_met" in statuses
        else "incomplete"
        if "unknown" in statuses
        else "eligible"
    )
    assert result.verdict == expected


@settings(max_examples=150, deadline=None, database=None)
@given(data=profiles)
def test_relevant_never_exceeds_total(rules: RuleSet, data: dict[str, Any]) -> None:
    # Relevant periods are a subset of all periods, so they never count more months.
    experience = [
        (date.fromisoformat(p["start"]), date.fromisoformat(p["end"] or TODAY.isoformat()))
        for p in data.get("experience", [])
    ]
    relevant = [
        interval
        for interval, p in zip(experience, data.get("experience", []), strict=True)
        if p["relevant"]
    ]
    assert calendar_months(relevant) <= calendar_months(experience)


@settings(database=None)
@given(st.lists(st.tuples(days, days).map(lambda t: (min(t), max(t))), max_size=6))
def test_merge_is_idempotent_and_keeps_the_months(intervals: list[tuple[date, date]]) -> None:
    merged = merge(intervals)
    assert merge(merged) == merged
    assert calendar_months(merged) == calendar_months(intervals)
    for (_, end), (start, _) in pairwise(merged):
        assert start > end + timedelta(days=1)


@settings(database=None)
@given(st.integers(2000, 2030), st.integers(1, 12), st.integers(1, 60))
def test_whole_calendar_months_count_exactly(year: int, month: int, count: int) -> None:
    start = date(year, month, 1)
    end_month = month - 1 + count
    end = date(year + end_month // 12, end_month % 12 + 1, 1) - timedelta(days=1)
    assert calendar_months([(start, end)]) == count
