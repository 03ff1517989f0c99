"""The Chroma vector store: embedded (a folder) or a Chroma server, chosen by settings.

Whatever the mode, a failure of the store surfaces as ``StoreUnavailable`` (the server is down,
the local files are damaged) or ``IndexNotBuilt`` (the collection is missing), never as a
chromadb or httpx exception: the edges map those two to 503 and to exit codes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from retrieval.errors import IndexNotBuilt, StoreUnavailable

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

ChromaMode = Literal["embedded", "http"]

# Exceptions of these packages mean "the store failed", whatever their class: the HTTP client
# raises httpx's transport errors, the embedded store its own and the Rust bindings' errors.
STORE_PACKAGES = ("chromadb", "httpx", "httpcore")


def is_store_error(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in STORE_PACKAGES


@contextmanager
def store_errors(action: str) -> Iterator[None]:
    """Turns a failure of the store during ``action`` into StoreUnavailable.

    The message names the failure's kind only (e.g. ConnectError): it is served in 503 bodies.
    """
    try:
        yield
    except Exception as exc:
        if not is_store_error(exc):
            raise
        raise StoreUnavailable(
            f"the vector store failed while {action} ({type(exc).__name__}); "
            "try again in a moment, and if it persists check the Chroma server (GET /readyz)"
        ) from exc


def chroma_client(
    mode: ChromaMode,
    *,
    data_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    timeout: float | None = None,
) -> ClientAPI:
    """A Chroma client, telemetry off. Raises StoreUnavailable when it cannot be opened."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if mode == "http":
            client = chromadb.HttpClient(host=host, port=port, settings=settings)
            if timeout is not None:
                _set_http_timeout(client, timeout)
            client.heartbeat()
            return client
        path = data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=settings)
    except Exception as exc:  # chromadb raises connection, value and rust binding errors alike
        where = (
            f"the Chroma server at {host}:{port}" if mode == "http" else f"{data_dir / 'chroma'}"
        )
        hint = (
            "start it (chroma run) or check ASSISTANT_CHROMA_HOST/PORT"
            if mode == "http"
            else "delete that folder and run `assistant index --rebuild`"
        )
        raise StoreUnavailable(f"cannot open {where}: {exc}; {hint}") from exc


def _set_http_timeout(client: ClientAPI, seconds: float) -> None:
    """Bounds each request of an HTTP client; chromadb creates its httpx session without one.

    The session is not public API, so this is best effort: without it a request to a hung
    server still ends with the API's own request timeout, only its thread lingers.
    """
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(seconds)


def check_collection(client: ClientAPI, name: str) -> int:
    """The number of passages in collection ``name``, read from the store itself.

    A cheap round trip for readiness probes: raises StoreUnavailable when the store does not
    answer and IndexNotBuilt when it answers without the collection (e.g. a new, empty server).
    """
    with store_errors("answering a readiness check"):
        names = {c.name for c in client.list_collections()}
        if name not in names:
            raise IndexNotBuilt(
                f"the vector store has no collection {name!r}; run `assistant index`"
            )
        # embedding_function=None: Chroma's default model must never load.
        return client.get_collection(name, embedding_function=None).count()
