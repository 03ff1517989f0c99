"""Real server processes for tests: a Chroma server and the API, on free loopback ports.

    with start_api({"ASSISTANT_DATA_DIR": str(data)}, logs=tmp_path) as api:
        httpx.post(f"{api.url}/api/chat", json={"message": "..."})

Each process writes its output to a file in ``logs`` (read it with ``.output()``) and is
stopped when the ``with`` block ends. The commands are those of docker-compose.yml (a test
checks that they stay the same): ``chroma run --path DIR --host H --port P`` and
``assistant serve --host H --port P --workers N``, and ``assistant db upgrade``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

HOST = "127.0.0.1"
CHROMA = str(Path(sys.executable).with_name("chroma"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def chroma_command(path: Path, port: int, host: str = HOST) -> list[str]:
    return [CHROMA, "run", "--path", str(path), "--host", host, "--port", str(port)]


def db_upgrade_command() -> list[str]:
    """The database migration, as compose's ``migrate`` service runs it."""
    return [sys.executable, "-m", "assistant", "db", "upgrade"]


def api_command(port: int, workers: int = 1, host: str = HOST) -> list[str]:
    return [sys.executable, "-m", "assistant", "serve", "--host", host, "--port", str(port)] + (
        ["--workers", str(workers)] if workers > 1 else []
    )


class Server:
    """A process serving HTTP on ``url``; a context manager that stops it on exit."""

    def __init__(
        self,
        name: str,
        command: list[str],
        port: int,
        logs: Path,
        env: dict[str, str] | None = None,
        ready_path: str = "/",
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.command = command
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.log = logs / f"{name}-{port}.log"
        self.env = {**os.environ, **(env or {})}
        self.ready_path = ready_path
        self.cwd = cwd
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 180) -> Self:
        """Starts the process and waits until it is ready."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: workers are stopped with it
            )
        self.wait_until(self.ready, timeout)
        return self

    def ready(self) -> bool:
        """Whether it serves: ``ready_path`` answers 200."""
        return self.get(self.ready_path).status_code == 200

    def get(self, path: str, timeout: float = 5) -> httpx.Response:
        return httpx.get(self.url + path, timeout=timeout)

    def wait_until(self, ready: Callable[[], bool], timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.alive, f"{self.name} exited:\n{self.output()[-3000:]}"
            try:
                if ready():
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"{self.name} not ready:\n{self.output()[-3000:]}"
            time.sleep(0.25)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM to the process group, then SIGKILL if it does not end in time."""
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

    def __enter__(self) -> Self:
        if self.process is None:
            self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def chroma_server(path: Path, logs: Path, port: int | None = None) -> Server:
    """A ``chroma run`` server storing into ``path`` (not started: call ``.start()``)."""
    port = port or free_port()
    return Server(
        "chroma",
        chroma_command(path, port),
        port,
        logs,
        env={"ANONYMIZED_TELEMETRY": "False"},
        ready_path="/api/v2/heartbeat",
    )


def start_chroma(path: Path, logs: Path, port: int | None = None) -> Server:
    return chroma_server(path, logs, port).start(timeout=60)


def api_server(env: dict[str, str], logs: Path, *, workers: int = 1) -> Server:
    """``assistant serve`` with ``env`` (ASSISTANT_* settings); ready when /healthz is 200,
    that is once every worker has loaded (uvicorn serves after the app's startup)."""
    port = free_port()
    return Server("api", api_command(port, workers), port, logs, env=env, ready_path="/healthz")


def start_api(env: dict[str, str], logs: Path, *, workers: int = 1) -> Server:
    return api_server(env, logs, workers=workers).start()


class StartedApi:
    """The session's API, and what its readiness said before its Chroma server was up."""

    def __init__(self, server: Server, first_readiness: httpx.Response) -> None:
        self.server = server
        self.url = server.url
        self.first_readiness = first_readiness
