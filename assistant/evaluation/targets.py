"""What an evaluation runs against: the pipeline in this process, or a server over HTTP.

Both give the same three things (an answer, a ranking, a pre-check) and the client-side time of
each, so one run's numbers compare with another's whichever target produced them.
"""

from __future__ import annotations

import contextlib
import email.utils
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import ValidationError

from assistant.answering.models import Answer, Turn
from assistant.evaluation.errors import ItemFailed, TargetUnavailable, Unsupported
from assistant.evaluation.results import Hit
from retrieval.errors import AssistantError

if TYPE_CHECKING:
    import httpx

    from assistant.precheck import PrecheckResult
    from assistant.runtime import Services


class Target(Protocol):
    name: str
    # Whether a case's own clock (`now`) can be applied; a server answers at its own time.
    fixed_clock: bool

    def prepare(self, sets: set[str]) -> None:
        """Load or reach what the sets need, so that the first case's time is not a cold start."""

    def answer(self, question: str, history: list[Turn], now: datetime) -> tuple[Answer, float]:
        """The answer and the milliseconds it took, or ItemFailed."""

    def search(self, query: str, k: int) -> tuple[list[Hit], float]:
        """The ranked passages and the milliseconds it took, or ItemFailed."""

    def precheck(self, profile: dict[str, Any], now: datetime) -> tuple[PrecheckResult, float]:
        """The pre-check's result and the milliseconds it took, or ItemFailed."""


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


class LocalTarget:
    """The pipeline in this process, through the same Services as the CLI and the API."""

    name = "local"
    fixed_clock = True

    def __init__(self, services: Services) -> None:
        self.services = services

    def prepare(self, sets: set[str]) -> None:
        # Domain errors while building (no index, no model) stop the run: no case could succeed.
        # A failing warm-up does not: the cases themselves will show what is wrong.
        if "answers" in sets:
            answerer = self.services.answerer
            with contextlib.suppress(Exception):
                answerer.answer("How long is the contract?", now=datetime.now(UTC))
        if "retrieval" in sets:
            retriever = self.services.retriever
            with contextlib.suppress(Exception):
                retriever.rank("contract duration")
        if "precheck" in sets:
            self.services.rules  # noqa: B018 (loading the rules checks their quotes)

    def answer(self, question: str, history: list[Turn], now: datetime) -> tuple[Answer, float]:
        started = time.perf_counter()
        try:
            answer = self.services.answerer.answer(question, history, now=now)
        except Exception as error:
            # A refused query, a citation that failed its check, or a bug: one case fails, and
            # the run goes on to measure the others.
            raise ItemFailed(f"{type(error).__name__}: {error}") from None
        return answer, _ms(started)

    def search(self, query: str, k: int) -> tuple[list[Hit], float]:
        started = time.perf_counter()
        try:
            documents = self.services.retriever.rank(query, k=k)
        except AssistantError as error:
            raise ItemFailed(f"{type(error).__name__}: {error}") from None
        ms = _ms(started)
        return [Hit.model_validate(d.metadata) for d in documents], ms

    def precheck(self, profile: dict[str, Any], now: datetime) -> tuple[PrecheckResult, float]:
        from assistant.precheck import Profile, evaluate

        started = time.perf_counter()
        try:
            declared = Profile.model_validate(profile, context={"now": now})
        except ValidationError as exc:
            raise ItemFailed(f"invalid profile: {exc.error_count()} error(s): {exc}") from None
        result = evaluate(declared, self.services.rules, now=now)
        return result, _ms(started)


class HttpTarget:
    """A running server, through its public API, so that a deployment is measured as it is."""

    fixed_clock = False
    # A server that rate-limits (429) or is busy (503 with Retry-After) is waited for, at most
    # this many times per request.
    max_retries = 5
    max_wait_seconds = 60.0

    def __init__(
        self, base_url: str, *, timeout: float = 60.0, ready_seconds: float = 60.0
    ) -> None:
        import httpx

        self.name = base_url.rstrip("/")
        self.ready_seconds = ready_seconds
        self.client = httpx.Client(base_url=self.name, timeout=timeout)

    def close(self) -> None:
        self.client.close()

    def prepare(self, sets: set[str]) -> None:
        # A server that has just started is not ready until its index and model are loaded.
        # Readiness is /readyz; a server older than that route reports it on /healthz.
        path = "/readyz"
        deadline = time.monotonic() + self.ready_seconds
        while True:
            response = self._send("GET", path)
            if response.status_code == 404 and path == "/readyz":
                path = "/healthz"
                continue
            if response.status_code == 200:
                return
            if time.monotonic() >= deadline:
                raise TargetUnavailable(
                    f"{self.name} is not ready: {path} says {_detail(response)}"
                )
            time.sleep(1)

    def answer(self, question: str, history: list[Turn], now: datetime) -> tuple[Answer, float]:
        body = {"message": question, "history": [t.model_dump() for t in history]}
        data, ms = self._post("/api/chat", body)
        return Answer.model_validate(data), ms

    def search(self, query: str, k: int) -> tuple[list[Hit], float]:
        data, ms = self._post("/api/search", {"query": query, "k": k})
        return [Hit.model_validate(hit) for hit in data], ms

    def precheck(self, profile: dict[str, Any], now: datetime) -> tuple[PrecheckResult, float]:
        from assistant.precheck import PrecheckResult

        data, ms = self._post("/api/precheck", profile)
        return PrecheckResult.model_validate(data), ms

    def _post(self, path: str, body: Any) -> tuple[Any, float]:
        for _ in range(self.max_retries + 1):
            started = time.perf_counter()
            response = self._send("POST", path, json=body)
            ms = _ms(started)
            # Rate limited, or busy for a while (503 with Retry-After): wait as told, ask again.
            wait = response.headers.get("retry-after")
            if response.status_code != 429 and not (response.status_code == 503 and wait):
                break
            time.sleep(retry_after(wait, self.max_wait_seconds))
        if response.status_code == 200:
            return response.json(), ms
        if response.status_code == 404:
            raise Unsupported(f"{self.name} has no {path}")
        if response.status_code == 503:
            raise TargetUnavailable(f"{self.name}{path}: {_detail(response)}")
        raise ItemFailed(f"HTTP {response.status_code}: {_detail(response)}")

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        import httpx

        try:
            return self.client.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise TargetUnavailable(f"cannot reach {self.name}: {exc}") from None


def retry_after(value: str | None, cap: float) -> float:
    """Seconds to wait, from a Retry-After header (seconds or an HTTP date); 1 if absent."""
    if value is None:
        return 1.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return 1.0
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), cap)


def _detail(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        data = None
    detail = data.get("detail") if isinstance(data, dict) else None
    return str(detail) if detail else response.text[:200] or response.reason_phrase
