"""Profiles shared by the API and CLI tests of the pre-check."""

from __future__ import annotations

from typing import Any

# A typical eligible candidate: Belgian, French native, English C1, four years of relevant work.
ELIGIBLE: dict[str, Any] = {
    "nationalities": ["BE"],
    "full_citizen_rights": True,
    "military_service_fulfilled": True,
    "physically_fit": True,
    "character_references": True,
    "epso_cast": "passed",
    "languages": [{"language": "fr", "level": "native"}, {"language": "en", "level": "C1"}],
    "education": {"years": 3, "diploma": True},
    "experience": [{"start": "2019-01-01", "end": "2022-12-31", "relevant": True}],
    "submitted_at": "2025-04-20T10:00:00+02:00",
}
