"""A cited span in its context, for clients that open a citation where the call says it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from assistant.api.deps import ServicesDep
from assistant.api.schemas import ERROR_RESPONSES
from assistant.sources import PassageContext, passage_context

router = APIRouter(prefix="/api", tags=["sources"])


@router.get(
    "/passage",
    response_model=PassageContext,
    summary="A cited span in its context",
    description=(
        "The passage of `doc_id` that holds the span `start`–`end` (as given by a citation), "
        "with its neighbours in the same section, verbatim, and where the span sits in it "
        "(`highlight_start`, `highlight_end`, relative to `text`). Unknown document: 404."
    ),
    responses={404: ERROR_RESPONSES[503] | {"description": "No such document."}, **ERROR_RESPONSES},
)
def passage(
    doc_id: Annotated[str, Query(max_length=100, description="A citation's `doc_id`.")],
    start: Annotated[int, Query(ge=0, description="A citation's `start`.")],
    end: Annotated[int, Query(ge=1, description="A citation's `end`.")],
    services: ServicesDep,
) -> PassageContext:
    return passage_context(services.corpus, doc_id, start, end)
