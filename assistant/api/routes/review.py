"""Candidates' ratings, for staff: list them with filters, mark them reviewed."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from assistant.api.auth import STAFF_ONLY
from assistant.api.deps import ServicesDep
from assistant.api.schemas import RATE_LIMITED_RESPONSES, STAFF_ERROR_RESPONSES, ErrorBody
from assistant.feedback import FeedbackPage, FeedbackRecord
from assistant.feedback.models import Rating
from assistant.feedback.store import MAX_PAGE, FeedbackFilter, list_feedback, mark_reviewed
from assistant.precheck.spellings import ISO_DATE

router = APIRouter(prefix="/api/feedback", tags=["staff"], dependencies=[STAFF_ONLY])

# Bounded so that no value can overflow the database's integer (a 500 rather than a 422).
MAX_OFFSET = 1_000_000_000


def _iso_day(value: object) -> object:
    # `format: date` is YYYY-MM-DD; pydantic alone would also read "0" as 1970-01-01.
    if isinstance(value, str) and not ISO_DATE.fullmatch(value):
        raise ValueError("expected a day as YYYY-MM-DD, e.g. 2025-04-20")
    return value


Day = Annotated[date | None, BeforeValidator(_iso_day)]


@router.get(
    "",
    response_model=FeedbackPage,
    summary="List candidates' ratings (staff)",
    description=(
        "Ratings newest first, with the question, the answer, its citations when the widget "
        "sent them, the comment and whether a staff member has reviewed it. Filters: "
        "`rating`, `reviewed`, `since` and `until` (dates, UTC, both included). Paged by "
        "`limit` and `offset`; `total` counts every match."
    ),
    responses={**STAFF_ERROR_RESPONSES, **RATE_LIMITED_RESPONSES},
)
def list_ratings(
    services: ServicesDep,
    rating: Annotated[Rating | None, Query(description="up or down")] = None,
    reviewed: Annotated[bool | None, Query(description="true: reviewed; false: not yet")] = None,
    since: Annotated[Day, Query(description="From this day (YYYY-MM-DD).")] = None,
    until: Annotated[Day, Query(description="To this day (YYYY-MM-DD).")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> FeedbackPage:
    where = FeedbackFilter(rating=rating, reviewed=reviewed, since=since, until=until)
    return list_feedback(services.database, where, limit=limit, offset=offset)


@router.post(
    "/{feedback_id}/review",
    response_model=FeedbackRecord,
    summary="Mark a rating reviewed (staff)",
    description=(
        "Marks the rating reviewed; again, it keeps the time of the first review. With the "
        "session cookie, send the `X-CSRF-Token` header."
    ),
    responses={
        404: {"model": ErrorBody, "description": "No such rating."},
        **STAFF_ERROR_RESPONSES,
        **RATE_LIMITED_RESPONSES,
    },
)
def review(feedback_id: uuid.UUID, services: ServicesDep) -> FeedbackRecord:
    return mark_reviewed(services.database, feedback_id, now=services.clock())
