"""Candidates' ratings of answers (thumbs up or down, an optional comment)."""

from __future__ import annotations

from fastapi import APIRouter, status

from assistant.api.deps import NowDep, ServicesDep
from assistant.api.schemas import ERROR_RESPONSES
from assistant.feedback import Feedback, FeedbackReceipt, append_feedback

router = APIRouter(prefix="/api", tags=["feedback"])


@router.post(
    "/feedback",
    response_model=FeedbackReceipt,
    status_code=status.HTTP_201_CREATED,
    summary="Rate an answer",
    description=(
        "Appends the rating, with the question and answer as the candidate saw them and the "
        "optional comment, to the feedback file (`ASSISTANT_FEEDBACK_PATH`, one JSON object "
        "per line). Nothing about the sender (address, browser) is recorded."
    ),
    responses={**ERROR_RESPONSES},
)
def feedback(body: Feedback, services: ServicesDep, now: NowDep) -> FeedbackReceipt:
    settings = services.settings
    record = append_feedback(
        settings.feedback_file, body, now=now, max_bytes=settings.feedback_max_bytes
    )
    return FeedbackReceipt(id=record.id, created_at=record.created_at)
