"""Who a staff request comes from: a bearer token, a trusted proxy's user header, or the
session cookie of a browser sign-in; and the CSRF check of cookie-authenticated writes.

Candidates' endpoints never ask: only staff pages and endpoints depend on ``require_staff``.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.responses import Response

from assistant.api.deps import ServicesDep
from assistant.api.middleware import from_trusted_proxy, proxy_networks
from assistant.runtime import Services
from assistant.staff.accounts import StaffIdentity, find_staff
from assistant.staff.digests import matches
from assistant.staff.errors import SIGN_IN, CsrfRejected, NotSignedIn
from assistant.staff.sessions import NewSession, active_session
from assistant.staff.tokens import staff_for_token

SESSION_COOKIE = "assistant_session"
# Readable by the pages' scripts (not HttpOnly): they send it back in CSRF_HEADER. A page of
# another site can neither read it nor set the header, so a forged request lacks it.
CSRF_COOKIE = "assistant_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def identify(request: Request, services: Services) -> StaffIdentity | None:
    """The staff member making ``request``, or None. A credential that is present but wrong
    (a revoked token, a forged write) raises rather than falling back to another one."""
    db = services.database
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        staff = staff_for_token(db, token.strip()) if scheme.lower() == "bearer" else None
        if staff is None:
            raise NotSignedIn(f"the bearer token is not valid (revoked or mistyped); {SIGN_IN}")
        return staff
    settings = services.settings
    header = settings.staff_user_header
    if header and request.headers.get(header) and _from_proxy(request, settings.trusted_proxies):
        staff = find_staff(db, request.headers[header], via="proxy")
        if staff is None:
            raise NotSignedIn("the signed-in user has no staff account; ask an administrator")
        if request.method not in SAFE_METHODS:
            _check_proxied_write(request)
        return staff
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    session = active_session(db, cookie, now=services.clock())
    if session is None:
        return None
    if request.method not in SAFE_METHODS and not matches(
        request.headers.get(CSRF_HEADER, ""), session.csrf_digest
    ):
        raise CsrfRejected(
            f"this write needs the {CSRF_HEADER} header the sign-in gave; reload the page"
        )
    return session.staff


def require_staff(request: Request, services: ServicesDep) -> StaffIdentity:
    staff = identify(request, services)
    if staff is None:
        raise NotSignedIn(f"staff only: {SIGN_IN}")
    return staff


# A parameter (``staff: StaffDep``) or, where the identity is not needed, a dependency of the
# route (``dependencies=[STAFF_ONLY]``): then it is checked before the body is read, so that an
# anonymous caller learns nothing from validation errors.
StaffDep = Annotated[StaffIdentity, Depends(require_staff)]
STAFF_ONLY = Depends(require_staff)


def _from_proxy(request: Request, trusted_proxies: list[str]) -> bool:
    return from_trusted_proxy(request.scope, proxy_networks(trusted_proxies))


def _check_proxied_write(request: Request) -> None:
    """A proxy's sign-on rides on the browser's own cookie for the proxy, so a write needs
    proof that this site's page sent it: the CSRF header (which a cross-site page cannot set:
    CORS never allows it) and, when the browser says, an Origin of this host."""
    origin = request.headers.get("origin")
    if not request.headers.get(CSRF_HEADER) or (
        origin and urlsplit(origin).netloc != request.headers.get("host", "")
    ):
        raise CsrfRejected(f"this write needs the {CSRF_HEADER} header of the staff pages")


def secure_cookies(request: Request) -> bool:
    # Browsers send Secure cookies over HTTPS only; a server reached on loopback (a developer,
    # the tests) is plain HTTP. Anywhere else the site is behind TLS.
    return request.url.hostname not in LOOPBACK


def set_session_cookies(response: Response, request: Request, session: NewSession) -> None:
    secure = secure_cookies(request)
    for name, value, http_only in (
        (SESSION_COOKIE, session.token, True),
        (CSRF_COOKIE, session.csrf_token, False),
    ):
        response.set_cookie(
            name,
            value,
            expires=session.expires_at,
            path="/",
            secure=secure,
            httponly=http_only,
            samesite="strict",
        )


def clear_session_cookies(response: Response, request: Request) -> None:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", secure=secure_cookies(request), samesite="strict")
