"""Bad input is refused, with the field and what is wrong (the API turns this into a 422)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from precheck_support import NOW
from pydantic import ValidationError

from assistant.precheck import Profile, parse_profile

TODAY = date(2025, 6, 1)
PERIOD = {"start": "2019-01-01", "end": "2020-12-31", "relevant": True}


@pytest.mark.parametrize(
    ("data", "loc", "words"),
    [
        ({"salary": 1}, ("salary",), "Extra inputs"),
        ({"nationalities": "BE"}, ("nationalities",), "valid list"),
        ({"nationalities": ["Atlantis"]}, ("nationalities", 0), "unknown country 'Atlantis'"),
        ({"nationalities": ["XX"]}, ("nationalities", 0), "unknown country 'XX'"),
        ({"nationalities": [56]}, ("nationalities", 0), "valid string"),
        ({"full_citizen_rights": "yes"}, ("full_citizen_rights",), "valid boolean"),
        ({"military_service_fulfilled": 1}, ("military_service_fulfilled",), "valid boolean"),
        ({"physically_fit": "true"}, ("physically_fit",), "valid boolean"),
        ({"character_references": None, "x": 1}, ("x",), "Extra inputs"),
        ({"epso_cast": "maybe"}, ("epso_cast",), "'passed', 'registered' or 'none'"),
        ({"epso_cast": "Passed"}, ("epso_cast",), "'passed'"),
        ({"languages": {"en": "C1"}}, ("languages",), "valid list"),
        (
            {"languages": [{"language": "Klingon", "level": "C1"}]},
            ("languages", 0, "language"),
            "unknown language 'Klingon'",
        ),
        (
            {"languages": [{"language": "en", "level": "C3"}]},
            ("languages", 0, "level"),
            "level 'C3' is not one of A1, A2, B1, B2, C1, C2 or native",
        ),
        (
            {"languages": [{"language": "en", "level": "fluent"}]},
            ("languages", 0, "level"),
            "'fluent'",
        ),
        ({"languages": [{"language": "en"}]}, ("languages", 0, "level"), "Field required"),
        (
            {"languages": [{"language": "en", "level": "C1", "years": 3}]},
            ("languages", 0, "years"),
            "Extra inputs",
        ),
        ({"education": {"years": "3"}}, ("education", "years"), "valid number"),
        ({"education": {"years": -1}}, ("education", "years"), "greater than or equal to 0"),
        ({"education": {"diploma": "yes"}}, ("education", "diploma"), "valid boolean"),
        ({"education": {"degree": "MA"}}, ("education", "degree"), "Extra inputs"),
        (
            {"experience": [{"start": "2020-01-01", "end": "2019-12-31", "relevant": True}]},
            ("experience", 0, "end"),
            "end 2019-12-31 is before start 2020-01-01",
        ),
        (
            {"experience": [PERIOD, {"start": "2025-06-02", "end": None}]},
            ("experience", 1, "start"),
            "start 2025-06-02 is in the future",
        ),
        (
            {"experience": [{"start": "2024-01-01", "end": "2025-06-30"}]},
            ("experience", 0, "end"),
            "end 2025-06-30 is in the future",
        ),
        ({"experience": [{"start": "2024-01-01"}]}, ("experience", 0, "end"), "Field required"),
        (
            {"experience": [{"start": "2024-02-30", "end": None}]},
            ("experience", 0, "start"),
            "valid date",
        ),
        (
            {"experience": [{"start": 1546300800, "end": None}]},
            ("experience", 0, "start"),
            "ISO 8601",
        ),
        (
            {"experience": [{"start": "2024-01-01", "end": None, "relevant": "yes"}]},
            ("experience", 0, "relevant"),
            "valid boolean",
        ),
        ({"submitted_at": "2025-04-20T10:00:00"}, ("submitted_at",), "no UTC offset"),
        ({"submitted_at": "2025-04-20"}, ("submitted_at",), "no UTC offset"),
        ({"submitted_at": "2025-06-02T10:00:00+02:00"}, ("submitted_at",), "in the future"),
        ({"submitted_at": 1745000000}, ("submitted_at",), "ISO 8601"),
        ({"submitted_at": "yesterday"}, ("submitted_at",), "ISO 8601"),
        ({"submitted_at": "1745000000"}, ("submitted_at",), "ISO 8601"),  # no Unix time
    ],
)
def test_bad_input_names_the_field_and_the_problem(
    data: dict[str, Any], loc: tuple[str | int, ...], words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate(data, context={"today": TODAY})
    errors = caught.value.errors()
    assert any(e["loc"] == loc and words in e["msg"] for e in errors), errors


def test_every_field_is_optional() -> None:
    assert Profile.model_validate({}) == Profile()


def test_a_full_profile_is_accepted_and_normalised() -> None:
    profile = parse_profile(
        {
            "nationalities": ["el", "Czech Republic"],
            "languages": [
                {"language": "English", "level": "c1"},
                {"language": "FR", "level": "Native"},
            ],
            "experience": [PERIOD],
            "submitted_at": "2025-04-20T10:00:00+02:00",
        },
        now=NOW,
    )
    assert profile.nationalities == ["GR", "CZ"]
    assert [(s.language, s.level) for s in profile.languages or []] == [
        ("en", "C1"),
        ("fr", "native"),
    ]


def test_known_non_eu_values_are_accepted() -> None:
    profile = Profile.model_validate(
        {
            "nationalities": ["NO", "Switzerland", "UK"],
            "languages": [{"language": "ru", "level": "C2"}],
        }
    )
    assert profile.nationalities == ["NO", "CH", "GB"]


def test_future_is_relative_to_the_injected_clock() -> None:
    data = {"experience": [{"start": "2025-05-01", "end": None}]}
    Profile.model_validate(data, context={"today": date(2025, 5, 1)})
    with pytest.raises(ValidationError, match="in the future"):
        Profile.model_validate(data, context={"today": date(2025, 4, 30)})


def test_submission_in_the_future_is_checked_to_the_minute_with_now() -> None:
    data = {"submitted_at": "2025-04-20T10:00:00+02:00"}
    parse_profile(data, now=datetime.fromisoformat("2025-04-20T10:00:00+02:00"))
    with pytest.raises(ValidationError, match="in the future"):
        parse_profile(data, now=datetime.fromisoformat("2025-04-20T09:59:00+02:00"))


def test_without_context_the_real_date_is_used() -> None:
    with pytest.raises(ValidationError, match="in the future"):
        Profile.model_validate({"experience": [{"start": "2999-01-01", "end": None}]})
