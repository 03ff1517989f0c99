"""Staff sign-in and sign-out: a session cookie for the staff pages."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.api.auth import (
    SESSION_COOKIE,
    StaffDep,
    clear_session_cookies,
    identify,
    set_session_cookies,
)
from assistant.api.deps import ServicesDep
from assistant.api.middleware import client_address, proxy_networks
from assistant.api.schemas import STAFF_ERROR_RESPONSES, ErrorBody
from assistant.staff.accounts import MAX_EMAIL_CHARS, authenticate
from assistant.staff.errors import SignInFailed
from assistant.staff.passwords import MAX_PASSWORD_CHARS
from assistant.staff.sessions import end_session, start_session
from assistant.staff.throttle import SignInThrottle

router = APIRouter(prefix="/api/auth", tags=["staff"])

WRONG = "the e-mail address or the password is wrong"


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=MAX_EMAIL_CHARS)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)


class SignedIn(BaseModel):
    email: str
    via: str = Field(description="How: session (this sign-in), token or proxy.")
    csrf_token: str | None = Field(
        default=None,
        description="Send it as X-CSRF-Token with each write made with the cookie (it is also "
        "in the assistant_csrf cookie, for the pages' scripts).",
    )
    expires_at: datetime | None = None


def throttle_of(request: Request) -> SignInThrottle:
    throttle = request.app.state.signin_throttle
    assert isinstance(throttle, SignInThrottle), "create_app() sets it"
    return throttle


@router.post(
    "/login",
    response_model=SignedIn,
    summary="Sign in as staff",
    description=(
        "Checks the e-mail and password of a staff account (made with `assistant staff add`) "
        "and sets a session cookie (HttpOnly, SameSite=Strict, expiring after "
        "`ASSISTANT_SESSION_HOURS`). Wrong e-mail or password: 401, without saying which. "
        "Too many failures for an account or from a client: 429 with `Retry-After`."
    ),
    responses={
        401: {"model": ErrorBody, "description": "Wrong e-mail or password."},
        429: {"model": ErrorBody, "description": "Too many failed sign-ins; wait."},
        **STAFF_ERROR_RESPONSES,
    },
)
def login(body: LoginRequest, request: Request, services: ServicesDep) -> JSONResponse:
    settings = services.settings
    throttle = throttle_of(request)
    account = body.email.strip().lower()
    client = client_address(
        request.scope, settings.client_ip_header, proxy_networks(settings.trusted_proxies)
    )
    throttle.check(account, client)
    staff = authenticate(services.database, body.email, body.password)
    if staff is None:
        throttle.failed(account, client)
        raise SignInFailed(WRONG)
    throttle.succeeded(account)
    session = start_session(
        services.database, staff, now=services.clock(), hours=settings.session_hours
    )
    result = SignedIn(
        email=staff.email,
        via="session",
        csrf_token=session.csrf_token,
        expires_at=session.expires_at,
    )
    response = JSONResponse(result.model_dump(mode="json"))
    set_session_cookies(response, request, session)
    return response


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Sign out",
    description=(
        "Ends the session of the cookie (it cannot be used again, on any replica) and clears "
        "the cookies. With a session, the X-CSRF-Token header is needed, as for any write."
    ),
    responses={403: {"model": ErrorBody, "description": "No CSRF token."}, **STAFF_ERROR_RESPONSES},
)
async def logout(request: Request, services: ServicesDep) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        # Checked as any cookie write is: a page of another site cannot sign staff out.
        signed_in = await run_in_threadpool(identify, request, services)
        if signed_in is not None and signed_in.via == "session":
            await run_in_threadpool(end_session, services.database, cookie)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookies(response, request)
    return response


@router.get(
    "/me",
    response_model=SignedIn,
    summary="Who is signed in",
    responses={**STAFF_ERROR_RESPONSES},
)
def me(staff: StaffDep) -> SignedIn:
    return SignedIn(email=staff.email, via=staff.via)
