"""The corpus: source documents and the manifest that describes them.

The corpus directory holds ``manifest.toml`` and the documents it lists. Loading validates the
whole corpus before anything else happens, so a broken corpus never reaches the index.
"""

from __future__ import annotations

import hashlib
import tomllib
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from retrieval.errors import CorpusError

MANIFEST_NAME = "manifest.toml"
DOCUMENTS_DIR = "documents"


class DocumentEntry(BaseModel):
    """One document as the manifest describes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable id used in citations.")
    file: str = Field(description="Path of the text file, relative to the corpus directory.")
    title: str
    kind: Literal["call", "background"]
    language: str = Field(pattern=r"^[a-z]{2}$")
    reference: str | None = None
    deadline: datetime | None = Field(
        default=None, description="Closing date and time, local to `timezone`, without offset."
    )
    timezone: str | None = None
    deadline_quote: str | None = None
    contact: str | None = None
    rules: str | None = Field(default=None, description="Pre-check rules file, relative path.")
    questions: str | None = Field(
        default=None,
        description="The questions each sentence answers (retrieval.questions), relative path.",
    )
    unanswered: str | None = Field(
        default=None,
        description="A call's: questions candidates ask that none of the sources answers "
        "(retrieval.questions), relative path.",
    )
    caveat: str | None = None

    @model_validator(mode="after")
    def _call_fields(self) -> DocumentEntry:
        if self.kind == "call":
            missing = [
                name
                for name in ("reference", "deadline", "timezone", "contact")
                if getattr(self, name) is None
            ]
            if missing:
                raise ValueError(f"a call needs {', '.join(missing)}")
        elif self.unanswered is not None:
            raise ValueError("only a call has `unanswered` questions (they span every source)")
        if self.deadline is not None and self.deadline.tzinfo is not None:
            raise ValueError("give the deadline as local time and name its `timezone`")
        if self.timezone is not None:
            try:
                ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown timezone {self.timezone!r}") from exc
        return self


class SourceDocument(BaseModel):
    """A manifest entry with its text, exactly as stored (no newline translation)."""

    model_config = ConfigDict(frozen=True)

    entry: DocumentEntry
    text: str
    path: Path

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def title(self) -> str:
        return self.entry.title

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def deadline(self) -> datetime | None:
        """The closing date as an aware datetime in the call's time zone."""
        if self.entry.deadline is None or self.entry.timezone is None:
            return None
        return self.entry.deadline.replace(tzinfo=ZoneInfo(self.entry.timezone))

    def quote(self, start: int, end: int) -> str:
        if not 0 <= start < end <= len(self.text):
            raise CorpusError(f"span {start}-{end} is outside document {self.id!r}")
        return self.text[start:end]


class Corpus(BaseModel):
    """All documents of the corpus, by id, in manifest order."""

    model_config = ConfigDict(frozen=True)

    root: Path
    documents: dict[str, SourceDocument]

    def get(self, doc_id: str) -> SourceDocument:
        try:
            return self.documents[doc_id]
        except KeyError:
            raise CorpusError(f"no document {doc_id!r} in the corpus at {self.root}") from None

    @property
    def calls(self) -> list[SourceDocument]:
        return [d for d in self.documents.values() if d.entry.kind == "call"]

    def for_call(self, reference: str | None) -> Corpus:
        """The corpus as a deployment for one call sees it: that call and the documents that
        are not calls (background pages). A corpus may hold several calls; each deployment
        answers about one, so that no answer mixes two calls' deadlines or criteria."""
        if reference is None and len(self.calls) <= 1:
            return self  # nothing to choose between
        chosen = self.call(reference)
        kept = {k: d for k, d in self.documents.items() if d.entry.kind != "call" or d is chosen}
        return self.model_copy(update={"documents": kept})

    def call(self, reference: str | None = None) -> SourceDocument:
        """The call with this reference, or the only call when none is given."""
        calls = self.calls
        if not calls:
            raise CorpusError(f'the corpus at {self.root} holds no document of kind = "call"')
        references = ", ".join(d.entry.reference or d.id for d in calls)
        if reference is None:
            if len(calls) == 1:
                return calls[0]
            raise CorpusError(
                f"the corpus at {self.root} holds {len(calls)} calls ({references}): set "
                "ASSISTANT_CALL to the reference of the one to answer about"
            )
        chosen = [d for d in calls if d.entry.reference == reference]
        if len(chosen) != 1:
            raise CorpusError(
                f"no call with reference {reference!r} in the corpus at {self.root} "
                f"(its calls: {references}); set ASSISTANT_CALL to one of them"
                if not chosen
                else f"{len(chosen)} calls have the reference {reference!r} in {self.root}"
            )
        return chosen[0]


def load_corpus(root: Path) -> Corpus:
    """Read and validate the manifest and every document it lists.

    Raises CorpusError with a message that names the file and what to fix.
    """
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(
            f"corpus directory {root} does not exist; set ASSISTANT_CORPUS_DIR to the folder "
            f"that holds {MANIFEST_NAME}"
        )
    entries = _read_manifest(root / MANIFEST_NAME)
    documents: dict[str, SourceDocument] = {}
    for entry in entries:
        if entry.id in documents:
            raise CorpusError(f"{MANIFEST_NAME}: document id {entry.id!r} is used twice")
        path = root / entry.file
        text = _read_text(path, entry.id)
        _check_facts(entry, text, path)
        documents[entry.id] = SourceDocument(entry=entry, text=text, path=path)
    _check_unlisted_files(root, entries)
    return Corpus(root=root, documents=documents)


def _read_manifest(path: Path) -> list[DocumentEntry]:
    if not path.is_file():
        raise CorpusError(f"{path} is missing; every corpus needs a manifest listing its documents")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path} cannot be read: {exc}") from exc
    raw = data.get("documents")
    if not raw:
        raise CorpusError(f"{path} lists no documents; add a [[documents]] entry per file")
    entries = []
    for i, item in enumerate(raw, start=1):
        try:
            entries.append(DocumentEntry.model_validate(item))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}"
                for err in exc.errors()
            )
            raise CorpusError(f"{path}: document entry {i} is invalid ({problems})") from None
    return entries


def _read_text(path: Path, doc_id: str) -> str:
    if not path.is_file():
        raise CorpusError(
            f"manifest entry {doc_id!r} names {path}, which does not exist; "
            "add the file or remove the entry"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path} cannot be read: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path} is not valid UTF-8 (byte {exc.start}); save it as UTF-8"
        ) from None
    if not text.strip():
        raise CorpusError(f"{path} is empty")
    return text


def _check_facts(entry: DocumentEntry, text: str, path: Path) -> None:
    # Facts the product states from the manifest must be the document's own words.
    for name in ("reference", "deadline_quote", "contact"):
        value = getattr(entry, name)
        if value is not None and value not in text:
            raise CorpusError(
                f"manifest entry {entry.id!r}: {name} {value!r} is not found verbatim in {path}"
            )


def _check_unlisted_files(root: Path, entries: list[DocumentEntry]) -> None:
    listed = {(root / e.file).resolve() for e in entries}
    docs_dir = root / DOCUMENTS_DIR
    if not docs_dir.is_dir():
        return
    for path in sorted(docs_dir.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and path.resolve() not in listed:
            raise CorpusError(
                f"{path} has no entry in {root / MANIFEST_NAME}; add one or remove the file"
            )
