"""Helpdesk drafting: a reply to a candidate's e-mail, with citations, to edit before sending."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from assistant.api.auth import STAFF_ONLY
from assistant.api.deps import NowDep, RuntimeDep, validate_at
from assistant.api.limits import run_with_timeout
from assistant.api.schemas import RATE_LIMITED_RESPONSES, STAFF_ERROR_RESPONSES
from assistant.drafting import Draft, DraftRequest, draft_reply

router = APIRouter(prefix="/api", tags=["helpdesk"])

DRAFT_EXAMPLE: dict[str, Any] = {
    "message": (
        "Dear Sir or Madam,\n\nHow long is the probationary period? And what is the deadline "
        "for expressing interest?\n\nKind regards,\nMaria Rossi"
    ),
}

DRAFT_BODY: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {
                "examples": {
                    "two-questions": {
                        "summary": "An e-mail with two questions",
                        "value": DRAFT_EXAMPLE,
                    },
                    "with-profile": {
                        "summary": "With the profile the candidate declared",
                        "value": {
                            **DRAFT_EXAMPLE,
                            "profile": {"nationalities": ["IT"], "epso_cast": "passed"},
                        },
                    },
                }
            }
        }
    }
}


async def get_draft_request(body: Annotated[dict[str, Any], Body()], now: NowDep) -> DraftRequest:
    # The profile's dates are checked against the injected clock, as for /api/precheck.
    return validate_at(DraftRequest, body, now)


DraftRequestDep = Annotated[DraftRequest, Depends(get_draft_request)]


@router.post(
    "/draft",
    response_model=Draft,
    summary="Draft a reply to a candidate's e-mail",
    description=(
        "Finds the questions in `message` (sentences ending in '?' and asks such as 'Please "
        "tell me…'), answers each from the call with citations, as `/api/chat` does (where the "
        "call is silent the draft says so and gives the contact), pre-checks `profile` when "
        "given, and composes a reply: greeting, answers, sources, sign-off. `citations` are "
        "numbered across the whole draft. Neither the e-mail nor the profile is stored or logged. "
        "Staff only: signed in (with `X-CSRF-Token`) or with a bearer token."
    ),
    responses={**STAFF_ERROR_RESPONSES, **RATE_LIMITED_RESPONSES},
    openapi_extra=DRAFT_BODY,
    dependencies=[STAFF_ONLY],
)
async def draft(request: DraftRequestDep, runtime: RuntimeDep, now: NowDep) -> Draft:
    rules = runtime.rules() if request.profile is not None else None
    # Up to ten answers: in a worker thread, and bounded like a chat answer.
    return await run_with_timeout(
        runtime.services.settings.request_timeout_seconds,
        draft_reply,
        request.message,
        runtime.answerer(),
        runtime.services.corpus,
        now=now,
        profile=request.profile,
        rules=rules,
    )
