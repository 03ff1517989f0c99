"""The evaluation sets: their schemas, loading with file:line errors, and relevance judgments.

Three kinds of set, told apart by their fields (eval/datasets/README.md documents each field):
``answers`` (a ``question``), ``retrieval`` (a ``query``) and ``precheck`` (a ``profile``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.answering.models import Turn
from assistant.config import PROJECT_ROOT
from assistant.evaluation.errors import DatasetError, describe
from retrieval.corpus import Corpus
from retrieval.parsing import parse_document

DATASETS_DIR = PROJECT_ROOT / "eval" / "datasets"
BUNDLED = ("answers.jsonl", "retrieval.jsonl", "precheck.jsonl")

SetName = Literal["answers", "retrieval", "precheck"]
# The six kinds, plus three the sets had already: time-aware questions, prompt
# injections, and keyword searches; then the ways candidates really write: several questions in
# one message, a question wrapped in facts about the asker, an e-mail, one about the DG as a
# whole, one asking for the items of a list. They fail in their own ways, so they are reported
# apart.
AnswerKind = Literal[
    "fact", "paraphrase", "typo", "follow-up", "unanswerable", "eligibility", "deadline",
    "injection", "compound", "personal", "email", "background", "list",
]  # fmt: skip
RetrievalKind = Literal["fact", "paraphrase", "typo", "keyword"]
# The 24 official languages of the EU, by ISO 639-1 code: the languages a candidate may write in.
# A case without `lang` is in English, so that the English-only sets need no change.
EuLanguage = Literal[
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr",
    "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
]  # fmt: skip
EU_LANGUAGES: tuple[str, ...] = get_args(EuLanguage)
ExpectStatus = Literal["answered", "not_found", "out_of_scope", "declined"]
Verdict = Literal["eligible", "not_eligible", "incomplete"]
CriterionStatus = Literal["met", "not_met", "unknown"]

# precheck.jsonl's documented clock for profiles without `now`: after the call closed.
PRECHECK_NOW = datetime.fromisoformat("2025-06-01T12:00:00+02:00")


class Evidence(BaseModel):
    """A verbatim quote of a document: what a citation or a retrieved passage must overlap."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    doc_id: str
    quote: str = Field(min_length=1)


class _Case(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)


def _compiled(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
    return patterns


class AnswerCase(_Case):
    question: str = Field(min_length=1)
    history: list[Turn] = Field(default_factory=list)
    kind: AnswerKind
    lang: EuLanguage | None = None
    now: AwareDatetime | None = None
    expect_status: ExpectStatus
    must_contain: list[str]
    must_not_contain: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)

    _patterns = field_validator("must_contain", "must_not_contain")(_compiled)

    @field_validator("lang", mode="before")
    @classmethod
    def _eu_language(cls, value: object) -> object:
        # Checked before the Literal so that a wrong code gets one message that lists the codes,
        # rather than pydantic's "Input should be 'bg', 'cs', …" over 24 alternatives.
        if value is not None and value not in EU_LANGUAGES:
            raise ValueError(
                f"{value!r} is not an official EU language: use the lower-case ISO 639-1 code "
                f"of one of the 24 ({' '.join(EU_LANGUAGES)}), or leave lang out for English"
            )
        return value

    @property
    def answerable(self) -> bool:
        return self.expect_status == "answered"


class RetrievalCase(_Case):
    query: str = Field(min_length=1)
    kind: RetrievalKind
    relevant: list[Evidence] = Field(min_length=1)


class PrecheckCase(_Case):
    note: str | None = None
    profile: dict[str, Any]
    now: AwareDatetime = PRECHECK_NOW
    expected_verdict: Verdict
    expected: dict[str, CriterionStatus] = Field(default_factory=dict)

    @property
    def kind(self) -> str:
        # Profiles have no kind of their own: they are reported by the verdict they expect.
        return self.expected_verdict


Case = AnswerCase | RetrievalCase | PrecheckCase

