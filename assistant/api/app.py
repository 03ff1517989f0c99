"""The FastAPI application: ``create_app()`` is also the factory ``assistant serve`` runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from assistant.api.errors import install_error_handlers
from assistant.api.limits import MAX_BODY_BYTES
from assistant.api.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from assistant.api.openapi import install_openapi
from assistant.api.routes import chat, health, precheck
from assistant.api.state import Runtime
from assistant.config import Settings
from assistant.runtime import Services

DESCRIPTION = """
Answers candidates' questions about the call **EC-2025-HOME-01** from the call's own text, with
citations that are checked to be verbatim, and pre-checks a declared profile against the call's
eligibility criteria.

Errors are JSON with a `detail` and a `request_id` (also sent as the `X-Request-ID` header).
Invalid requests get 422 with the fields to fix; a body over 64 KiB gets 413; 503 means the
index, the model or the corpus is not available (`GET /healthz` says which).
"""


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """The app over ``services`` (or new Services from ``settings``, or from the environment)."""
    runtime = Runtime(services or Services(settings or Settings()))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load the index, the model and the rules before the first request, not during it.
        # A domain error does not stop the server: /healthz and the routes report it as 503.
        await run_in_threadpool(runtime.load)
        yield

    app = FastAPI(
        title="Call assistant",
        version="0.1.0",
        summary="Questions and eligibility pre-check for the call EC-2025-HOME-01.",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    install_error_handlers(app)
    app.include_router(chat.router)
    app.include_router(precheck.router)
    app.include_router(health.router)
    # The last added runs first: every request, even one refused as too large, gets an id.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(RequestContextMiddleware)
    install_openapi(app)
    return app
