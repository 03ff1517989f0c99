"""The questions each sentence answers: written per document, read at index time.

A candidate's question is much more like another question than like the sentence that answers
it, and more so across languages: "Combien de temps dure la période d'essai ?" is near "How long
is the probation period?" and far from "Contract agents … have to successfully complete a
9-month probationary period". So each document may come with questions its sentences answer
(``questions`` in the manifest), each tied to its sentence by a verbatim quote that loading
checks, as the rules' clauses are. The multilingual model embeds them at index time; a question
then scores a sentence by the nearer of the sentence and its questions.

A call may also come with questions candidates ask that none of the sources answers
(``unanswered`` in the manifest), by topic: a question much nearer to one of those topics than
to any sentence's questions is one the sources do not answer, however near some sentence is.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from retrieval.corpus import Corpus
from retrieval.errors import CorpusError

if TYPE_CHECKING:
    from retrieval.sentence_index import Sentence


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    quote: str = Field(min_length=10)
    questions: list[str] = Field(min_length=1)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sentence: list[_Entry] = Field(default_factory=list)


_Model = TypeVar("_Model", bound=BaseModel)


class _Topic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    # About something else than the call (the weather, a recipe), not about a detail it omits.
    outside: bool = False
    questions: list[str] = Field(min_length=2)  # a topic is as near as its two nearest


class _UnansweredFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: list[_Topic] = Field(default_factory=list)


@dataclass(frozen=True)
class UnansweredQuestion:
    topic: int  # position of its topic in the file
    text: str
    outside: bool = False  # its topic is about something else than the call


@dataclass(frozen=True)
class ExpectedQuestion:
    doc_id: str
    start: int  # where the quote starts: the sentence holding it is the one answering
    text: str


def expected_questions(corpus: Corpus) -> list[ExpectedQuestion]:
    """Every document's questions, in manifest order; raises CorpusError naming what to fix."""
    found: list[ExpectedQuestion] = []
    for document in corpus.documents.values():
        relative = document.entry.questions
        if relative is None:
            continue
        path = corpus.root / relative
        data = _read(path, _File)
        for entry in data.sentence:
            start = document.text.find(entry.quote)
            if start < 0 or document.text.find(entry.quote, start + 1) >= 0:
                where = "not found verbatim" if start < 0 else "found more than once"
                raise CorpusError(f"{path}: quote {entry.quote[:60]!r} is {where} in {document.id}")
            found.extend(ExpectedQuestion(document.id, start, q) for q in entry.questions)
    return found


def unanswered_questions(corpus: Corpus) -> list[UnansweredQuestion]:
    """The questions none of the sources answers, of every call in ``corpus`` (a deployment's
    corpus holds one), by topic; raises CorpusError naming what to fix."""
    found: list[UnansweredQuestion] = []
    answered = {q.text.casefold() for q in expected_questions(corpus)}
    topics = 0
    for call in corpus.calls:
        if call.entry.unanswered is None:
            continue
        path = corpus.root / call.entry.unanswered
        for topic in _read(path, _UnansweredFile).topic:
            for text in topic.questions:
                if text.casefold() in answered:
                    raise CorpusError(f"{path}: {text!r} is also a question a sentence answers")
                found.append(UnansweredQuestion(topics, text, topic.outside))
            topics += 1
    return found


def _read(path: Path, model: type[_Model]) -> _Model:
    try:
        return model.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise CorpusError(f"{path}: {exc}") from exc


def rows_of(sentences: Sequence[Sentence], questions: list[ExpectedQuestion]) -> list[int]:
    """For each question, the position of the sentence its quote starts in (-1: none of
    ``sentences``, a part of the document that is not indexed)."""
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for i, sentence in enumerate(sentences):
        spans.setdefault(sentence.doc_id, []).append((sentence.start, sentence.end, i))
    return [
        next((i for a, b, i in spans.get(q.doc_id, []) if a <= q.start < b), -1) for q in questions
    ]


def slots(rows: np.ndarray, sentences: int) -> np.ndarray:
    """Each sentence's questions as a row of indices, padded with one past the last question
    (a slot that reads as no likeness)."""
    own: list[list[int]] = [[] for _ in range(sentences)]
    for j, row in enumerate(rows):
        own[int(row)].append(j)
    width = max(2, *(len(o) for o in own)) if own else 2
    table = np.full((sentences, width), len(rows), dtype=np.int64)
    for i, indices in enumerate(own):
        table[i, : len(indices)] = indices
    return table


def nearest_two(likeness: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Per sentence, the mean likeness of its two questions most like the question (its one,
    where it has one); -1 where it has none. One near question may be a fluke of wording; two
    agree on what the sentence answers."""
    padded = np.append(likeness, -np.inf)[table]
    top = -np.sort(-padded, axis=1)[:, :2]
    second = np.where(np.isinf(top[:, 1]), top[:, 0], top[:, 1])
    return np.where(np.isinf(top[:, 0]), -1.0, (top[:, 0] + second) / 2)
