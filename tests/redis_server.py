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
import signal
import subprocess
import time
from pathlib import Path
from types import TracebackType

import pytest
import redis
from servers import HOST, free_port

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


class RedisServer:
    """``redis-server`` on ``port``, logging to a file in ``logs``; stopped on exit."""

    def __init__(self, logs: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.folder = logs / f"redis-{self.port}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log = self.folder / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10) -> RedisServer:
        """Starts the server and waits until it answers PING."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                redis_command(self.port, binary=redis_server_path()),
                cwd=self.folder,  # where Redis would write anything, never the checkout
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while not self.answers():
            assert self.alive, f"redis-server exited:\n{self.output()[-3000:]}"
            assert time.monotonic() < deadline, f"redis-server not ready:\n{self.output()[-3000:]}"
            time.sleep(0.05)
        return self

    def answers(self) -> bool:
        client = redis.Redis(host=HOST, port=self.port, socket_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def client(self) -> redis.Redis:
        return redis.Redis(host=HOST, port=self.port, socket_timeout=5)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def __enter__(self) -> RedisServer:
        if self.process is None:
            self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def redis_server(logs: Path, port: int | None = None) -> RedisServer:
    """A Redis server (not started: use it in a ``with`` block or call ``.start()``)."""
    return RedisServer(logs, port)