SCHEMAS: dict[SetName, type[AnswerCase] | type[RetrievalCase] | type[PrecheckCase]] = {
    "answers": AnswerCase,
    "retrieval": RetrievalCase,
    "precheck": PrecheckCase,
}
# The field that tells a set's kind from its first line.
MARKERS: dict[str, SetName] = {"question": "answers", "query": "retrieval", "profile": "precheck"}


@dataclass(frozen=True)
class Dataset:
    path: Path
    set: SetName
    cases: list[Case]

    @property
    def name(self) -> str:
        return self.path.stem


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON Lines file (blank lines skipped), or DatasetError naming the line."""
    return [_parse_line(path, n, line) for n, line in _numbered_lines(path)]


def load_dataset(path: Path) -> Dataset:
    """Read and validate a set; the first line's fields say which kind it is."""
    lines = _numbered_lines(path)
    if not lines:
        raise DatasetError(f"{path}: no cases")
    first_number, first_line = lines[0]
    first = _parse_line(path, first_number, first_line)
    found = [name for field, name in MARKERS.items() if field in first]
    if len(found) != 1:
        raise DatasetError(
            f"{path}:{first_number}: cannot tell the kind of set: a case needs exactly one of "
            f"{', '.join(repr(f) for f in MARKERS)}"
        )
    schema = SCHEMAS[found[0]]
    cases: list[Case] = []
    seen: set[str] = set()
    for number, line in lines:
        try:
            case = schema.model_validate(_parse_line(path, number, line))
        except ValidationError as exc:
            raise DatasetError(f"{path}:{number}: {describe(exc)}") from None
        if case.id in seen:
            raise DatasetError(f"{path}:{number}: duplicate id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    return Dataset(path=path, set=found[0], cases=cases)


def _numbered_lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read {path}: {exc}") from None
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def _parse_line(path: Path, number: int, line: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}:{number}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise DatasetError(f"{path}:{number}: not a JSON object")
    return data


# -- relevance: which passages and citations hold a set's evidence ------------------------------

Span = tuple[str, int, int]


def evidence_spans(corpus: Corpus, evidence: list[Evidence]) -> list[Span]:
    """Every occurrence of every evidence quote, as (doc_id, start, end)."""
    spans = []
    for item in evidence:
        text = corpus.get(item.doc_id).text
        start = text.find(item.quote)
        if start < 0:
            raise DatasetError(f"evidence not found verbatim in {item.doc_id}: {item.quote!r}")
        while start >= 0:
            spans.append((item.doc_id, start, start + len(item.quote)))
            start = text.find(item.quote, start + 1)
    return spans


def overlaps(doc_id: str, start: int, end: int, spans: list[Span]) -> bool:
    return any(d == doc_id and start < e and s < end for d, s, e in spans)


def passage_key(doc_id: str, start: int, end: int) -> str:
    """A passage's identity, the same as its id in the index: ``doc_id:start-end``."""
    return f"{doc_id}:{start}-{end}"


class Judge:
    """Judges rankings and citations against a set's evidence, over the local corpus."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        # The passages as the index cuts them: recall needs every relevant one, retrieved or not.
        self._passages = [
            (p.doc_id, p.start, p.end)
            for document in corpus.documents.values()
            for p in parse_document(document.id, document.text)
        ]

    def spans(self, evidence: list[Evidence]) -> list[Span]:
        return evidence_spans(self.corpus, evidence)

    def relevant_passages(self, evidence: list[Evidence]) -> set[str]:
        """The passages that overlap any evidence quote.

        Taken from the local corpus rather than from a ranking, so that recall has its true
        denominator whichever target (in-process or a server) ranked the passages.
        """
        spans = self.spans(evidence)
        return {passage_key(*p) for p in self._passages if overlaps(*p, spans)}

    def verbatim(self, doc_id: str, start: int, end: int, quote: str) -> bool:
        """Is ``quote`` exactly the text of ``doc_id`` between ``start`` and ``end``?"""
        document = self.corpus.documents.get(doc_id)
        return document is not None and document.text[start:end] == quote
