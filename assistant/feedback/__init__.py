"""Candidates' ratings of answers: the models (``models``), the database (``store``), the
export as evaluation cases (``export``)."""

from assistant.feedback.models import (
    MAX_COMMENT_CHARS,
    Feedback,
    FeedbackNotFound,
    FeedbackPage,
    FeedbackReceipt,
    FeedbackRecord,
)

__all__ = [
    "MAX_COMMENT_CHARS",
    "Feedback",
    "FeedbackNotFound",
    "FeedbackPage",
    "FeedbackReceipt",
    "FeedbackRecord",
]
