"""The FastAPI application: ``create_app()`` is also the factory ``assistant serve`` runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware

from assistant.api.errors import install_error_handlers
from assistant.api.limits import RATE_LIMITED_PATHS
from assistant.api.middleware import (
    BodySizeLimitMiddleware,
    RateLimitMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
)
from assistant.api.openapi import install_openapi
from assistant.api.rate_limit import RateLimiter
from assistant.api.routes import (
    auth,
    chat,
    draft,
    feedback,
    health,
    locales,
    precheck,
    review,
    search,
    sources,
)
from assistant.api.routes.docs import install_docs
from assistant.api.routes.web import install_web
from assistant.api.state import Runtime
from assistant.config import Settings
from assistant.runtime import Services
from assistant.staff.throttle import SignInThrottle

DESCRIPTION = """
Answers candidates' questions about the call **EC-2025-HOME-01** from the call's own text, with
citations that are checked to be verbatim, and pre-checks a declared profile against the call's
eligibility criteria.

Errors are JSON with a `detail` and a `request_id` (also sent as the `X-Request-ID` header).
Invalid requests get 422 with the fields to fix; a body over the limit (64 KiB by default)
gets 413; too many requests from one client to the chat, pre-check, draft, search and feedback
endpoints get 429 with `Retry-After`; 503 means the index, the model, the corpus or the vector
store is not available, or the answer took too long (`GET /readyz` says which).

Staff endpoints (`POST /api/draft`, `GET /api/feedback`, `POST /api/feedback/{id}/review`)
need a signed-in staff member: the session cookie of `POST /api/auth/login` (writes also send
its `X-CSRF-Token`), or `Authorization: Bearer TOKEN` (`assistant staff token EMAIL`); else 401.
"""


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """The app over ``services`` (or new Services from ``settings``, or from the environment)."""
    runtime = Runtime(services or Services(settings or Settings()))
    settings = runtime.services.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load the index, the model and the rules before the first request, not during it.
        # A domain error does not stop the server: /readyz and the routes report it as 503.
        await run_in_threadpool(runtime.load)
        async with anyio.create_task_group() as tasks:
            # The database is the staff's (accounts, ratings): candidates' answers and readiness
            # do not wait for it (opening and migrating SQLite is about half a second of a start).
            tasks.start_soon(run_in_threadpool, runtime.open_database)
            tasks.start_soon(run_in_threadpool, runtime.warm_languages)
            tasks.start_soon(runtime.recover)
            yield
            tasks.cancel_scope.cancel()

    app = FastAPI(
        title="Call assistant",
        version="0.1.0",
        summary="Questions and eligibility pre-check for the call EC-2025-HOME-01.",
        description=DESCRIPTION,
        lifespan=lifespan,
        # Served by routes.docs from files of this app: FastAPI's own load them from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.signin_throttle = SignInThrottle(
        settings.signin_failures_per_account, settings.signin_failures_per_client
    )
    install_error_handlers(app)
    app.include_router(chat.router)
    app.include_router(precheck.router)
    app.include_router(search.router)
    app.include_router(health.router)
    app.include_router(draft.router)
    app.include_router(feedback.router)
    app.include_router(sources.router)
    app.include_router(locales.router)
    app.include_router(auth.router)
    app.include_router(review.router)
    install_web(app)
    install_docs(app)
    # The last added runs first: every request, even one refused as too large, gets an id and
    # the security headers; CORS wraps the refusals so that a browser can read them; a refused
    # request costs no body read.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.rate_limit_per_minute > 0:
        app.add_middleware(
            RateLimitMiddleware,
            limiter=RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_storage),
            paths=RATE_LIMITED_PATHS,
            client_header=settings.client_ip_header,
            trusted_proxies=settings.trusted_proxies,
        )
    if settings.cors_origins:  # none configured: same origin only (no CORS headers at all)
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=settings.frame_ancestors)
    app.add_middleware(RequestContextMiddleware)
    install_openapi(app)
    return app
