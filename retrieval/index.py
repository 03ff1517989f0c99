"""Build and open the passage index in Chroma.

The collection describes itself: its metadata names the embedding model and parser version,
and each stored passage carries its document's content hash and passage count. So a build
can tell, from the store alone, which documents are current (embed nothing), which changed
(re-embed that document alone) and whether the model changed (rebuild from scratch); and the
same holds for any number of API processes sharing one Chroma server.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from retrieval.corpus import Corpus, SourceDocument
from retrieval.errors import IndexNotBuilt, StoreUnavailable
from retrieval.parsing import PARSER_VERSION, Passage, parse_document

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from retrieval.onnx_export import ExportReport

EMBED_BATCH = 32


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    passages_embedded: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    query_model: ExportReport | None = None  # the export for the query path (Services)


def embedding_text(passage: Passage) -> str:
    """What the model reads: the section path gives a chunk of a long unit its context."""
    return f"{passage.section}\n{passage.text}"


def passage_metadata(passage: Passage, document: SourceDocument, count: int) -> dict[str, Any]:
    return {
        "doc_id": passage.doc_id,
        "title": document.title,
        "section": passage.section,
        "kind": passage.kind,
        "start": passage.start,
        "end": passage.end,
        "part": passage.part,
        "footnotes": " ".join(passage.footnotes),
        "doc_sha256": document.sha256,
        "doc_passages": count,
    }


def _fingerprint(model: str) -> dict[str, str]:
    return {"embedding_model": model, "parser_version": PARSER_VERSION}


def _existing(client: ClientAPI, name: str) -> Collection | None:
    if name not in {c.name for c in client.list_collections()}:
        return None
    # embedding_function=None: we always pass vectors; Chroma's default model must never load.
    return client.get_collection(name, embedding_function=None)


def _stored_documents(collection: Collection) -> dict[str, tuple[set[str], int, int]]:
    """doc_id -> (content hashes seen, passages stored, passages expected)."""
    hashes: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    expected: dict[str, int] = {}
    metadatas = collection.get(include=["metadatas"])["metadatas"] or []
    for meta in metadatas:
        doc_id = str(meta["doc_id"])
        hashes[doc_id].add(str(meta["doc_sha256"]))
        counts[doc_id] += 1
        expected[doc_id] = int(str(meta["doc_passages"]))
    return {d: (hashes[d], counts[d], expected[d]) for d in hashes}


def _is_current(stored: tuple[set[str], int, int] | None, document: SourceDocument) -> bool:
    if stored is None:
        return False
    hashes, count, expected = stored
    return hashes == {document.sha256} and count == expected


def build_index(
    corpus: Corpus,
    client: ClientAPI,
    collection_name: str,
    embeddings: Embeddings,
    model: str,
    *,
    rebuild: bool = False,
    progress: bool = False,
) -> IndexReport:
    """Bring the collection up to date with the corpus, embedding only what changed."""
    started = time.perf_counter()
    report = IndexReport()
    # Parse everything first: a document that fails leaves the store untouched.
    parsed = {doc.id: parse_document(doc.id, doc.text) for doc in corpus.documents.values()}
    fingerprint = _fingerprint(model)
    try:
        collection = _existing(client, collection_name)
        if collection is not None and (
            rebuild or any(collection.metadata.get(k) != v for k, v in fingerprint.items())
        ):
            client.delete_collection(collection_name)
            collection = None
            report.rebuilt = True
        if collection is None:
            collection = client.create_collection(
                collection_name,
                embedding_function=None,
                metadata={"hnsw:space": "cosine", **fingerprint},
            )
        stored = _stored_documents(collection)
        for doc_id in sorted(set(stored) - set(corpus.documents)):
            collection.delete(where={"doc_id": doc_id})
            report.removed.append(doc_id)
        pending = []
        for document in corpus.documents.values():
            if _is_current(stored.get(document.id), document):
                report.unchanged.append(document.id)
            else:
                pending.append(document)
                (report.updated if document.id in stored else report.added).append(document.id)
        total = sum(len(parsed[d.id]) for d in pending)
        with _progress(total, progress) as bar:
            for document in pending:
                passages = parsed[document.id]
                vectors: list[list[float]] = []
                for i in range(0, len(passages), EMBED_BATCH):
                    batch = passages[i : i + EMBED_BATCH]
                    vectors.extend(embeddings.embed_documents([embedding_text(p) for p in batch]))
                    bar.update(len(batch))
                # Embed before deleting: a failure leaves the document's old passages in place.
                collection.delete(where={"doc_id": document.id})
                collection.add(
                    ids=[p.id for p in passages],
                    embeddings=vectors,  # type: ignore[arg-type]
                    documents=[p.text for p in passages],
                    metadatas=[passage_metadata(p, document, len(passages)) for p in passages],
                )
                report.passages_embedded += len(passages)
    except (IndexNotBuilt, StoreUnavailable):
        raise
    except Exception as exc:
        if type(exc).__module__.startswith("chromadb"):
            raise StoreUnavailable(f"the vector store failed while indexing: {exc}") from exc
        raise
    report.seconds = time.perf_counter() - started
    return report


class _NoBar:
    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def _progress(total: int, enabled: bool) -> Any:
    if not enabled or total == 0:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="passage", desc="Embedding", leave=False)


def load_passages(
    corpus: Corpus, client: ClientAPI, collection_name: str, model: str
) -> list[Document]:
    """All stored passages, checked against the corpus and the model, in reading order.

    Raises IndexNotBuilt, saying what to run, when the index is missing or stale.
    """
    collection = _existing(client, collection_name)
    if collection is None:
        raise IndexNotBuilt(f"no index yet (collection {collection_name!r}); run `assistant index`")
    fingerprint = _fingerprint(model)
    built_with = {k: collection.metadata.get(k) for k in fingerprint}
    if built_with != fingerprint:
        raise IndexNotBuilt(
            f"the index was built with {built_with}, not {fingerprint}; run `assistant index`"
        )
    stored = _stored_documents(collection)
    stale = sorted(
        d.id for d in corpus.documents.values() if not _is_current(stored.get(d.id), d)
    ) + sorted(set(stored) - set(corpus.documents))
    if stale:
        raise IndexNotBuilt(
            f"the index is out of date for {', '.join(stale)}; run `assistant index`"
        )
    got = collection.get(include=["documents", "metadatas"])
    documents = [
        Document(page_content=text or "", metadata=dict(meta or {}), id=pid)
        for pid, text, meta in zip(
            got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
        )
    ]
    order = {doc_id: i for i, doc_id in enumerate(corpus.documents)}
    documents.sort(key=lambda d: (order[d.metadata["doc_id"]], d.metadata["start"]))
    return documents
