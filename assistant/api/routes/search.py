"""Ranked passages for a query: what the answerer reads, so a deployment's retrieval can be
measured (``assistant eval --target URL``) and a client can show "related passages"."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from assistant.answering.models import MAX_MESSAGE_CHARS
from assistant.api.deps import RuntimeDep
from assistant.api.limits import run_with_timeout
from assistant.api.schemas import ERROR_RESPONSES, RATE_LIMITED_RESPONSES
from assistant.validation import NOT_BLANK, JsonInt

router = APIRouter(prefix="/api", tags=["search"])


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(
        min_length=1,
        max_length=MAX_MESSAGE_CHARS,
        description="What to find; not only spaces.",
        json_schema_extra={"pattern": NOT_BLANK},
    )
    k: JsonInt = Field(default=5, ge=1, le=50, description="How many passages.")


class SearchHit(BaseModel):
    """A passage of a source document: ``text == document[start:end]``."""

    doc_id: str
    title: str
    section: str
    text: str
    start: int
    end: int
    score: float


@router.post(
    "/search",
    response_model=list[SearchHit],
    summary="Rank the call's passages for a query",
    description=(
        "The passages that best match `query`, best first, with their offsets in the source "
        "document and the fused BM25 + dense score. No answer is composed."
    ),
    responses={**ERROR_RESPONSES, **RATE_LIMITED_RESPONSES},
)
async def search(request: SearchRequest, runtime: RuntimeDep) -> list[SearchHit]:
    runtime.require("model", "retriever")
    documents = await run_with_timeout(
        runtime.services.settings.request_timeout_seconds,
        runtime.services.retriever.rank,
        request.query,
        k=request.k,
    )
    return [
        SearchHit(
            doc_id=d.metadata["doc_id"],
            title=d.metadata["title"],
            section=d.metadata["section"],
            text=d.page_content,
            start=d.metadata["start"],
            end=d.metadata["end"],
            score=d.metadata["score"],
        )
        for d in documents
    ]
