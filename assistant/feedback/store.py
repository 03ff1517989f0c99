"""Ratings in the database: store one, list them for review, mark them reviewed, purge the old,
and import a feedback JSONL file written by earlier versions."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError
from sqlalchemy import ColumnElement, delete, func, select

from assistant.answering.models import Status
from assistant.db.engine import Database
from assistant.db.models import FeedbackEntry
from assistant.feedback.models import (
    Feedback,
    FeedbackNotFound,
    FeedbackPage,
    FeedbackRecord,
    RatedCitation,
    Rating,
)
from assistant.validation import field_problems
from retrieval.errors import InvalidQuery

MAX_PAGE = 200


@dataclass(frozen=True)
class FeedbackFilter:
    rating: Rating | None = None
    reviewed: bool | None = None
    since: date | None = None  # from the start of this day (UTC)
    until: date | None = None  # to the end of this day (UTC)

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.rating is not None:
            found.append(FeedbackEntry.rating == self.rating)
        if self.reviewed is not None:
            reviewed = FeedbackEntry.reviewed_at.is_not(None)
            found.append(reviewed if self.reviewed else FeedbackEntry.reviewed_at.is_(None))
        if self.since is not None:
            found.append(FeedbackEntry.created_at >= datetime.combine(self.since, time.min, UTC))
        if self.until is not None:
            found.append(FeedbackEntry.created_at <= datetime.combine(self.until, time.max, UTC))
        return found


@dataclass(frozen=True)
class ImportReport:
    added: int
    skipped: int  # already there (imported before)


def save_feedback(db: Database, feedback: Feedback, *, now: datetime) -> FeedbackRecord:
    record = FeedbackRecord(**feedback.model_dump(), id=uuid.uuid4(), created_at=now)
    with db.session() as session:
        session.add(_entry(record))
    return record


def list_feedback(
    db: Database, where: FeedbackFilter, *, limit: int = 50, offset: int = 0
) -> FeedbackPage:
    conditions = where.conditions()
    query = (
        select(FeedbackEntry)
        .where(*conditions)
        .order_by(FeedbackEntry.created_at.desc(), FeedbackEntry.id)
        .limit(min(limit, MAX_PAGE))
        .offset(offset)
    )
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(FeedbackEntry).where(*conditions))
        items = [_record(entry) for entry in session.scalars(query)]
    return FeedbackPage(items=items, total=total or 0, limit=limit, offset=offset)


def all_feedback(db: Database, where: FeedbackFilter) -> list[FeedbackRecord]:
    """Every rating that matches, oldest first (for an export)."""
    query = select(FeedbackEntry).where(*where.conditions())
    with db.session() as session:
        entries = session.scalars(query.order_by(FeedbackEntry.created_at, FeedbackEntry.id))
        return [_record(entry) for entry in entries]


def mark_reviewed(db: Database, feedback_id: uuid.UUID, *, now: datetime) -> FeedbackRecord:
    """Marks a rating reviewed (again: it keeps the time it was first reviewed)."""
    with db.session() as session:
        entry = session.get(FeedbackEntry, feedback_id)
        if entry is None:
            raise FeedbackNotFound(f"no feedback with id {feedback_id}")
        if entry.reviewed_at is None:
            entry.reviewed_at = now
        return _record(entry)


def purge_feedback(db: Database, *, before: datetime) -> int:
    """Deletes the ratings made before ``before``; returns how many."""
    with db.session() as session:
        result = session.execute(delete(FeedbackEntry).where(FeedbackEntry.created_at < before))
        return int(getattr(result, "rowcount", 0) or 0)


def import_feedback(db: Database, path: Path) -> ImportReport:
    """Adds the records of a feedback JSONL file (one JSON object per line, as the API wrote
    them before the database), each once: a record whose id is already there is skipped, so
    importing the same file again adds nothing."""
    records = _read_records(path)
    added = 0
    with db.session() as session:
        known = set(session.scalars(select(FeedbackEntry.id)))
        for record in records:
            if record.id in known:
                continue
            session.add(_entry(record))
            known.add(record.id)
            added += 1
    return ImportReport(added=added, skipped=len(records) - added)


def _read_records(path: Path) -> list[FeedbackRecord]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidQuery(f"cannot read {path}: {exc}") from None
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data: Any = json.loads(line)
            record = FeedbackRecord.model_validate(data)
        except json.JSONDecodeError as exc:
            raise InvalidQuery(f"{path}:{number}: not JSON ({exc.msg})") from None
        except ValidationError as exc:
            problems = "; ".join(field_problems(exc.errors(include_url=False), root="(line)"))
            raise InvalidQuery(f"{path}:{number}: not a feedback record: {problems}") from None
        if record.created_at.tzinfo is None:
            raise InvalidQuery(f"{path}:{number}: created_at has no time zone")
        records.append(record)
    return records


def _text(value: str) -> str:
    # PostgreSQL's text cannot hold NUL; it carries no meaning in a question or a comment.
    return value.replace("\x00", "\ufffd")


def _entry(record: FeedbackRecord) -> FeedbackEntry:
    citations = (
        [
            {**c.model_dump(), "quote": _text(c.quote), "doc_id": _text(c.doc_id)}
            for c in record.citations
        ]
        if record.citations is not None
        else None
    )
    return FeedbackEntry(
        id=record.id,
        created_at=record.created_at,
        rating=record.rating,
        comment=_text(record.comment) if record.comment is not None else None,
        question=_text(record.question),
        answer=_text(record.answer),
        status=record.status,
        citations=citations,
        conversation_id=record.conversation_id,
        reviewed_at=record.reviewed_at,
    )


def _record(entry: FeedbackEntry) -> FeedbackRecord:
    # Built without validation: what was stored was valid when it came in, and a later,
    # tighter limit must not make old ratings unreadable.
    return FeedbackRecord.model_construct(
        id=entry.id,
        created_at=entry.created_at,
        rating=cast(Rating, entry.rating),
        comment=entry.comment,
        question=entry.question,
        answer=entry.answer,
        status=cast(Status | None, entry.status),
        conversation_id=entry.conversation_id,
        citations=(
            [RatedCitation.model_construct(**c) for c in entry.citations]
            if entry.citations is not None
            else None
        ),
        reviewed=entry.reviewed_at is not None,
        reviewed_at=entry.reviewed_at,
    )
