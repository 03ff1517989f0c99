"""One result per evaluated case, as written to results.jsonl: what was asked, what came back,
and which checks failed. Every check is True, False, or None when it does not apply."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, computed_field

from assistant.answering.models import Citation, Turn
from assistant.evaluation.datasets import Evidence


class _Result(BaseModel):
    dataset: str
    id: str
    kind: str
    checks: dict[str, bool | None] = Field(default_factory=dict)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    error: str | None = Field(default=None, description="Why the target gave no result.")
    skipped: str | None = Field(default=None, description="Why the case was not run.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failed(self) -> list[str]:
        """The checks that failed; ``error`` when the target gave no result at all."""
        failed = [name for name, ok in self.checks.items() if ok is False]
        return ["error", *failed] if self.error is not None else failed

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool | None:
        return None if self.skipped is not None else not self.failed


class AnswerResult(_Result):
    set: Literal["answers"] = "answers"
    lang: str | None = Field(default=None, description="The case's language; None is English.")
    question: str
    history: list[Turn] = Field(default_factory=list)
    now: datetime | None = None
    expect_status: str
    must_contain: list[str]
    must_not_contain: list[str]
    evidence: list[Evidence]
    status: str | None = None
    answer: str | None = None
    citations: list[Citation] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="Expected facts not found.")
    forbidden: list[str] = Field(default_factory=list, description="Forbidden claims found.")
    citations_on_evidence: int = Field(default=0, description="Citations overlapping evidence.")
    citations_verbatim: int = Field(default=0, description="Citations whose quote is verbatim.")

    @property
    def answerable(self) -> bool:
        return self.expect_status == "answered"


class Hit(BaseModel):
    """A ranked passage, located by its offsets: ``doc_id:start-end`` is its key."""

    doc_id: str
    section: str
    start: int
    end: int
    score: float


class RetrievalResult(_Result):
    set: Literal["retrieval"] = "retrieval"
    query: str
    relevant: list[Evidence]
    relevant_passages: list[str] = Field(
        default_factory=list, description="Keys of every passage overlapping the evidence."
    )
    ranked: list[Hit] = Field(default_factory=list)
    relevant_ranks: list[int] = Field(default_factory=list, description="1-based ranks.")
    scores: dict[str, float] = Field(default_factory=dict)


class ProfileResult(_Result):
    set: Literal["precheck"] = "precheck"
    note: str | None = None
    profile: dict[str, Any]
    now: datetime | None = None
    expected_verdict: str
    expected: dict[str, str]
    verdict: str | None = None
    statuses: dict[str, str] = Field(default_factory=dict)


AnyResult = AnswerResult | RetrievalResult | ProfileResult
ITEM_RESULT: TypeAdapter[AnyResult] = TypeAdapter(Annotated[AnyResult, Field(discriminator="set")])
