"""A real Redis server for tests: Debian's ``redis-server`` on a free loopback port.

    with redis_server(tmp_path) as redis:
        env = {"ASSISTANT_RATE_LIMIT_STORAGE": redis.url}
        redis.stop()   # Redis goes away ...
        redis.start()  # ... and comes back on the same port, empty (no persistence)

Without ``redis-server`` the tests that need it are skipped, unless ``ASSISTANT_REQUIRE_REDIS=1``
(set by CI), where they fail: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Self

import pytest
import redis
from servers import HOST, Server, free_port

# Read at import: the autouse fixture of tests/conftest.py removes ASSISTANT_* variables.
REQUIRE_REDIS = os.environ.get("ASSISTANT_REQUIRE_REDIS") == "1"


def redis_server_path() -> str:
    found = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(found).exists():
        reason = "Debian's redis-server is not installed (apt-get install redis-server)"
        if REQUIRE_REDIS:
            pytest.fail(f"{reason} (ASSISTANT_REQUIRE_REDIS=1: the Redis tests must run)")
        pytest.skip(reason)
    return found


def redis_command(port: int, host: str = HOST, binary: str = "redis-server") -> list[str]:
    """The command of docker-compose.yml's ``redis`` service (a test checks that they match).

    No snapshot, no append-only file: the counts are worth a minute, and a Redis that comes
    back empty only gives each client a fresh count.
    """
    return [binary, "--port", str(port), "--bind", host, "--save", "", "--appendonly", "no"]


class RedisServer(Server):
    """``redis-server`` on ``port``, logging to a file in ``logs``; stopped on exit."""

    def __init__(self, logs: Path, port: int | None = None) -> None:
        port = port or free_port()
        folder = logs / f"redis-{port}"
        folder.mkdir(parents=True, exist_ok=True)
        command = redis_command(port, binary=redis_server_path())
        # Run in its own folder: where Redis would write anything, never the checkout.
        super().__init__("redis", command, port, folder, cwd=folder)
        self.url = f"redis://{HOST}:{self.port}/0"

    def start(self, timeout: float = 10) -> Self:
        """Starts the server and waits until it answers PING."""
        return super().start(timeout)

    def ready(self) -> bool:
        client = redis.Redis(host=HOST, port=self.port, socket_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def client(self) -> redis.Redis:
        return redis.Redis(host=HOST, port=self.port, socket_timeout=5)


def redis_server(logs: Path, port: int | None = None) -> RedisServer:
    """A Redis server (not started: use it in a ``with`` block or call ``.start()``)."""
    return RedisServer(logs, port)
