"""The HTTP edge's limits and headers: rate limit, timeout, CORS, security headers, settings."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sample_profiles import ELIGIBLE

from assistant.api.app import create_app
from assistant.api.middleware import RateLimitMiddleware
from assistant.api.rate_limit import RateLimiter
from assistant.config import Settings
from assistant.runtime import Services


def sharing(services: Services, **changes: Any) -> Services:
    """Services with other settings over the session's loaded model, index and answerer."""
    other = Services(services.settings.model_copy(update=changes))
    other.__dict__.update({k: v for k, v in services.__dict__.items() if k != "settings"})
    return other


@pytest.fixture
def client_with(services: Services) -> Iterator[Any]:
    clients: list[TestClient] = []

    def make(**changes: Any) -> TestClient:
        client = TestClient(create_app(services=sharing(services, **changes)))
        clients.append(client.__enter__())
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


# --- rate limit ---------------------------------------------------------------------------------


def waits(limiter: RateLimiter, keys: list[str]) -> list[float]:
    """What ``limiter`` says to requests from ``keys``, one after the other."""

    async def run() -> list[float]:
        return [await limiter.acquire(key) for key in keys]

    return anyio.run(run)


def test_the_rate_limiter_allows_its_number_per_minute_then_says_how_long_to_wait() -> None:
    said = waits(RateLimiter(6), ["a"] * 7 + ["b", "a"])  # memory:// by default
    assert said[:6] == [0.0] * 6  # a burst of as many as the limit
    # The 7th waits until the first of the minute leaves the window, about a minute.
    assert 55 < said[6] <= 60
    assert said[7] == 0.0  # per client
    assert said[8] > 0


def test_the_rate_limit_storage_is_memory_or_redis() -> None:
    assert Settings().rate_limit_storage == "memory://"
    for url in ("redis://redis:6379/0", "rediss://:secret@cache.example:6380", "async+memory://"):
        assert Settings(rate_limit_storage=url).rate_limit_storage == url
    for url in ("memcached://cache:11211", "redis://", "memory"):
        with pytest.raises(ValidationError):
            Settings(rate_limit_storage=url)


