"""What a process builds once from Settings: corpus, model, vector store, retriever.

The CLI and the API both reach the domain through this object, so a model is loaded and a
Chroma client opened at most once per process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.config import Settings
from retrieval.corpus import Corpus, load_corpus
from retrieval.store import chroma_client, store_errors

logger = logging.getLogger(__name__)

# The rest is imported where it is used: `assistant --help`, `assistant precheck` and the
# pre-check's own processes need neither LangChain nor the model's runtime.
if TYPE_CHECKING:
    from chromadb.api import ClientAPI

    from assistant.answering.answerer import Answerer
    from assistant.answering.llm import Phraser
    from assistant.db.engine import Database
    from assistant.precheck import RuleSet
    from retrieval.embeddings import LazyEmbeddings, LoadedEmbeddings
    from retrieval.hybrid import HybridRetriever
    from retrieval.index import IndexReport
    from retrieval.multilingual import Multilingual
    from retrieval.sentence_index import SentenceIndex


def utc_now() -> datetime:
    return datetime.now(UTC)


class Services:
    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.settings = settings
        # Injectable so that time-aware answers (is the call still open?) can be tested.
        self.clock = clock
        self._database_lock = threading.Lock()

    @cached_property
    def corpus(self) -> Corpus:
        return load_corpus(self.settings.corpus_dir).for_call(self.settings.call)

    @cached_property
    def client(self) -> ClientAPI:
        s = self.settings
        return chroma_client(
            s.chroma_mode,
            data_dir=s.data_dir,
            host=s.chroma_host,
            port=s.chroma_port,
            timeout=s.chroma_timeout_seconds,
        )

    @cached_property
    def embeddings(self) -> LazyEmbeddings:
        """What documents are embedded with when the index is built: sentence-transformers."""
        from retrieval.embeddings import LazyEmbeddings

        s = self.settings
        return LazyEmbeddings(s.embedding_model, threads=s.embedding_threads)

    @cached_property
    def query_embeddings(self) -> LoadedEmbeddings:
        """What questions are embedded with: the export beside the index, where current."""
        from retrieval.query_model import query_embeddings

        s = self.settings
        return query_embeddings(
            s.embedding_model,
            s.data_dir,
            s.embedding_backend,
            threads=s.embedding_threads,
            precision=s.embedding_precision,
        )

    def build_index(self, *, rebuild: bool = False, progress: bool = False) -> IndexReport:
        from retrieval.index import build_index
        from retrieval.onnx_export import ensure_export

        corpus = self.corpus  # validated before the store is touched
        report = build_index(
            corpus,
            self.client,
            self.settings.collection,
            self.embeddings,
            self.settings.embedding_model,
            rebuild=rebuild,
            progress=progress,
        )
        # The model, exported for the query path (a no-op when the export is current).
        report.query_model = ensure_export(self.settings.embedding_model, self.settings.data_dir)
        for name in ("query_embeddings", "retriever", "sentence_index", "answerer"):
            self.__dict__.pop(name, None)  # the next question sees the new index
        # The sentences the answerer ranks, with their vectors, are part of the index: built
        # here, so that a serving process starts without embedding anything.
        self._sentence_index(write=True)
        self.__dict__.pop("multilingual", None)
        self._multilingual(write=True)
        return report

    @cached_property
    def retriever(self) -> HybridRetriever:
        from langchain_chroma import Chroma

        from retrieval.hybrid import HybridRetriever
        from retrieval.index import load_passages

        s = self.settings
        with store_errors("loading the index"):
            passages = load_passages(self.corpus, self.client, s.collection, s.embedding_model)
        store = Chroma(
            client=self.client,
            collection_name=s.collection,
            embedding_function=self.query_embeddings,
        )
        return HybridRetriever(
            vector_store=store,
            passages=passages,
            k=s.k,
            candidates=s.candidates,
            fusion=s.fusion,
            rrf_k=s.rrf_k,
            bm25_weight=s.bm25_weight,
            dense_weight=s.dense_weight,
            max_query_chars=s.max_query_chars,
        )

    def _sentence_index(self, *, write: bool) -> SentenceIndex:
        from retrieval.sentence_index import build_sentence_index

        index = build_sentence_index(
            self.retriever.passages,
            self.corpus,
            # Built by `assistant index` with the model it loaded; a serving process computing
            # what the index lacks uses the query path's (the vectors agree).
            self.embeddings if write else self.query_embeddings,
            self.settings.data_dir / "sentence-vectors",
            write=write,
        )
        self.__dict__["sentence_index"] = index
        return index

    @cached_property
    def sentence_index(self) -> SentenceIndex:
        return self._sentence_index(write=False)

    def _multilingual(self, *, write: bool) -> Multilingual | None:
        from retrieval.multilingual import (
            Multilingual,
            MultilingualEmbeddings,
            available,
            question_vectors,
            sentence_vectors,
            unanswered_vectors,
        )
        from retrieval.questions import expected_questions, unanswered_questions

        name = self.settings.multilingual_model
        if not name:
            return None
        if not available(name):
            logger.warning(
                "multilingual model %r is not installed: questions are read as English", name
            )
            return None
        from assistant.answering import language

        embeddings = MultilingualEmbeddings(name)
        folder = self.settings.data_dir / "sentence-vectors"
        language.keep_in(folder, write=write)
        if write:
            language.warm()
        matrix = sentence_vectors(self.sentence_index, embeddings, folder, write=write)
        questions, rows = question_vectors(
            self.sentence_index, expected_questions(self.corpus), embeddings, folder, write=write
        )
        unanswered, topics, outside = unanswered_vectors(
            unanswered_questions(self.corpus), embeddings, folder, write=write
        )
        found = Multilingual(embeddings, matrix, questions, rows, unanswered, topics, outside)
        self.__dict__["multilingual"] = found
        return found

    @cached_property
    def multilingual(self) -> Multilingual | None:
        """The multilingual model and the sentences' vectors by it, or None where it is off."""
        return self._multilingual(write=False)

    @cached_property
    def answerer(self) -> Answerer:
        from assistant.answering.answerer import Answerer

        return Answerer(
            self.retriever,
            self.corpus,
            self.query_embeddings,
            self.sentence_index,
            self.rules,
            self.phraser,
            cache_size=self.settings.answer_cache_size,
            multilingual=self.multilingual,
        )

    @cached_property
    def phraser(self) -> Phraser | None:
        """The optional chat model that words answers, when settings name one."""
        s = self.settings
        if not s.llm_base_url:
            return None
        from langchain_openai import ChatOpenAI

        from assistant.answering.llm import Phraser

        model = ChatOpenAI(
            base_url=s.llm_base_url,
            api_key=s.llm_api_key,
            model=s.llm_model,
            temperature=0,
            max_completion_tokens=s.llm_max_tokens,
            timeout=s.llm_timeout_seconds,
            max_retries=0,  # a slow model falls back at once; retrying would only wait longer
        )
        return Phraser(model)

    @cached_property
    def rules(self) -> RuleSet:
        from assistant.precheck import load_rules

        return load_rules(self.corpus)

    @property
    def database(self) -> Database:
        """Staff accounts and ratings; a SQLite file is migrated when first opened. Opened once
        even when a start opens it in the background while a request already needs it; a
        failure is not kept, so the next use tries again."""
        with self._database_lock:
            # Kept where a cached_property keeps its value, so that copying a Services' state
            # without "database" (the tests' services over another database) leaves it behind.
            opened: Database | None = self.__dict__.get("database")
            if opened is None:
                from assistant.db.migrate import open_database

                opened = self.__dict__["database"] = open_database(self.settings.database)
            return opened
