"""Failed sign-ins, counted per account and per client over a sliding window, in memory.

Apart from the API's request rate limit on purpose: this one counts only failures, and its
counts are of guesses at passwords. Per process: with N processes an attacker gets N times as
many guesses, still a handful a minute against argon2id and 12-character passwords.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from assistant.staff.errors import SignInThrottled

WINDOW_SECONDS = 15 * 60
MAX_KEYS = 10_000  # bounded memory: the oldest keys are forgotten first


class SignInThrottle:
    def __init__(
        self,
        per_account: int,
        per_client: int,
        *,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"account": per_account, "client": per_client}
        self.window = window
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()  # sign-ins are checked in the server's worker threads

    def check(self, account: str, client: str) -> None:
        """Raises SignInThrottled when either has failed too often lately."""
        now = self.clock()
        for kind, key in (("account", account), ("client", client)):
            with self._lock:
                failures = list(self._recent((kind, key), now))
            if len(failures) >= self.limits[kind]:
                wait = failures[0] + self.window - now
                raise SignInThrottled(
                    "too many failed sign-ins; wait a few minutes before trying again",
                    retry_after=max(1.0, wait),
                )

    def failed(self, account: str, client: str) -> None:
        now = self.clock()
        with self._lock:
            for key in (("account", account), ("client", client)):
                self._recent(key, now).append(now)
                self._failures.move_to_end(key)
            while len(self._failures) > MAX_KEYS:
                self._failures.popitem(last=False)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(("account", account), None)

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures
