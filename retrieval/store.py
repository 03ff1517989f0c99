"""The Chroma vector store: embedded (a folder) or a Chroma server, chosen by settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from retrieval.errors import StoreUnavailable

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

ChromaMode = Literal["embedded", "http"]


def chroma_client(
    mode: ChromaMode, *, data_dir: Path, host: str = "127.0.0.1", port: int = 8001
) -> ClientAPI:
    """A Chroma client, telemetry off. Raises StoreUnavailable when it cannot be opened."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if mode == "http":
            client = chromadb.HttpClient(host=host, port=port, settings=settings)
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
