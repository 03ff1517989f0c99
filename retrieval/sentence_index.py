"""The sentence index: every sentence of the indexed passages, with its embedding and word stats.

Answers quote sentences, so the answerer ranks sentences, not passages. ``assistant index``
builds this beside the passage index and keeps the vectors in a folder named by a hash of the
model and the sentences, so a server process or a CLI call starts without embedding anything.
A process that finds no vectors (an index built by an older version) computes them once and
says so in the log.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from retrieval.corpus import Corpus
from retrieval.questions import ExpectedQuestion, rows_of
from retrieval.sentences import sentence_spans
from retrieval.text import WORD, stem, word_stems

logger = logging.getLogger(__name__)

_FOLLOWING = re.compile(r"\bthe following\b(?! (order|links?)\b)", re.I)
_UNIT_SECTION = re.compile(r"\bUnit (HOME\.(?:[A-E]\.)?\d{1,2})(?: [“\"]([^”\"]+)[”\"])?")


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    start: int
    end: int
    text: str
    section: str
    kind: str  # the passage's kind: paragraph, list_item, table_row, footnote …
    passage_id: str
    stems: frozenset[str]
    unit: str | None  # the unit whose description it is part of ("HOME.C.3")
    unit_title: str | None  # that unit's name, where the call gives one ("Asylum")

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc_id, self.start)

    @cached_property  # read for every candidate of every question
    def lead_in(self) -> bool:
        """Announces the list that follows ("in the following order:", "the following 9 units
        have …")."""
        return self.text.rstrip("*_ ").endswith(":") or (
            self.kind != "footnote" and bool(_FOLLOWING.search(self.text))
        )


def split_sentences(passages: list[Document], corpus: Corpus) -> list[Sentence]:
    sentences = []
    for passage in passages:
        meta = passage.metadata
        text = corpus.get(meta["doc_id"]).text
        section_stems = {stem(w) for w in WORD.findall(meta["section"])}
        unit = _UNIT_SECTION.search(meta["section"])
        for span in sentence_spans(text, meta["start"], meta["end"]):
            body = text[span.start : span.end]
            sentences.append(
                Sentence(
                    doc_id=meta["doc_id"],
                    start=span.start,
                    end=span.end,
                    text=body,
                    section=meta["section"],
                    kind=meta["kind"],
                    passage_id=str(passage.id),
                    stems=frozenset(
                        {r for w in WORD.findall(body) for r in word_stems(w)} | section_stems
                    ),
                    unit=unit.group(1) if unit else None,
                    unit_title=unit.group(2) if unit else None,
                )
            )
    return sentences


class SentenceIndex:
    """Sentences in retrieval order, their vectors, and the corpus's words with theirs."""

    def __init__(
        self,
        sentences: list[Sentence],
        matrix: np.ndarray,
        words: list[str],
        word_matrix: np.ndarray,
    ) -> None:
        self.sentences = sentences
        self.matrix = matrix
        self.words = words
        self.word_matrix = word_matrix
        self.by_passage: dict[str, list[int]] = {}
        for i, s in enumerate(sentences):
            self.by_passage.setdefault(s.passage_id, []).append(i)
        # In document order: where lists, bullets and unit descriptions are read from.
        self.ordered = sorted(sentences, key=lambda s: s.key)
        self.following = {
            a.key: b
            for a, b in zip(self.ordered, self.ordered[1:], strict=False)
            if a.doc_id == b.doc_id
        }
        self.vocabulary = frozenset(r for s in sentences for r in s.stems)
        # Rarity of each stem among the sentences (BM25's idf): rare topics weigh more.
        frequency: dict[str, int] = {}
        for sentence in sentences:
            for root in sentence.stems:
                frequency[root] = frequency.get(root, 0) + 1
        n = len(sentences)
        self.idf = {r: math.log(1 + (n - f + 0.5) / (f + 0.5)) for r, f in frequency.items()}
        self.unseen_idf = math.log(1 + (n + 0.5) / 0.5)
        self.units = {s.unit for s in sentences if s.unit}
        self.unit_titles = {
            s.unit_title.lower(): s.unit for s in sentences if s.unit and s.unit_title
        }

    @cached_property
    def prefixes(self) -> frozenset[str]:
        # Stems also match longer corpus words: "probation" is known through "probationary";
        # not shorter stems, or "age" would be known through "agencies".
        return frozenset(w[:n] for w in self.words for n in range(5, len(w) + 1))

    def known(self, group: frozenset[str]) -> bool:
        """Whether the sources use any stem of the group."""
        return any(r in self.vocabulary or (len(r) >= 5 and r in self.prefixes) for r in group)

    def items_after(self, lead_in: Sentence, limit: int = 10) -> list[Sentence]:
        """The items a lead-in announces, in order: each bullet or table row once, by its first
        sentence, and the fragments that continue it ("your CV", "completed application form.").
        A list of fragments ends with the one that closes the sentence, unless another bullet
        of fragments follows; a list of full sentences runs to its end."""
        items: list[Sentence] = []
        current = self.following.get(lead_in.key)
        while current is not None and current.kind in ("list_item", "table_row"):
            fragment = current.text[:1].islower()
            # A long bullet is cut into several passages: a unit's description is one item.
            new = not items or (
                current.passage_id != items[-1].passage_id
                and (current.unit is None or current.unit != items[-1].unit)
            )
            taken = new or (fragment and current.passage_id == items[-1].passage_id)
            if taken:
                if len(items) == limit:
                    break
                items.append(current)
            nxt = self._next_passage(current)
            if (
                taken
                and fragment
                and current.text.rstrip().endswith(".")
                and len(items) > 1
                and not (nxt is not None and nxt.kind == "list_item" and nxt.text[:1].islower())
            ):
                break
            current = self.following.get(current.key)
        return items

    def _next_passage(self, sentence: Sentence) -> Sentence | None:
        current = self.following.get(sentence.key)
        while current is not None and current.passage_id == sentence.passage_id:
            current = self.following.get(current.key)
        return current

    def same_passage(self, sentence: Sentence) -> list[Sentence]:
        return [self.sentences[i] for i in self.by_passage.get(sentence.passage_id, [])]

    def alike_words(self, vector: np.ndarray, threshold: float, n: int = 3) -> list[str]:
        """The corpus's words whose embedding is at least ``threshold`` like ``vector``."""
        likeness = self.word_matrix @ vector
        return [self.words[i] for i in np.argsort(-likeness)[:n] if likeness[i] >= threshold]


def corpus_words(corpus: Corpus) -> list[str]:
    words = {w.lower() for d in corpus.documents.values() for w in WORD.findall(d.text)}
    return sorted(w for w in words if len(w) > 2 and w.isalpha())


def sentence_text(sentence: Sentence) -> str:
    """What the model reads: the section gives a sentence its context."""
    return f"{sentence.section}\n{sentence.text}"


def build_sentence_index(
    passages: list[Document],
    corpus: Corpus,
    embeddings: Embeddings,
    folder: Path | None,
    *,
    write: bool = True,
) -> SentenceIndex:
    """The sentence index, its vectors read from ``folder`` or computed (and kept there)."""
    sentences = split_sentences(passages, corpus)
    words = corpus_words(corpus)
    matrix = vectors(embeddings, [sentence_text(s) for s in sentences], folder, "sentences", write)
    word_matrix = vectors(embeddings, words, folder, "words", write)
    return SentenceIndex(sentences, matrix, words, word_matrix)


def asked_vectors(
    index: SentenceIndex,
    questions: list[ExpectedQuestion],
    embeddings: Embeddings,
    folder: Path | None,
    kind: str,
    write: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The vectors of the questions whose sentence is in the index, and those sentences'
    positions."""
    rows = rows_of(index.sentences, questions)
    kept = [(q.text, row) for q, row in zip(questions, rows, strict=True) if row >= 0]
    if not kept:
        return np.zeros((0, index.matrix.shape[1]), np.float32), np.zeros(0, np.int64)
    matrix = vectors(embeddings, [text for text, _ in kept], folder, kind, write)
    return matrix, np.asarray([row for _, row in kept], dtype=np.int64)


def _model_name(embeddings: Embeddings) -> str:
    return str(getattr(embeddings, "model", type(embeddings).__name__))


def vectors_path(embeddings: Embeddings, texts: list[str], folder: Path, kind: str) -> Path:
    """Named by a hash of the model and every text: a changed corpus, parser or model never
    reads stale vectors."""
    digest = hashlib.sha256("\0".join([_model_name(embeddings), *texts]).encode()).hexdigest()
    return folder / f"{kind}-{digest[:32]}.npy"


def vectors(
    embeddings: Embeddings, texts: list[str], folder: Path | None, kind: str, write: bool
) -> np.ndarray:
    """The vectors of ``texts`` by ``embeddings``, read from ``folder`` where a build kept them;
    else computed (and kept, if ``write``)."""
    path = vectors_path(embeddings, texts, folder, kind) if folder is not None else None
    if path is not None and path.is_file():
        try:
            vectors = np.load(path, allow_pickle=False)
            if vectors.shape[0] == len(texts):
                return np.asarray(vectors, dtype=np.float32)
        except (OSError, ValueError):
            pass  # unreadable: computed again below, and rewritten
    if not write:
        logger.info("%s vectors were not built by `assistant index`: computing them now", kind)
    keys = [_key(embeddings, t) for t in texts]
    # A changed document changes a few sentences: the others' vectors are read from the files
    # of earlier builds, and only the new ones are embedded.
    known = _earlier(folder, kind) if folder is not None else {}
    missing = [i for i, k in enumerate(keys) if k not in known]
    fresh = embeddings.embed_documents([texts[i] for i in missing]) if missing else []
    by_key = {
        **known,
        **{keys[i]: np.asarray(v, np.float32) for i, v in zip(missing, fresh, strict=True)},
    }
    vectors = np.asarray([by_key[k] for k in keys], dtype=np.float32)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as file:
                np.save(file, vectors, allow_pickle=False)
            path.with_suffix(".keys").write_text("\n".join(keys), encoding="utf-8")
            partial.replace(path)
        except OSError as error:  # a read-only data folder only costs the start-up time
            logger.info("%s vectors not kept: %s", kind, error)
    return vectors


def _key(embeddings: Embeddings, text: str) -> str:
    return hashlib.sha256(f"{_model_name(embeddings)}\0{text}".encode()).hexdigest()[:32]


def _earlier(folder: Path, kind: str) -> dict[str, np.ndarray]:
    """Vectors of earlier builds by text key (model and text), where their keys were kept."""
    known: dict[str, np.ndarray] = {}
    for keys_file in folder.glob(f"{kind}-*.keys"):
        try:
            keys = keys_file.read_text(encoding="utf-8").split("\n")
            vectors = np.load(keys_file.with_suffix(".npy"), allow_pickle=False)
        except (OSError, ValueError):
            continue
        if vectors.ndim == 2 and vectors.shape[0] == len(keys):
            known.update(zip(keys, np.asarray(vectors, np.float32), strict=True))
    return known