def test_a_client_over_the_limit_gets_429_with_retry_after(client_with: Any) -> None:
    client = client_with(rate_limit_per_minute=3)
    for _ in range(3):
        assert client.post("/api/precheck", json=ELIGIBLE).status_code == 200
    refused = client.post("/api/chat", json={"message": "What is the deadline?"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "too many requests" in refused.json()["detail"]
    assert refused.json()["request_id"] == refused.headers["x-request-id"]
    # Only the endpoints that compute are limited.
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_behind_a_trusted_proxy_the_limit_is_per_forwarded_client() -> None:
    middleware = RateLimitMiddleware(
        app=None,  # type: ignore[arg-type]  # only the key is computed here
        limiter=RateLimiter(1),
        paths=("/api/chat",),
        client_header="X-Forwarded-For",
        trusted_proxies=["10.9.0.0/16"],
    )

    def key(peer: str, forwarded: str) -> str:
        headers = [(b"x-forwarded-for", forwarded.encode())]
        return middleware.client_key({"type": "http", "client": (peer, 1), "headers": headers})

    # The proxy appends the address it saw; what the client claimed comes before it.
    assert key("10.9.0.5", "6.6.6.6, 10.0.0.1") == "10.0.0.1"
    assert key("10.9.0.5", "6.6.6.6, 10.0.0.2") == "10.0.0.2"
    # From anyone else the header is ignored: a new claim per request would escape the limit.
    assert key("203.0.113.7", "6.6.6.6, 10.0.0.3") == "203.0.113.7"
    # IPv6 clients are one subscriber per /64.
    assert key("2001:db8::1", "") == key("2001:db8::ffff", "") == "2001:db8::/64"


def test_an_untrusted_peer_cannot_escape_the_limit_with_a_header(client_with: Any) -> None:
    client = client_with(rate_limit_per_minute=1, client_ip_header="X-Forwarded-For")
    ask = {"message": "What is the deadline?"}
    first = client.post("/api/chat", json=ask, headers={"X-Forwarded-For": "10.0.0.1"})
    second = client.post("/api/chat", json=ask, headers={"X-Forwarded-For": "10.0.0.2"})
    assert (first.status_code, second.status_code) == (200, 429)


def test_the_limit_can_be_turned_off(client_with: Any) -> None:
    client = client_with(rate_limit_per_minute=0)
    assert all(client.post("/api/precheck", json=ELIGIBLE).status_code == 200 for _ in range(5))
    # Not even asked: no limiter, no storage to reach.
    assert all(m.cls is not RateLimitMiddleware for m in client.app.user_middleware)


# --- conversation limits and timeout -------------------------------------------------------------


def test_the_conversation_limits_come_from_settings(client_with: Any) -> None:
    client = client_with(max_message_chars=10, max_history_turns=1, max_history_chars=5)
    long = client.post("/api/chat", json={"message": "What is the deadline?"})
    assert long.status_code == 422
    assert "the limit is 10" in long.json()["message"]
    turns = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
    many = client.post("/api/chat", json={"message": "Deadline?", "history": turns})
    assert many.status_code == 422
    assert "the limit is 1" in many.json()["message"]
    chars = client.post(
        "/api/chat",
        json={"message": "Deadline?", "history": [{"role": "user", "content": "abcdef"}]},
    )
    assert chars.status_code == 422
    assert "6 characters" in chars.json()["message"]


def test_the_body_limit_comes_from_settings(client_with: Any) -> None:
    client = client_with(max_body_bytes=2048)
    response = client.post(
        "/api/chat",
        json={"message": "a" * 1500, "history": [{"role": "user", "content": "b" * 1000}]},
    )
    assert response.status_code == 413
    assert "2048" in response.json()["detail"]


def test_a_slow_answer_is_a_503_on_time(
    client_with: Any, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_with(request_timeout_seconds=0.2)
    answerer = client.app.state.runtime.services.answerer

    class Slow:
        # A stand-in for a stuck vector store: the answer never comes in time.
        def answer(self, *args: Any, **kwargs: Any) -> Any:
            time.sleep(2)
            return answerer.answer(*args, **kwargs)

    monkeypatch.setitem(client.app.state.runtime.services.__dict__, "answerer", Slow())
    started = time.perf_counter()
    response = client.post("/api/chat", json={"message": "What is the deadline?"})
    assert time.perf_counter() - started < 1.5
    assert response.status_code == 503
    assert "took longer than 0.2 s" in response.json()["detail"]
    assert response.headers["retry-after"] == "5"


# --- CORS and security headers -------------------------------------------------------------------


def test_without_configured_origins_no_cross_origin_call_is_allowed(client_with: Any) -> None:
    client = client_with()
    preflight = client.options(
        "/api/chat",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    response = client.post(
        "/api/chat", json={"message": "Deadline?"}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers


def test_a_configured_origin_may_call_the_api(client_with: Any) -> None:
    origin = "https://jobs.example.eu"
    client = client_with(cors_origins=[origin])
    preflight = client.options(
        "/api/chat",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == origin
    response = client.post("/api/chat", json={"message": "Deadline?"}, headers={"Origin": origin})
    assert response.headers["access-control-allow-origin"] == origin
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()
    other = client.options(
        "/api/chat",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers


def test_pages_and_answers_carry_the_security_headers(client_with: Any) -> None:
    client = client_with()
    for response in (client.get("/"), client.post("/api/chat", json={"message": "Deadline?"})):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self';" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'self'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    # The API docs page starts Swagger UI with an inline script: it gets its own policy, which
    # still allows scripts from this origin only.
    docs = client.get("/docs")
    assert "script-src 'self' 'unsafe-inline';" in docs.headers["content-security-policy"]
    assert "http" not in docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]


def test_the_widget_host_may_frame_the_pages(client_with: Any) -> None:
    client = client_with(frame_ancestors=["https://jobs.example.eu"])
    response = client.get("/")
    assert (
        "frame-ancestors 'self' https://jobs.example.eu"
        in response.headers["content-security-policy"]
    )
    # X-Frame-Options cannot name another origin: it would forbid what the CSP allows.
    assert "x-frame-options" not in response.headers


def test_every_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_RATE_LIMIT_PER_MINUTE", "7")
    monkeypatch.setenv("ASSISTANT_RATE_LIMIT_STORAGE", "redis://redis:6379/0")
    monkeypatch.setenv("ASSISTANT_CORS_ORIGINS", '["https://a.example"]')
    monkeypatch.setenv("ASSISTANT_MAX_BODY_BYTES", "4096")
    settings = Settings()
    assert settings.rate_limit_per_minute == 7
    assert settings.rate_limit_storage == "redis://redis:6379/0"
    assert settings.cors_origins == ["https://a.example"]
    assert settings.max_body_bytes == 4096
