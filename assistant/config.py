"""The one Settings object. Every value can be set by an ``ASSISTANT_``-prefixed variable."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The repository root: corpus/ and data/ sit beside the packages in a checkout and in the image.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus", description="Corpus folder.")
    data_dir: Path = Field(
        default=PROJECT_ROOT / "data", description="Index state and the embedded Chroma store."
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


@lru_cache
def get_settings() -> Settings:
    return Settings()
