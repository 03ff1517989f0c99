"""Draft replies to candidates' e-mails for the helpdesk: find the questions, answer each with
citations (as the chat does), add the pre-check of a declared profile, compose a reply to edit.

    questions = find_questions(email)
    draft = draft_reply(email, services.answerer, services.corpus, now=now,
                        profile=profile, rules=services.rules)
"""

from assistant.drafting.compose import (
    MAX_EMAIL_CHARS,
    Draft,
    DraftAnswer,
    DraftRequest,
    draft_reply,
)
from assistant.drafting.questions import MAX_QUESTIONS, as_query, find_questions, signature_name

__all__ = [
    "MAX_EMAIL_CHARS",
    "MAX_QUESTIONS",
    "Draft",
    "DraftAnswer",
    "DraftRequest",
    "as_query",
    "draft_reply",
    "find_questions",
    "signature_name",
]
