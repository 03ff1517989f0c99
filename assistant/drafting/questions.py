"""The questions of a candidate's e-mail, read by the same reader as a chat message.

Greetings, thanks, the sign-off and what follows it (name, signature) and quoted earlier
messages are not questions (assistant/answering/message.py). Here: the questions as the
candidate wrote them, and the name under the sign-off to greet them by.
"""

from __future__ import annotations

from assistant.answering.foreign import SHORT_LINE_WORDS
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


def signature_name(message: str, lang: str = "en") -> str | None:
    """The name under the sign-off ("Kind regards,\\nMaria Rossi"), to greet the candidate.

    In English the sign-off is known by its words; in another language by its shape, as the
    foreign reader knows it: the last lines after the last question, a short one (the
    sign-off, "Cordialement,") and then the name."""
    lines = [x.strip() for x in message.replace("\r\n", "\n").split("\n")]
    for i, line in enumerate(lines):
        if line.startswith(">") or QUOTE_HEADER.match(line):
            return None
        if SIGN_OFF.match(line) and line:
            name = next((x for x in lines[i + 1 :] if x), "")
            return name if _looks_like_name(name) else None
    if lang == "en":
        return None
    marks = "?;" if lang == "el" else "?"  # Greek asks with ";"
    asked = max((i for i, x in enumerate(lines) if any(m in x for m in marks)), default=-1)
    after = [x for x in lines[asked + 1 :] if x]
    if len(after) >= 2 and len(after[-2].split()) <= SHORT_LINE_WORDS:
        return after[-1] if _looks_like_name(after[-1]) else None
    return None


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 4 and all(
        w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words
    )
