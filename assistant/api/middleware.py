"""Plain ASGI middleware: request ids and the request log, and the request body size limit.

Plain ASGI rather than BaseHTTPMiddleware, so that a streamed response (SSE) passes through
untouched and its duration is measured to the last event.
"""

from __future__ import annotations

import json
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import body_too_large_response, internal_error_response
from assistant.api.log import LOGGER, log_request

REQUEST_ID_HEADER = "X-Request-ID"


class RequestContextMiddleware:
    """Gives each request an id (``request.state.request_id`` and the ``X-Request-ID`` header),
    logs one line when it ends, and turns an unexpected exception into a bare 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Generated, never taken from the client: a log line must not carry client-chosen text.
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status: int | None = None  # stays None when the client leaves before any response

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # The traceback goes to the server log, with the id the client was given.
            LOGGER.exception(json.dumps({"request_id": request_id, "error": "unhandled"}))
            if status is not None:
                raise  # the response has started: all we can do is drop the connection
            status = 500
            await internal_error_response(request_id)(scope, receive, send_with_id)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            log_request(request_id, scope["method"], scope["path"], status or 0, elapsed)


class BodySizeLimitMiddleware:
    """Answers 413 to a request whose body exceeds ``max_bytes``, before any parsing.

    The body is read here in full (at most ``max_bytes``) and replayed to the app, so the check
    holds for a chunked body without Content-Length too.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id")
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await body_too_large_response(self.max_bytes, request_id)(scope, receive, send)
            return

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left; there is no one to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await body_too_large_response(self.max_bytes, request_id)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            # After the body, the app (e.g. the SSE response) only waits for a disconnect.
            return await receive()

        await self.app(scope, replay, send)
