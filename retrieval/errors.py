"""Domain errors. Each carries what both edges need: the HTTP status the API answers with, the
exit code of the `assistant` command, and, for failures that pass by themselves, when to try
again. The API (assistant/api/errors.py) and the CLI read them from here, never by type."""

from __future__ import annotations

from typing import ClassVar

INTERNAL_ERROR = "internal error"  # all a client is told of a failure that is ours


class AssistantError(Exception):
    """Base class: the message is written for the user and says what to do."""

    status: ClassVar[int] = 500  # our fault unless a subclass says otherwise
    exit_code: ClassVar[int] = 1
    retry_after: ClassVar[float | None] = None  # seconds, for a failure that passes by itself
    # Said instead of the message where that would name internal details (a 500's).
    public: ClassVar[str | None] = None

    @property
    def public_message(self) -> str:
        if self.public is not None:
            return self.public
        return str(self) if self.status != 500 else INTERNAL_ERROR


class CorpusError(AssistantError):
    """The corpus directory, a document or the manifest is missing, unreadable or inconsistent."""

    status = 503
    exit_code = 3


class InvalidQuery(AssistantError):
    """A query that cannot be searched (empty, too long)."""

    status = 422
    exit_code = 2


class IndexNotBuilt(AssistantError):
    """The index does not exist, is incomplete or does not match the corpus or the model."""

    status = 503
    exit_code = 4


class StoreUnavailable(AssistantError):
    """The vector store cannot be reached (a Chroma server down, a corrupted local store)."""

    status = 503
    exit_code = 5
    retry_after = 5  # a Chroma server restarting


class ModelUnavailable(AssistantError):
    """The embedding model cannot be found or loaded."""

    status = 503
    exit_code = 6
