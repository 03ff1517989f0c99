"""Limits of the HTTP edge: requests per client, time per answer, size of a conversation.

The numbers are Settings (``ASSISTANT_MAX_BODY_BYTES``, ``ASSISTANT_RATE_LIMIT_PER_MINUTE``,
``ASSISTANT_REQUEST_TIMEOUT_SECONDS``, ...); this module holds the mechanisms that apply them,
except the rate limiter's counting, which is ``assistant.api.rate_limit``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from assistant.answering.models import Turn
from assistant.config import Settings
from retrieval.errors import AssistantError

T = TypeVar("T")

# Words per `delta` event of the stream: small enough to look live, few enough events to be cheap.
STREAM_CHUNK_WORDS = 3

# The endpoints that compute something per request, and so are rate limited (path prefixes).
RATE_LIMITED_PATHS = ("/api/chat", "/api/precheck", "/api/draft", "/api/search", "/api/feedback")


class RequestTimedOut(AssistantError):
    """An answer took longer than the configured request timeout."""

    status = 503
    exit_code = 5
    retry_after = 5  # a burst of load


def retry_after_header(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


async def run_with_timeout(seconds: float, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a worker thread; RequestTimedOut if it takes over ``seconds``.

    The thread cannot be stopped: it is abandoned and finishes on its own, but the client gets
    its answer (a 503) on time and the event loop is free.
    """
    try:
        with anyio.fail_after(seconds):
            call = partial(fn, *args, **kwargs)
            return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
    except TimeoutError:
        raise RequestTimedOut(
            f"the answer took longer than {seconds:g} s; try again in a moment"
        ) from None


# A JSON escape of a UTF-16 surrogate: paired, it is one character; alone, it is no character,
# and a string holding it could not be written back as UTF-8 (a 500 when a reply quotes it).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def body_encoding_problem(body: bytes) -> str | None:
    """Why ``body`` is not text the app can take (invalid UTF-8, lone surrogates), or None.

    JSON is UTF-8 (RFC 8259); checked on the raw bytes, before parsing, for every endpoint.
    """
    hint = "send a JSON object encoded as UTF-8 with the header Content-Type: application/json"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the body is not valid UTF-8 (byte {exc.start}); {hint}"
    if _SURROGATE_ESCAPE.search(body) is None:
        return None  # the common case: no need to parse here
    try:
        json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return f"the body holds a lone UTF-16 surrogate escape (\\ud800-\\udfff); {hint}"
    except (ValueError, RecursionError):
        return None  # not JSON at all: the app says so
    return None


def conversation_problems(
    message: str, history: Sequence[Turn], settings: Settings
) -> list[dict[str, Any]]:
    """What exceeds the configured limits, as request-validation errors (empty if nothing).

    The request schema enforces the answer contract's own bounds; these are the operator's,
    which may be tighter.
    """
    problems: list[dict[str, Any]] = []

    def problem(loc: tuple[str, ...], msg: str) -> None:
        problems.append({"type": "value_error", "loc": ("body", *loc), "msg": msg})

    if len(message) > settings.max_message_chars:
        problem(
            ("message",),
            f"the message is {len(message)} characters long; "
            f"the limit is {settings.max_message_chars}",
        )
    if len(history) > settings.max_history_turns:
        problem(
            ("history",),
            f"the history has {len(history)} turns; the limit is {settings.max_history_turns}, "
            "send only the latest ones",
        )
    chars = sum(len(turn.content) for turn in history)
    if chars > settings.max_history_chars:
        problem(
            ("history",),
            f"the history holds {chars} characters; the limit is {settings.max_history_chars}, "
            "send only the latest turns",
        )
    return problems
