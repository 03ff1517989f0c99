"""The answer contract shared by the CLI, the API, the widget and the evaluation scripts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

Status = Literal["answered", "not_found", "out_of_scope"]
Intent = Literal["fact", "deadline", "eligibility", "unanswerable", "out_of_scope"]
Generator = Literal["deterministic", "llm"]

MAX_MESSAGE_CHARS = 2000
MAX_HISTORY_TURNS = 50


def bounded_text(value: str, limit: int, empty: str) -> str:
    """``value`` trimmed, checked non-empty and at most ``limit`` characters; else ValueError.

    The length is counted as the published schema counts it (maxLength: every character sent,
    spaces included), so that what the schema allows is what is accepted; "   " is empty.
    """
    if len(value) > limit:
        raise ValueError(f"the message is {len(value)} characters long; the limit is {limit}")
    text = value.strip()
    if not text:
        raise ValueError(f"the message is empty; {empty}")
    return text


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str = Field(min_length=1, max_length=20_000)


def last_turn(history: Sequence[Turn], role: str) -> str:
    """The content of the last turn of ``role`` in the history, or ""."""
    return next((t.content for t in reversed(history) if t.role == role), "")


class Citation(BaseModel):
    """A verbatim span of a source document: ``quote == document[start:end]``."""

    id: int = Field(ge=1, description="The number used as [id] in the answer text.")
    doc_id: str
    title: str
    section: str
    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    shown: str | None = Field(
        default=None,
        description="The quote as the answer text shows it, just before its [id] (as a "
        "sentence: a table row as 'label: value', without link targets or its end mark); "
        "null where the answer states the point in its own words. In an answer in another "
        "language these are the call's English words.",
    )


class Answer(BaseModel):
    answer: str = Field(description="Short answer; claims are marked [1], [2] … by citation id.")
    citations: list[Citation]
    status: Status
    intent: Intent = Field(description="How the question was understood.")
    contact: str | None = Field(
        default=None, description="Where to ask when the sources do not answer."
    )
    generator: Generator = Field(
        default="deterministic",
        description="Who worded the answer: the sources' own sentences, or the optional model.",
    )
    fallback: str | None = Field(
        default=None,
        description="Why the optional model's answer was not used (its checks failed, it "
        "failed or timed out); the sources' own sentences were given instead.",
    )
    lang: str = Field(
        default="en",
        description="The language of the answer's own sentences (ISO 639-1); the call's "
        "quotes stay verbatim English.",
    )
    timings_ms: dict[str, float] = Field(
        default_factory=dict, description="Time spent per stage (retrieve, compose, total)."
    )
    # Whether its words read the clock (the days left before the deadline): such an answer is
    # not cached. Set by whoever composed it; not part of the contract.
    _dated: bool = PrivateAttr(default=False)

    @property
    def dated(self) -> bool:
        return self._dated

    def reading_the_clock(self, dated: bool) -> Answer:
        self._dated = dated
        return self
