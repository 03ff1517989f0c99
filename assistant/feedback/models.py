"""Candidates' ratings of answers, as the widget sends them and as staff review them.

A record holds what the candidate saw and typed (question, answer, its citations, rating,
optional comment) and an id the server makes; never an IP address, a user agent or anything
else about the person.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.answering.models import MAX_MESSAGE_CHARS, Status
from assistant.validation import JsonInt
from retrieval.errors import AssistantError

MAX_COMMENT_CHARS = 1000
MAX_ANSWER_CHARS = 20_000
MAX_CITATIONS = 50

Rating = Literal["up", "down"]


class FeedbackNotFound(AssistantError):
    status = 404
    exit_code = 2


class RatedCitation(BaseModel):
    """A citation of the rated answer, as the widget showed it."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str = Field(min_length=1, max_length=100)
    start: JsonInt = Field(ge=0)
    end: JsonInt = Field(ge=0)
    quote: str = Field(default="", max_length=MAX_ANSWER_CHARS)


class Feedback(BaseModel):
    """A rating of one answer, as the candidate gave it."""

    model_config = ConfigDict(extra="forbid")

    rating: Rating
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
    citations: list[RatedCitation] | None = Field(
        default=None,
        max_length=MAX_CITATIONS,
        description="The answer's citations as shown, so that a reviewer sees its sources.",
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
    """A stored rating: what was sent, the id and time the server gave it, and its review."""

    id: uuid.UUID
    created_at: datetime
    reviewed: bool = Field(default=False, description="A staff member has looked at it.")
    reviewed_at: datetime | None = None


class FeedbackPage(BaseModel):
    items: list[FeedbackRecord] = Field(description="Newest first.")
    total: int = Field(description="How many ratings match the filters, over all pages.")
    limit: int
    offset: int
