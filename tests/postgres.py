"""A real PostgreSQL server for the tests: Debian's binaries (``postgresql`` package), a
throwaway cluster in a temporary folder, trust authentication on 127.0.0.1, a free port.

    server = PostgresServer.start()
    url = server.create_database()   # postgresql+psycopg://postgres@127.0.0.1:PORT/NAME
    server.stop()

initdb and postgres refuse to run as root; as root (CI, containers) they run as the
``postgres`` system user the package creates (``setpriv``, which execs: the process started is
the server itself, so it is stopped by its own pid).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

# Read at import: the autouse fixture of tests/conftest.py removes ASSISTANT_* variables.
REQUIRE_POSTGRES = os.environ.get("ASSISTANT_REQUIRE_POSTGRES") == "1"
HOST = "127.0.0.1"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    def __init__(self, bin_dir: Path, folder: Path, port: int, process: subprocess.Popen[bytes]):
        self.bin_dir = bin_dir
        self.folder = folder
        self.port = port
        self.process = process

    @classmethod
    def start(cls, bin_dir: Path, timeout: float = 60) -> PostgresServer:
        # Not under pytest's basetemp: its folders are root's alone, and a unix socket's path
        # must stay short.
        folder = Path(tempfile.mkdtemp(prefix="assistant-pg-"))
        as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(folder, user.pw_uid, user.pw_gid)
            as_user = [
                "setpriv",
                f"--reuid={user.pw_uid}",
                f"--regid={user.pw_gid}",
                "--clear-groups",
                "--",
            ]
        data = folder / "data"
        log = folder / "server.log"
        subprocess.run(
            [
                *as_user,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            cwd=folder,
        )
        port = _free_port()
        with open(log, "ab") as out:
            process = subprocess.Popen(
                [
                    *as_user,
                    str(bin_dir / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(port),
                    "-k",
                    str(folder),
                    "-c",
                    f"listen_addresses={HOST}",
                    "-c",
                    "fsync=off",  # a throwaway cluster: speed over durability
                    "-c",
                    "full_page_writes=off",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=folder,
                start_new_session=True,
            )
        server = cls(bin_dir, folder, port, process)
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"postgres exited:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                with server.connect("postgres"):
                    return server
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    server.stop()
                    raise
                time.sleep(0.2)

    def connect(self, database: str) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=HOST, port=self.port, user="postgres", dbname=database, autocommit=True
        )

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        with self.connect("postgres") as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        with self.connect("postgres") as connection:
            # FORCE: the app's pooled connections to it are closed, not waited for.
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown: clients are cut off
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
