"""Candidates' ratings of answers (thumbs up or down, an optional comment)."""

from __future__ import annotations

from fastapi import APIRouter, status

from assistant.api.deps import NowDep, ServicesDep
from assistant.api.schemas import ERROR_RESPONSES, RATE_LIMITED_RESPONSES
from assistant.feedback import Feedback, FeedbackReceipt
from assistant.feedback.store import save_feedback

router = APIRouter(prefix="/api", tags=["feedback"])


@router.post(
    "/feedback",
    response_model=FeedbackReceipt,
    status_code=status.HTTP_201_CREATED,
    summary="Rate an answer",
    description=(
        "Stores the rating, with the question and answer as the candidate saw them and the "
        "optional comment, for staff to review (`GET /api/feedback`). Nothing about the "
        "sender (address, browser) is recorded."
    ),
    responses={**ERROR_RESPONSES, **RATE_LIMITED_RESPONSES},
)
def feedback(body: Feedback, services: ServicesDep, now: NowDep) -> FeedbackReceipt:
    record = save_feedback(services.database, body, now=now)
    return FeedbackReceipt(id=record.id, created_at=record.created_at)
