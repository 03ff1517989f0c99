"""The questions of a candidate's e-mail, read by the same reader as a chat message.

Greetings, thanks, the sign-off and what follows it (name, signature) and quoted earlier
messages are not questions (assistant/answering/message.py). Here: the questions as the
candidate wrote them, and the name under the sign-off to greet them by.
"""

from __future__ import annotations

from assistant.answering.message import (
    MAX_QUESTIONS,
    QUOTE_HEADER,
    SIGN_OFF,
    as_query,
    read_message,
)

__all__ = ["MAX_QUESTIONS", "as_query", "find_questions", "signature_name"]


def find_questions(message: str) -> list[str]:
    """The questions of ``message`` as the candidate wrote them, in order, each once, at most
    ``MAX_QUESTIONS``; ``as_query`` turns one into the question to answer."""
    return [asked.said for asked in read_message(message).questions]


def signature_name(message: str) -> str | None:
    """The name under the sign-off ("Kind regards,\\nMaria Rossi"), to greet the candidate."""
    lines = [x.strip() for x in message.replace("\r\n", "\n").split("\n")]
    for i, line in enumerate(lines):
        if line.startswith(">") or QUOTE_HEADER.match(line):
            return None
        if SIGN_OFF.match(line) and line:
            name = next((x for x in lines[i + 1 :] if x), "")
            words = name.split()
            looks_like_name = 1 <= len(words) <= 4 and all(
                w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words
            )
            return name if looks_like_name else None
    return None
