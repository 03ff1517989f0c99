"""An answer as Server-Sent Events: ``citations``, then ``delta``s of text, then ``done``.

The answer is complete and verified before the first event: streaming only paces its display,
so a client never shows text whose citations failed the check.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator

from sse_starlette import ServerSentEvent

from assistant.answering.models import Answer
from assistant.api.limits import STREAM_CHUNK_WORDS

# A word with the spaces that follow it; leading spaces stay with the first piece.
_WORD = re.compile(r"\s*\S+\s*|\s+")


def chunks(text: str, words: int = STREAM_CHUNK_WORDS) -> list[str]:
    """``text`` in groups of ``words`` words; ``"".join(chunks(text)) == text`` always."""
    pieces = _WORD.findall(text)
    return ["".join(pieces[i : i + words]) for i in range(0, len(pieces), words)]


async def answer_events(answer: Answer) -> AsyncIterator[ServerSentEvent]:
    citations = [c.model_dump(mode="json") for c in answer.citations]
    yield ServerSentEvent(event="citations", data=json.dumps(citations, ensure_ascii=False))
    for piece in chunks(answer.answer):
        yield ServerSentEvent(event="delta", data=json.dumps({"text": piece}, ensure_ascii=False))
    yield ServerSentEvent(event="done", data=answer.model_dump_json())
