"""Staff pages and endpoints need a signed-in staff member; candidates' endpoints stay open.
Each test runs on SQLite and on a real PostgreSQL server (the `database_url` fixture)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from staff_helpers import (
    EMAIL,
    PASSWORD,
    add_staff,
    cli,
    client_over,
    ok,
    services_over,
    sign_in,
    token_for,
    upgrade,
)

from assistant.api.auth import CSRF_COOKIE, SESSION_COOKIE
from assistant.runtime import Services

EMAIL_TEXT = "Dear Sir or Madam,\n\nHow long is the probationary period?\n\nKind regards,\nMaria"
RATING = {"rating": "down", "question": "Is there a car park?", "answer": "The call does not say."}


@pytest.fixture
def staff_services(services: Services, database_url: str) -> Services:
    upgrade(database_url)
    return services_over(services, database_url)


@pytest.fixture
def client(staff_services: Services) -> TestClient:
    return client_over(staff_services, follow_redirects=False)


def assert_not_signed_in(response: Any) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert set(body) == {"detail", "request_id"}  # the API's one error body
    assert "sign in" in body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_without_signing_in_the_staff_tools_are_refused_and_candidates_are_served(
    client: TestClient,
) -> None:
    page = client.get("/helpdesk")
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=/helpdesk"
    assert client.get("/feedback").headers["location"] == "/signin?next=/feedback"
    assert_not_signed_in(client.post("/api/draft", json={"message": EMAIL_TEXT}))
    assert_not_signed_in(client.get("/api/feedback"))
    assert_not_signed_in(client.post(f"/api/feedback/{uuid.uuid4()}/review"))
    assert_not_signed_in(client.get("/api/auth/me"))
    # Refused before the body is read: an anonymous caller learns nothing from validation.
    assert_not_signed_in(client.post("/api/draft", json={"nonsense": 1}))

    assert client.get("/signin").status_code == 200
    assert client.get("/").status_code == 200
    assert client.post("/api/feedback", json=RATING).status_code == 201
    assert client.post("/api/precheck", json={"nationalities": ["BE"]}).status_code == 200
    chat = client.post("/api/chat", json={"message": "How long is the probationary period?"})
    assert chat.status_code == 200


def test_after_staff_add_and_sign_in_the_helpdesk_and_the_staff_endpoints_work(
    client: TestClient, database_url: str
) -> None:
    add_staff(database_url)
    response = client.post("/api/auth/login", json={"email": EMAIL.upper(), "password": PASSWORD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["email"] == EMAIL
    csrf = body["csrf_token"]
    cookies = {c.split("=", 1)[0]: c for c in response.headers.get_list("set-cookie")}
    session = cookies[SESSION_COOKIE].lower()
    assert "httponly" in session
    assert "samesite=strict" in session
    assert "expires=" in session
    assert "secure" not in session  # on loopback: plain HTTP
    assert "httponly" not in cookies[CSRF_COOKIE].lower()  # the pages' scripts read it

    helpdesk = client.get("/helpdesk")
    assert helpdesk.status_code == 200
    assert helpdesk.headers["cache-control"] == "no-store"  # never shown from a cache
    assert client.get("/feedback").status_code == 200
    assert client.get("/api/auth/me").json() == {
        "email": EMAIL,
        "via": "session",
        "csrf_token": None,
        "expires_at": None,
    }
    assert client.get("/api/feedback").status_code == 200
    # A write with the cookie alone is what a forged cross-site request would be.
    forged = client.post("/api/draft", json={"message": EMAIL_TEXT})
    assert forged.status_code == 403, forged.text
    assert "X-CSRF-Token" in forged.json()["detail"]
    wrong = client.post(
        "/api/draft", json={"message": EMAIL_TEXT}, headers={"X-CSRF-Token": "guess"}
    )
    assert wrong.status_code == 403
    draft = client.post("/api/draft", json={"message": EMAIL_TEXT}, headers={"X-CSRF-Token": csrf})
    assert draft.status_code == 200, draft.text
    assert "9-month probationary period" in draft.json()["draft"]

    # Signing out ends the session itself: the old cookie, replayed, is refused.
    cookie = client.cookies[SESSION_COOKIE]
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert SESSION_COOKIE not in client.cookies
    client.cookies.set(SESSION_COOKIE, cookie)
    assert_not_signed_in(client.get("/api/feedback"))
    assert client.get("/helpdesk").status_code == 303


def test_a_bearer_token_works_and_a_revoked_one_does_not(
    client: TestClient, database_url: str
) -> None:
    add_staff(database_url)
    token = token_for(database_url)
    assert token.startswith("cas_")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/feedback", headers=bearer).status_code == 200
    # Scripts need no CSRF token: a browser never sends a bearer token by itself.
    draft = client.post("/api/draft", json={"message": EMAIL_TEXT}, headers=bearer)
    assert draft.status_code == 200, draft.text
    assert client.get("/helpdesk", headers=bearer).status_code == 200

    listed = ok(cli(database_url, "staff", "tokens", EMAIL))
    assert token[:12] in listed
    assert token not in listed  # only the prefix is ever shown again
    ok(cli(database_url, "staff", "revoke-token", token[:12]))
    assert_not_signed_in(client.get("/api/feedback", headers=bearer))
    assert_not_signed_in(client.post("/api/draft", json={"message": EMAIL_TEXT}, headers=bearer))
    assert_not_signed_in(client.get("/api/feedback", headers={"Authorization": "Basic eDp5"}))


def test_removing_a_staff_member_ends_their_tokens_and_sessions(
    client: TestClient, database_url: str
) -> None:
    add_staff(database_url)
    token = token_for(database_url)
    sign_in(client)
    assert client.get("/api/feedback").status_code == 200
    ok(cli(database_url, "staff", "remove", EMAIL))
    assert_not_signed_in(client.get("/api/feedback"))
    assert_not_signed_in(client.get("/api/feedback", headers={"Authorization": f"Bearer {token}"}))
    again = client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert again.status_code == 401


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(
    client: TestClient, database_url: str
) -> None:
    add_staff(database_url)
    wrong_password = client.post("/api/auth/login", json={"email": EMAIL, "password": "nope"})
    unknown = client.post(
        "/api/auth/login", json={"email": "nobody@ec.europa.eu", "password": PASSWORD}
    )
    not_an_address = client.post("/api/auth/login", json={"email": "x", "password": PASSWORD})
    for response in (wrong_password, unknown, not_an_address):
        assert response.status_code == 401
        assert response.json()["detail"] == "the e-mail address or the password is wrong"
        assert SESSION_COOKIE not in response.cookies
    bad = client.post("/api/auth/login", json={"email": EMAIL})
    assert bad.status_code == 422
    assert "password: Field required" in bad.json()["message"]


def test_failed_sign_ins_are_limited_per_account_and_per_client(
    services: Services, database_url: str
) -> None:
    upgrade(database_url)
    limited = services_over(
        services, database_url, signin_failures_per_account=3, signin_failures_per_client=5
    )
    client = client_over(limited)
    add_staff(database_url)
    add_staff(database_url, "other@ec.europa.eu")
    for _ in range(3):
        response = client.post("/api/auth/login", json={"email": EMAIL, "password": "wrong"})
        assert response.status_code == 401
    # The account is locked for a while, even with the right password...
    locked = client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert locked.status_code == 429, locked.text
    assert int(locked.headers["Retry-After"]) > 0
    assert "too many failed sign-ins" in locked.json()["detail"]
    # ...while another account can still sign in from elsewhere.
    elsewhere = client_over(limited, client=("198.51.100.7", 4000))
    sign_in(elsewhere, "other@ec.europa.eu")
    # This client has failed 3 times; 2 more (on any account) and it is refused altogether.
    for _ in range(2):
        client.post("/api/auth/login", json={"email": "other@ec.europa.eu", "password": "no"})
    refused = client.post(
        "/api/auth/login", json={"email": "other@ec.europa.eu", "password": PASSWORD}
    )
    assert refused.status_code == 429


def test_the_session_cookie_is_secure_off_loopback(
    staff_services: Services, database_url: str
) -> None:
    add_staff(database_url)
    client = client_over(staff_services, base_url="https://assistant.example.eu")
    response = client.post("/api/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200
    for cookie in response.headers.get_list("set-cookie"):
        assert "; secure" in cookie.lower()


def test_a_trusted_proxys_user_header_signs_in_existing_staff_only(
    services: Services, database_url: str
) -> None:
    upgrade(database_url)
    sso = services_over(services, database_url, staff_user_header="X-Forwarded-User")
    add_staff(database_url)
    rating = client_over(sso).post("/api/feedback", json=RATING).json()["id"]
    proxy = client_over(sso, client=("127.0.0.1", 4000))  # a trusted proxy (the default list)
    named = {"X-Forwarded-User": EMAIL}
    assert proxy.get("/api/feedback", headers=named).status_code == 200
    assert proxy.get("/helpdesk", headers=named, follow_redirects=False).status_code == 200
    stranger = proxy.get("/api/feedback", headers={"X-Forwarded-User": "eve@example.com"})
    assert stranger.status_code == 401
    assert "no staff account" in stranger.json()["detail"]
    # A write needs the staff pages' header: a cross-site form rides on the proxy's cookie.
    review = f"/api/feedback/{rating}/review"
    assert proxy.post(review, headers=named).status_code == 403
    assert proxy.post(review, headers={**named, "X-CSRF-Token": "1"}).status_code == 200
    # From anyone else the header is not believed.
    direct = client_over(sso, client=("203.0.113.9", 4000))
    assert_not_signed_in(direct.get("/api/feedback", headers=named))
