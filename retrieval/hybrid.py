"""Hybrid retrieval: BM25 and dense (Chroma) rankings fused into one, as a LangChain retriever."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from langchain_chroma import Chroma
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, PrivateAttr

from retrieval.errors import InvalidQuery
from retrieval.lexical import LexicalIndex
from retrieval.store import store_errors

Mode = Literal["hybrid", "bm25", "dense"]
Fusion = Literal["rrf", "weighted"]


def lexical_text(document: Document) -> str:
    return f"{document.metadata['section']}\n{document.page_content}"


class HybridRetriever(BaseRetriever):
    """Ranks stored passages for a query; each result carries its score and per-method ranks.

    ``mode`` selects BM25 alone, dense alone, or both fused by reciprocal-rank fusion
    (``rrf``) or by a weighted sum of normalised scores (``weighted``).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    vector_store: Chroma
    passages: list[Document]
    k: int = Field(default=5, ge=1)
    candidates: int = Field(default=20, ge=1)
    mode: Mode = "hybrid"
    fusion: Fusion = "rrf"
    rrf_k: int = 60
    bm25_weight: float = 1.0
    dense_weight: float = 1.0
    max_query_chars: int = 2000

    _lexical: LexicalIndex = PrivateAttr()
    _position: dict[str, int] = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        self._lexical = LexicalIndex([lexical_text(d) for d in self.passages])
        self._position = {str(d.id): i for i, d in enumerate(self.passages)}

    def validate_query(self, query: str) -> str:
        query = query.strip()
        if not query:
            raise InvalidQuery("the query is empty; type a question or a few words")
        if len(query) > self.max_query_chars:
            raise InvalidQuery(
                f"the query is {len(query)} characters long; the limit is {self.max_query_chars}"
            )
        return query

    def correct(self, query: str) -> str:
        """The query with typing slips corrected against the corpus vocabulary."""
        return self._lexical.correct(query)

    def bm25_ranking(self, query: str) -> list[tuple[int, float]]:
        return self._lexical.search(query, self.candidates)

    def dense_ranking(
        self, query: str, vector: Sequence[float] | None = None
    ) -> list[tuple[int, float]]:
        # A Chroma server can go away between two questions: that is a 503 for this question
        # (StoreUnavailable), and the next one simply tries again, with no restart.
        with store_errors("searching"):
            if vector is None:
                vector = self.vector_store.embeddings.embed_query(query)  # type: ignore[union-attr]
            # Ids and distances only: the passages are in memory already, and reading their
            # texts and metadata back from the store would double the cost of each search.
            # (The LangChain wrapper has no such call; its collection is the Chroma one.)
            hits = self.vector_store._collection.query(
                query_embeddings=np.asarray([vector], dtype=np.float32),
                n_results=self.candidates,
                include=["distances"],
            )
        ids, distances = hits["ids"][0], (hits["distances"] or [[]])[0]
        # Cosine distance to similarity; passages unknown to this retriever are ignored.
        return [
            (self._position[i], 1.0 - float(d))
            for i, d in zip(ids, distances, strict=True)
            if i in self._position
        ]

    def rank(
        self,
        query: str,
        k: int | None = None,
        *,
        vector: Sequence[float] | None = None,
        correct: bool = True,
    ) -> list[Document]:
        """The ``k`` best passages; ``vector`` is the query's embedding when the caller has it,
        ``correct=False`` when the caller has corrected typing slips already."""
        query = self.validate_query(query)
        query = self.correct(query) if correct else query
        k = k or self.k
        bm25 = self.bm25_ranking(query) if self.mode != "dense" else []
        dense = self.dense_ranking(query, vector) if self.mode != "bm25" else []
        scores = self._fuse(bm25, dense)
        bm25_rank = {i: r for r, (i, _) in enumerate(bm25, start=1)}
        dense_rank = {i: r for r, (i, _) in enumerate(dense, start=1)}
        best = sorted(scores, key=lambda i: (-scores[i], i))[:k]
        results = []
        for i in best:
            source = self.passages[i]
            metadata = {
                **source.metadata,
                "score": round(scores[i], 6),
                "bm25_rank": bm25_rank.get(i),
                "dense_rank": dense_rank.get(i),
            }
            results.append(
                Document(page_content=source.page_content, metadata=metadata, id=source.id)
            )
        return results

    def _fuse(
        self, bm25: list[tuple[int, float]], dense: list[tuple[int, float]]
    ) -> dict[int, float]:
        scores: dict[int, float] = {}
        if self.mode == "bm25":
            return dict(bm25)
        if self.mode == "dense":
            return dict(dense)
        if self.fusion == "rrf":
            for weight, ranking in ((self.bm25_weight, bm25), (self.dense_weight, dense)):
                for rank, (i, _) in enumerate(ranking, start=1):
                    scores[i] = scores.get(i, 0.0) + weight / (self.rrf_k + rank)
            return scores
        top_bm25 = max((s for _, s in bm25), default=0.0) or 1.0
        total = (self.bm25_weight + self.dense_weight) or 1.0
        for i, s in bm25:
            scores[i] = scores.get(i, 0.0) + self.bm25_weight * s / top_bm25 / total
        for i, s in dense:
            scores[i] = scores.get(i, 0.0) + self.dense_weight * max(s, 0.0) / total
        return scores

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return self.rank(query)
