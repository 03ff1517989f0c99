"""Questions about the call: a whole answer, or the same answer as a stream."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from assistant.answering.models import Answer
from assistant.api.deps import NowDep, RuntimeDep
from assistant.api.schemas import CHAT_EXAMPLES, ERROR_RESPONSES, ChatRequest
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
    responses={**ERROR_RESPONSES},
)
def chat(request: ChatBody, runtime: RuntimeDep, now: NowDep) -> Answer:
    # A plain def: FastAPI runs it in the thread pool, as the answer embeds and searches.
    return runtime.answerer().answer(request.message, request.history, now=now)


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
    },
)
async def chat_stream(request: ChatBody, runtime: RuntimeDep, now: NowDep) -> EventSourceResponse:
    # Answered (and verified) before the response starts, so errors are still plain JSON.
    answer = await run_in_threadpool(chat, request, runtime, now)
    return EventSourceResponse(answer_events(answer))
