"""Plain ASGI middleware: request ids and the request log, security headers, the per-client
rate limit and the request body size limit.

Plain ASGI rather than BaseHTTPMiddleware, so that a streamed response (SSE) passes through
untouched and its duration is measured to the last event.
"""

from __future__ import annotations

import ipaddress
import json
import time
import uuid
from collections.abc import Sequence

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import (
    body_too_large_response,
    internal_error_response,
    invalid_body_response,
    rate_limited_response,
)
from assistant.api.limits import body_encoding_problem
from assistant.api.log import LOGGER, log_request
from assistant.api.rate_limit import RateLimiter

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
    """Answers 413 to a request whose body exceeds ``max_bytes``, before any parsing, and 422
    to one that is not text (see ``limits.body_encoding_problem``).

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
            await body_too_large_response(self.max_bytes, request_id, scope["path"])(
                scope, receive, send
            )
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
                await body_too_large_response(self.max_bytes, request_id, scope["path"])(
                    scope, receive, send
                )
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break

        body = b"".join(chunks)
        problem = body_encoding_problem(body)
        if problem is not None:
            await invalid_body_response(problem, request_id)(scope, receive, send)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            # After the body, the app (e.g. the SSE response) only waits for a disconnect.
            return await receive()

        await self.app(scope, replay, send)


# Pages load their scripts and styles from files of this origin only (no inline code), so the
# policy can forbid inline scripts: an injected <script> in a question would not run.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
)
# The /docs and /redoc pages start Swagger UI and ReDoc with an inline script and let them
# inject styles; they hold no user content, so they alone get the looser policy they need. Their
# scripts come from this origin (routes.docs): no CDN, no web fonts.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    """Adds a Content-Security-Policy, nosniff, frame options and a referrer policy to every
    response that does not set its own.

    ``frame_ancestors`` are the origins allowed to show the pages in a frame (the widget's
    host); the origin itself always may. X-Frame-Options cannot name other origins, so it is
    sent (SAMEORIGIN) only when no other origin is allowed.
    """

    def __init__(self, app: ASGIApp, frame_ancestors: list[str]) -> None:
        self.app = app
        ancestors = " ".join(["'self'", *frame_ancestors])
        self.headers = {
            "Content-Security-Policy": PAGE_POLICY.format(ancestors=ancestors),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
        }
        if not frame_ancestors:
            self.headers["X-Frame-Options"] = "SAMEORIGIN"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] in DOCS_PATHS or scope["path"].startswith("/docs/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name == "Content-Security-Policy" and docs:
                        value = DOCS_POLICY
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimitMiddleware:
    """Answers 429 with Retry-After to a client over its request rate on the paths given.

    The client is the connection's address, or the last entry of ``client_header`` when a
    trusted reverse proxy sets it (the proxy appends the address it saw; earlier entries are
    the client's own claims). Runs before the body is read, so a refused request costs little.
    """

    def __init__(
        self,
        app: ASGIApp,
        limiter: RateLimiter,
        paths: tuple[str, ...],
        client_header: str | None = None,
        trusted_proxies: Sequence[str] = (),
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.paths = paths
        self.client_header = client_header
        self.trusted_proxies = proxy_networks(trusted_proxies)

    def limited(self, path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in self.paths)

    def client_key(self, scope: Scope) -> str:
        return _network(client_address(scope, self.client_header, self.trusted_proxies))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limited(scope["path"]):
            await self.app(scope, receive, send)
            return
        wait = await self.limiter.acquire(self.client_key(scope))
        if wait > 0:
            request_id = scope.get("state", {}).get("request_id")
            await rate_limited_response(wait, request_id)(scope, receive, send)
            return
        await self.app(scope, receive, send)


Networks = Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]


def proxy_networks(
    trusted_proxies: Sequence[str],
) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]


def from_trusted_proxy(scope: Scope, networks: Networks) -> bool:
    """Whether the connection comes from one of the reverse proxies whose headers are believed
    (the client address for the rate limit, the signed-in user for staff single sign-on)."""
    client = scope.get("client")
    return client is not None and _within(str(client[0]), networks)


def client_address(scope: Scope, header: str | None, networks: Networks) -> str:
    """The client's address: the connection's, or the last entry of ``header`` when a trusted
    reverse proxy sets it (the proxy appends the address it saw; earlier entries are the
    client's own claims)."""
    client = scope.get("client")
    peer = str(client[0]) if client else "unknown"
    if header and from_trusted_proxy(scope, networks):
        # Only a proxy we trust may say who the client is: anyone else could send a new
        # address with every request and never be limited.
        value = Headers(scope=scope).get(header, "")
        last = value.rsplit(",", 1)[-1].strip()
        if last:
            return last[:64]  # bounded: the address is kept in memory as a key
    return peer


def _within(address: str, networks: Networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _network(address: str) -> str:
    """The rate limit's key: an IPv4 address, or an IPv6 address's /64 (one subscriber's
    block: otherwise every address of it would get a bucket of its own)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
