"""The rate limit shared through a real Redis: three API processes hold it in total, not each;
without Redis they keep answering (fail open, logged once), and limit again when it is back."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import httpx
import pytest
from redis_server import RedisServer, redis_server
from servers import Server, api_server

from assistant.api.rate_limit import KEY_PREFIX, RateLimiter
from assistant.config import Settings

pytestmark = pytest.mark.server

LIMIT = 6  # requests per client and minute: small, so that a test reaches it quickly
REPLICAS = 3
UNAVAILABLE = '"event": "unavailable", "component": "rate_limit_storage"'
RECOVERED = '"event": "recovered", "component": "rate_limit_storage"'


@pytest.fixture(scope="module")
def shared_redis(logs: Path) -> Iterator[RedisServer]:
    with redis_server(logs) as server:
        yield server


@pytest.fixture(scope="module")
def replicas(
    shared_redis: RedisServer,
    indexed_settings: Settings,
    logs: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[Server]]:
    """Three `assistant serve` processes, as three replicas: one Redis, a data folder each (a
    copy of the session's index), the client named by X-Forwarded-For (from loopback, a trusted
    proxy) so that each test is a client of its own."""
    servers = []
    for _ in range(REPLICAS):
        data = tmp_path_factory.mktemp("replica")
        shutil.copytree(indexed_settings.data_dir, data, dirs_exist_ok=True)
        env = {
            "ASSISTANT_DATA_DIR": str(data),
            "ASSISTANT_RATE_LIMIT_PER_MINUTE": str(LIMIT),
            "ASSISTANT_RATE_LIMIT_STORAGE": shared_redis.url,
            "ASSISTANT_CLIENT_IP_HEADER": "X-Forwarded-For",
        }
        servers.append(api_server(env, logs))
    try:
        with ThreadPoolExecutor(REPLICAS) as pool:  # they load side by side
            list(pool.map(lambda server: server.start(), servers))
        yield servers
    finally:
        for server in servers:
            server.stop()


def search(server: Server, client: str) -> httpx.Response:
    # A new connection each time, as separate clients would open.
    return httpx.post(
        server.url + "/api/search",
        json={"query": "deadline"},
        headers={"X-Forwarded-For": client},
        timeout=30,
    )


def statuses(replicas: list[Server], client: str, count: int) -> list[int]:
    """``count`` searches by ``client``, spread round-robin over the replicas."""
    return [search(replicas[i % len(replicas)], client).status_code for i in range(count)]


def test_limiters_count_together_on_redis_and_apart_in_memory(shared_redis: RedisServer) -> None:
    async def allowed(url: str) -> int:
        # One limiter per process, as each API process has its own.
        limiters = [RateLimiter(LIMIT, url) for _ in range(REPLICAS)]
        waits = [await limiters[i % REPLICAS].acquire("203.0.113.5") for i in range(3 * LIMIT)]
        return sum(wait == 0 for wait in waits)

    assert anyio.run(allowed, "memory://") == REPLICAS * LIMIT
    assert anyio.run(allowed, shared_redis.url) == LIMIT
    # Under this app's prefix, so that one Redis can serve other apps too.
    keys = {key.decode() for key in shared_redis.client().keys("*")}
    assert f"{KEY_PREFIX}:api/203.0.113.5/{LIMIT}/1/minute" in keys
    assert all(key.startswith(f"{KEY_PREFIX}:") for key in keys)


def test_the_limit_holds_in_total_across_three_processes(replicas: list[Server]) -> None:
    client = "198.51.100.1"
    assert statuses(replicas, client, LIMIT) == [200] * LIMIT
    # Each process has seen only 2 of the client's requests, and each refuses the next one.
    for server in replicas:
        refused = search(server, client)
        assert refused.status_code == 429, refused.text
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "too many requests" in refused.json()["detail"]
    assert search(replicas[0], "198.51.100.99").status_code == 200  # another client


def test_without_redis_the_api_answers_and_limits_again_when_it_is_back(
    replicas: list[Server], shared_redis: RedisServer
) -> None:
    client = "198.51.100.2"
    assert statuses(replicas, client, LIMIT + 1) == [200] * LIMIT + [429]

    shared_redis.stop()
    # Fail open: the client is over its limit, yet every process answers, without delay.
    for i in range(4 * REPLICAS):
        started = time.perf_counter()
        response = search(replicas[i % REPLICAS], client)
        assert response.status_code == 200, response.text
        assert time.perf_counter() - started < 1.5

    shared_redis.start()  # the same port, empty: the count starts again
    seen: list[int] = []
    deadline = time.monotonic() + 15
    while seen[-REPLICAS:] != [429] * REPLICAS:  # refused by each process in turn
        assert time.monotonic() < deadline, f"not limited again after Redis came back: {seen}"
        seen.append(search(replicas[len(seen) % REPLICAS], client).status_code)
        time.sleep(0.1)
    assert set(seen) == {200, 429}

    for server in replicas:
        log = server.output()
        assert log.count(UNAVAILABLE) == 1, log[-3000:]  # once per outage, not per request
        assert RECOVERED in log
        assert client not in log  # nothing of the request in the log
