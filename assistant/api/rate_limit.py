"""The per-client request rate limit, counted by the ``limits`` library in memory or in Redis.

``memory://`` counts in the process: with N processes (workers or replicas) a client may get N
times the limit. ``redis://HOST:PORT[/DB]`` counts in one Redis shared by every process and
replica, so the limit holds in total. If Redis cannot be reached the limit fails open: requests
go on, unlimited, a warning is logged once, and counting resumes by itself when Redis is back.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any

import anyio
from limits import RateLimitItemPerMinute
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from assistant.api.log import LOGGER

# Every key this app writes starts with it, so that one Redis can serve other apps too.
KEY_PREFIX = "call-assistant"
REDIS_SCHEMES = ("redis", "rediss", "redis+unix")
# A Redis on the local network answers in a millisecond; past this, it counts as down. Bounds
# each request's cost while Redis is unreachable (a dead host, not only a refused connection).
# The storage URL's own query (``?socket_timeout=...``) overrides it.
REDIS_TIMEOUT_SECONDS = 0.5
# All of one request's storage calls (a connection, the count, the wait): what a request can
# lose to a Redis that accepts connections but does not answer.
STORAGE_DEADLINE_SECONDS = 2 * REDIS_TIMEOUT_SECONDS
# After a failure the storage is not asked again for this long: requests pay no timeout while
# Redis is down, and counting resumes within this time of its return.
BACKOFF_SECONDS = 2.0


def async_storage_url(url: str) -> str:
    """``url`` as the ``limits.aio`` storage scheme (``memory://`` -> ``async+memory://``).

    The async storages let the middleware await Redis; a sync storage would block the event
    loop, and so every other request, for each round trip.
    """
    return url if url.startswith("async+") else f"async+{url}"


def is_redis(url: str) -> bool:
    scheme = urllib.parse.urlsplit(url).scheme.removeprefix("async+")
    return scheme in REDIS_SCHEMES


def safe_location(url: str) -> str:
    """``url`` without its user and password, for a log line."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def open_storage(url: str) -> Storage:
    """The async ``limits`` storage for ``url`` (``memory://`` or ``redis://...``)."""
    options: dict[str, Any] = {}
    if is_redis(url):
        # Imported here: a process that counts in memory does not load the Redis client.
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        options = {
            "implementation": "redispy",  # the `redis` package of limits[redis]
            "key_prefix": KEY_PREFIX,
            "wrap_exceptions": True,  # any client error arrives as one StorageError
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            # redis-py retries a failed command 3 times with up to 10 s of back-off by default:
            # seconds added to each request while Redis is down. Here a failure is final and
            # the back-off is ours (BACKOFF_SECONDS); the next command opens a new connection.
            "retry": Retry(NoBackoff(), 0),
        }
    storage = storage_from_string(async_storage_url(url), **options)
    assert isinstance(storage, Storage)  # an async+ scheme gives an async storage
    return storage


class RateLimiter:
    """``per_minute`` requests per client in any 60 seconds, counted in ``storage_url``.

    The moving window is the strategy: it is exact (never more than ``per_minute`` in any
    minute; a fixed window lets through twice as many across a window's edge, a sliding window
    counter is an estimate) and a burst of ``per_minute`` is allowed, as before. Its cost, up to
    ``per_minute`` timestamps per client seen in the last minute, is small at these limits.
    """

    def __init__(self, per_minute: int, storage_url: str = "memory://") -> None:
        self.item = RateLimitItemPerMinute(per_minute, namespace="api")
        self.location = safe_location(storage_url)
        self.storage = open_storage(storage_url)
        self.strategy = MovingWindowRateLimiter(self.storage)
        self._skip_until = 0.0  # time.monotonic() before which the storage is not asked
        self._failing = False

    async def acquire(self, key: str) -> float:
        """0 when the request may go on, else the seconds to wait before the next one."""
        if time.monotonic() < self._skip_until:
            return 0.0  # the storage failed a moment ago: fail open without waiting for it
        if self._failing:
            # This request probes the storage; the others go on meanwhile rather than all
            # waiting for the same timeout.
            self._skip_until = time.monotonic() + BACKOFF_SECONDS
        try:
            with anyio.fail_after(STORAGE_DEADLINE_SECONDS):
                wait = await self._acquire(key)
        except (StorageError, OSError) as error:  # OSError: TimeoutError included
            self._fail(error)
            return 0.0
        if self._failing:
            self._failing = False
            self._skip_until = 0.0
            LOGGER.info(json.dumps({"event": "recovered", "component": "rate_limit_storage"}))
        return wait

    async def _acquire(self, key: str) -> float:
        if await self.strategy.hit(self.item, key):
            return 0.0
        stats = await self.strategy.get_window_stats(self.item, key)
        return max(stats.reset_time - time.time(), 0.0)

    def _fail(self, error: Exception) -> None:
        self._skip_until = time.monotonic() + BACKOFF_SECONDS
        if self._failing:
            return  # said once per outage, not once per request
        self._failing = True
        cause = error.storage_error if isinstance(error, StorageError) else error
        # The storage's location and the error's class only: no request content, no password.
        LOGGER.warning(
            json.dumps(
                {
                    "event": "unavailable",
                    "component": "rate_limit_storage",
                    "storage": self.location,
                    "error": type(cause).__name__,
                    "message": "requests are not rate limited until the storage is back",
                }
            )
        )
