"""Questions about the call: a whole answer, or the same answer as a stream."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body
from fastapi.exceptions import RequestValidationError
from sse_starlette import EventSourceResponse

from assistant.answering.models import Answer
from assistant.api.deps import NowDep, RuntimeDep
from assistant.api.limits import conversation_problems, run_with_timeout
from assistant.api.schemas import (
    CHAT_EXAMPLES,
    ERROR_RESPONSES,
    RATE_LIMITED_RESPONSES,
    ChatRequest,
)
from assistant.api.state import Runtime
from assistant.api.streaming import answer_events

router = APIRouter(prefix="/api", tags=["chat"])

ChatBody = Annotated[ChatRequest, Body(openapi_examples=CHAT_EXAMPLES)]


@router.post(
    "/chat",
    response_model=Answer,
    summary="Answer a question about the call",
    description=(
        "Answers from the call's own text. Every `[n]` in `answer` refers to the citation with "
        "`id` n, whose `quote` is the exact text of `doc_id` between `start` and `end`. "
        "`status` is `answered`, `not_found` (the sources do not say; `contact` says whom to "
        "ask) or `out_of_scope`."
    ),
    responses={**ERROR_RESPONSES, **RATE_LIMITED_RESPONSES},
)
async def chat(request: ChatBody, runtime: RuntimeDep, now: NowDep) -> Answer:
    settings = runtime.services.settings
    problems = conversation_problems(request.message, request.history, settings)
    if problems:
        raise RequestValidationError(problems)
    # In a worker thread, as the answer embeds and searches; bounded, so a stuck vector store
    # costs the client the timeout, not a hung request.
    return await run_with_timeout(settings.request_timeout_seconds, answer, request, runtime, now)


def answer(request: ChatRequest, runtime: Runtime, now: datetime) -> Answer:
    return runtime.answerer().answer(request.message, request.history, now=now, lang=request.lang)


@router.post(
    "/chat/stream",
    response_class=EventSourceResponse,
    summary="Answer a question as Server-Sent Events",
    description=(
        "The same answer as `POST /api/chat`, as a `text/event-stream`: one `citations` event "
        '(a JSON list of citations), then `delta` events (`{"text": …}`; their texts '
        "concatenated are the answer), then `done` (the complete answer, as `/api/chat` "
        "returns it). Invalid requests get the usual JSON error before any event."
    ),
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "The event stream."},
        **ERROR_RESPONSES,
        **RATE_LIMITED_RESPONSES,
    },
)
async def chat_stream(request: ChatBody, runtime: RuntimeDep, now: NowDep) -> EventSourceResponse:
    # Answered (and verified) before the response starts, so errors are still plain JSON.
    result = await chat(request, runtime, now)
    return EventSourceResponse(answer_events(result))
