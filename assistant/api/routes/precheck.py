"""The eligibility pre-check of a declared profile."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from assistant.api.deps import NowDep, ProfileDep, RuntimeDep
from assistant.api.schemas import ERROR_RESPONSES, RATE_LIMITED_RESPONSES
from assistant.precheck import PrecheckResult, evaluate

router = APIRouter(prefix="/api", tags=["precheck"])

PROFILE_EXAMPLE: dict[str, Any] = {
    "nationalities": ["BE"],
    "full_citizen_rights": True,
    "military_service_fulfilled": True,
    "physically_fit": True,
    "character_references": True,
    "epso_cast": "passed",
    "languages": [{"language": "fr", "level": "native"}, {"language": "en", "level": "C1"}],
    "education": {"years": 3, "diploma": True},
    "experience": [{"start": "2019-09-01", "end": None, "relevant": True}],
    "submitted_at": "2025-04-20T10:00:00+02:00",
}

# Examples for /docs; the schema of the body is set to Profile's in openapi.py.
PROFILE_BODY: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {
                "examples": {
                    "eligible": {"summary": "A complete profile", "value": PROFILE_EXAMPLE},
                    "partial": {
                        "summary": "A partial profile (missing answers give `unknown`)",
                        "value": {"nationalities": ["Norway"], "epso_cast": "registered"},
                    },
                },
            }
        },
    }
}


@router.post(
    "/precheck",
    response_model=PrecheckResult,
    summary="Pre-check eligibility",
    description=(
        "Checks a self-declared profile against each criterion of the call: `met`, `not_met` "
        "or `unknown` (not declared), each with the call's exact words. Every field is "
        "optional. Dates must not be in the future; `submitted_at` needs a UTC offset and "
        "adds the deadline criterion. Indicative only: see `disclaimer`. The profile is "
        "neither stored nor logged."
    ),
    responses={**ERROR_RESPONSES, **RATE_LIMITED_RESPONSES},
    openapi_extra=PROFILE_BODY,
)
def precheck(profile: ProfileDep, runtime: RuntimeDep, now: NowDep) -> PrecheckResult:
    return evaluate(profile, runtime.rules(), now=now)
