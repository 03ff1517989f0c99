"""The one place where errors become HTTP responses.

Every error body is JSON with a ``detail`` and the ``request_id`` (also in ``X-Request-ID``), so
a user can quote it and an operator can find the log line. No stack trace is ever sent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from assistant.api.limits import retry_after_header
from assistant.api.log import LOGGER
from assistant.validation import field_problems, problem
from retrieval.errors import (
    INTERNAL_ERROR,
    AssistantError,
)

JSON_HINT = "send a JSON object with the header Content-Type: application/json"


def request_id_of(request: Request) -> str | None:
    value = getattr(request.state, "request_id", None)
    return value if isinstance(value, str) else None


def status_for(error: AssistantError) -> int:
    return error.status


def public_message(error: AssistantError) -> str:
    return error.public_message


def _body(detail: Any, request_id: str | None, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, **extra, "request_id": request_id}


def internal_error_response(request_id: str | None) -> JSONResponse:
    return JSONResponse(_body(INTERNAL_ERROR, request_id), status_code=500)


def rate_limited_response(retry_after: float, request_id: str | None) -> JSONResponse:
    detail = "too many requests from this client; wait a moment before asking again"
    return JSONResponse(
        _body(detail, request_id), status_code=429, headers=retry_after_header(retry_after)
    )


# What makes each endpoint's body large, to say what to shorten.
_LARGE_PARTS = {
    "/api/chat": "a shorter message or history",
    "/api/chat/stream": "a shorter message or history",
    "/api/draft": "a shorter e-mail",
    "/api/precheck": "a smaller profile",
    "/api/feedback": "a shorter comment",
}


def body_too_large_response(limit: int, request_id: str | None, path: str = "") -> JSONResponse:
    shorter = _LARGE_PARTS.get(path, "a smaller body")
    detail = f"the request body is larger than {limit} bytes; send {shorter}"
    return JSONResponse(_body(detail, request_id), status_code=413)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AssistantError)
    status = status_for(exc)
    request_id = request_id_of(request)
    if status >= 500:
        # The class and message only: they describe the server's state, not the request.
        LOGGER.warning(
            json.dumps({"request_id": request_id, "error": type(exc).__name__, "message": str(exc)})
        )
    if status == 422:
        # Refused by the domain after the schema let it through (a query of only spaces, a
        # passage span past the document's end): the same body as any other 422, as documented.
        return invalid_body_response(public_message(exc), request_id)
    headers = retry_headers(exc)
    if status == 401:
        # RFC 9110: a 401 names the scheme that would work; scripts use bearer tokens.
        headers["WWW-Authenticate"] = 'Bearer realm="staff"'
    return JSONResponse(_body(public_message(exc), request_id), status_code=status, headers=headers)


def retry_headers(error: AssistantError) -> dict[str, str]:
    return retry_after_header(error.retry_after) if error.retry_after is not None else {}


def _is_json(request: Request) -> bool:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def validation_summary(errors: Sequence[Any], *, json_body: bool) -> str:
    """One sentence saying what to fix, for people and for clients that show ``message``."""
    for error in errors:
        if error.get("type") == "json_invalid":
            reason = error.get("ctx", {}).get("error", "")
            return f"body is not valid JSON ({reason}); {JSON_HINT}"
        if tuple(error.get("loc", ())) == ("body",):
            if error.get("type") == "missing":
                return f"the body is missing; {JSON_HINT}"
            if not json_body:
                return f"the body is not JSON; {JSON_HINT}"
    return "fix the request: " + "; ".join(field_problems(errors, root="body"))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    # Only where and what: pydantic's "input" would echo the body (a profile) back and into logs.
    detail = [{"loc": list(e.get("loc", ())), "msg": problem(e)} for e in errors]
    message = validation_summary(errors, json_body=_is_json(request))
    return JSONResponse(_body(detail, request_id_of(request), message=message), status_code=422)


def invalid_body_response(message: str, request_id: str | None) -> JSONResponse:
    """A 422 shaped like any validation error, for a body refused before it is parsed."""
    detail = [{"loc": ["body"], "msg": message}]
    return JSONResponse(_body(detail, request_id, message=message), status_code=422)


def unparsable_body_message(cause: BaseException | None) -> str | None:
    """Why FastAPI could not parse a body it answers with a bare 400, in words to act on."""
    if isinstance(cause, RecursionError):
        return f"the JSON body is nested too deeply; {JSON_HINT}"
    if isinstance(cause, UnicodeError):
        return f"the body is not valid UTF-8; {JSON_HINT}"
    if isinstance(cause, ValueError):  # a number of more than 4,300 digits: no field takes it
        return f"the body holds a number with too many digits; {JSON_HINT}"
    return None


# The methods a route may have, tried in turn to find those that a path allows.
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """Every method some route at the request's path takes, for the ``Allow`` of a 405.

    Starlette names only the methods of the first route whose path matches; where two routers
    share a path (POST and GET /api/feedback), the other's would be missing.
    """
    routes = request.app.router.routes
    allowed = [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
    return ", ".join(allowed)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400 and (message := unparsable_body_message(exc.__cause__)):
        return invalid_body_response(message, request_id_of(request))
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and (allow := allowed_methods(request)):
        headers["Allow"] = allow
    return JSONResponse(
        _body(exc.detail, request_id_of(request)), status_code=exc.status_code, headers=headers
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AssistantError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    # Any other exception is answered by RequestContextMiddleware with internal_error_response,
    # because that is where the request id lives and the traceback can be logged once.
