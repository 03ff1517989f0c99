"""Request bodies and error bodies of the API, as documented in /docs.

The answer itself (``Answer``) and the pre-check's ``Profile`` and ``PrecheckResult`` are the
domain's own models: the API serves them as they are.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.answering.models import (
    MAX_HISTORY_TURNS,
    MAX_MESSAGE_CHARS,
    Turn,
    bounded_text,
)
from assistant.config import Settings
from assistant.validation import NOT_BLANK

# The defaults, for the documentation; a deployment may set others (ASSISTANT_MAX_BODY_BYTES...).
MAX_BODY_BYTES = Settings.model_fields["max_body_bytes"].default

CHAT_EXAMPLES: dict[str, dict[str, Any]] = {
    "question": {
        "summary": "A question",
        "value": {"message": "What is the deadline for expressing interest?"},
    },
    "follow-up": {
        "summary": "A follow-up, with the conversation so far",
        "value": {
            "message": "And how long is the probation?",
            "history": [
                {"role": "user", "content": "How long is the contract?"},
                {"role": "assistant", "content": "The contract is for … [1]."},
            ],
        },
    },
}


class ChatRequest(BaseModel):
    """A candidate's question, and optionally the conversation before it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [e["value"] for e in CHAT_EXAMPLES.values()]},
    )

    message: str = Field(
        description=(
            f"The question, 1 to {MAX_MESSAGE_CHARS} characters, not only spaces. A longer "
            "message is refused with 422 (not 413: 413 is only for a request body over "
            f"{MAX_BODY_BYTES} bytes)."
        ),
        # Not only spaces: the pattern says so to clients that generate from the schema.
        json_schema_extra={"minLength": 1, "maxLength": MAX_MESSAGE_CHARS, "pattern": NOT_BLANK},
    )
    history: list[Turn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_TURNS,
        description=(
            f"Earlier turns, oldest first, at most {MAX_HISTORY_TURNS}; roles 'user' and "
            "'assistant' only. Used to understand follow-up questions."
        ),
    )

    lang: str | None = Field(
        default=None,
        max_length=35,
        description=(
            "The language the widget speaks (a BCP 47 tag such as `fr` or `pt-PT`). The answer "
            "is in the language the question is written in; this is used when the question "
            'is too short to tell ("CAST?"). Quotes of the call stay in English.'
        ),
    )

    @field_validator("message")
    @classmethod
    def _trimmed_and_bounded(cls, value: str) -> str:
        return bounded_text(value, MAX_MESSAGE_CHARS, "type a question")


class ErrorBody(BaseModel):
    detail: str = Field(description="What went wrong and, where possible, what to do.")
    request_id: str | None = Field(description="Quote it when reporting a problem.")


class FieldProblem(BaseModel):
    loc: list[str | int] = Field(description='Where: e.g. ["body", "history", 0, "role"].')
    msg: str = Field(description="What is wrong there.")


class ValidationErrorBody(BaseModel):
    detail: list[FieldProblem]
    message: str = Field(description="One sentence saying what to fix.")
    request_id: str | None


class Health(BaseModel):
    status: Literal["ok"] = Field(description="The process is alive and serving requests.")


class Ready(BaseModel):
    status: Literal["ready"]
    passages: int = Field(description="Passages in the search index.")
    vector_store: Literal["embedded", "http"] = Field(description="Where the vectors are.")


class HealthProblem(BaseModel):
    status: Literal["unavailable"]
    component: str = Field(description="What is not ready: retriever, answerer, rules, ...")
    detail: str = Field(description="Why the service cannot answer, and what to do.")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {
        "model": ErrorBody,
        "description": f"The request body is over the limit ({MAX_BODY_BYTES} bytes by default).",
    },
    422: {"model": ValidationErrorBody, "description": "The request is invalid; see `message`."},
    500: {"model": ErrorBody, "description": "An internal error; nothing is disclosed."},
    503: {
        "model": ErrorBody,
        "description": "The index, the model, the corpus or the vector store is not available "
        "(e.g. not built, or the Chroma server is down), or the answer took too long. "
        "`Retry-After` is set when trying again soon may help.",
    },
}

# For the endpoints under limits.RATE_LIMITED_PATHS (chat, pre-check, draft, search, feedback).
RATE_LIMITED_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {
        "model": ErrorBody,
        "description": "Too many requests from this client; `Retry-After` says when to retry.",
    },
}

# Staff pages' endpoints: signed in (session cookie, bearer token or trusted proxy) or 401.
STAFF_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    401: {
        "model": ErrorBody,
        "description": "Not signed in as staff (or a revoked or wrong token): sign in at "
        "/signin, or send `Authorization: Bearer TOKEN`.",
    },
    403: {
        "model": ErrorBody,
        "description": "A write with the session cookie but without its `X-CSRF-Token` header.",
    },
}
