"""Candidates' ratings of answers, appended one JSON object per line to a file.

A record holds what the candidate saw and typed (question, answer, rating, optional comment) and
an id the server makes; never an IP address, a user agent or anything else about the person.
"""

from __future__ import annotations

import fcntl
import os
import threading
import uuid
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.answering.models import MAX_MESSAGE_CHARS, Status
from retrieval.errors import AssistantError

MAX_COMMENT_CHARS = 1000
MAX_ANSWER_CHARS = 20_000

# One lock per process for the threads of the server; flock() below covers other workers.
_LOCK = threading.Lock()


class FeedbackUnavailable(AssistantError):
    """The feedback file cannot be written."""

    status = 503
    exit_code = 5


class Feedback(BaseModel):
    """A rating of one answer, as the candidate gave it."""

    model_config = ConfigDict(extra="forbid")

    rating: Literal["up", "down"]
    comment: str | None = Field(
        default=None, description=f"Optional, at most {MAX_COMMENT_CHARS} characters."
    )
    question: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    answer: str = Field(min_length=1, max_length=MAX_ANSWER_CHARS)
    status: Status | None = Field(default=None, description="The answer's status, if known.")
    conversation_id: uuid.UUID | None = Field(
        default=None,
        description="A random id the widget makes per conversation, to group its ratings.",
    )

    @field_validator("comment")
    @classmethod
    def _comment(cls, value: str | None) -> str | None:
        text = (value or "").strip()
        if len(text) > MAX_COMMENT_CHARS:
            raise ValueError(
                f"the comment is {len(text)} characters long; the limit is {MAX_COMMENT_CHARS}"
            )
        return text or None


class FeedbackReceipt(BaseModel):
    id: uuid.UUID
    created_at: datetime


class FeedbackRecord(Feedback):
    id: uuid.UUID
    created_at: datetime


def append_feedback(
    path: Path, feedback: Feedback, *, now: datetime, max_bytes: int = 0
) -> FeedbackRecord:
    """Append ``feedback`` as one line of ``path`` (made if missing) and return the record.

    With ``max_bytes``, a file that has reached it takes no more: public input must not be
    able to fill the disk. Someone reads and archives the file, and ratings flow again.
    """
    record = FeedbackRecord(**feedback.model_dump(), id=uuid.uuid4(), created_at=now)
    line = (record.model_dump_json() + "\n").encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK:
            # O_APPEND and a single write per record: lines from concurrent writers never mix.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if max_bytes and os.fstat(fd).st_size + len(line) > max_bytes:
                    raise FeedbackUnavailable("the feedback file is full; ratings are paused")
                os.write(fd, line)
            finally:
                os.close(fd)  # also releases the flock
    except OSError as exc:
        raise FeedbackUnavailable(
            f"feedback cannot be stored right now ({exc.strerror or 'write failed'})"
        ) from None
    return record
