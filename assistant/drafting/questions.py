"""The questions of a candidate's e-mail, read by the same reader as a chat message.

Greetings, thanks, the sign-off and what follows it (name, signature) and quoted earlier
messages are not questions (assistant/answering/message.py). Here: the questions as the
candidate wrote them, and the name under the sign-off to greet them by.
"""

from __future__ import annotations

from assistant.answering.foreign import SHORT_LINE_WORDS, asks, opens_with
from assistant.answering.message import (
    MAX_QUESTIONS,
    SIGN_OFF,
    as_query,
    opens_quote,
    read_message,
)
from assistant.locales import catalog

__all__ = ["MAX_QUESTIONS", "as_query", "find_questions", "signature_name"]


def find_questions(message: str) -> list[str]:
    """The questions of ``message`` as the candidate wrote them, in order, each once, at most
    ``MAX_QUESTIONS``; ``as_query`` turns one into the question to answer."""
    return [asked.said for asked in read_message(message).questions]


def signature_name(message: str, lang: str = "en") -> str | None:
    """The name under the sign-off ("Kind regards,\\nMaria Rossi"), to greet the candidate.

    In English the sign-off is known by the English reader's words; in another language by
    the language's sign-offs (``sign_offs`` in locales/<code>/answers.toml): the first line that
    looks like a name under the last sign-off after the last question."""
    lines = [x.strip() for x in message.replace("\r\n", "\n").split("\n")]
    if lang == "en":
        for i, line in enumerate(lines):
            if opens_quote(line):
                return None
            if SIGN_OFF.match(line) and line:
                name = next((x for x in lines[i + 1 :] if x), "")
                return name if _looks_like_name(name) else None
        return None
    lines = lines[: next((i for i, x in enumerate(lines) if opens_quote(x)), None)]
    asked = max((i for i, x in enumerate(lines) if asks(x, lang)), default=-1)
    after = [x for x in lines[asked + 1 :] if x]
    sign_offs = catalog("answers", lang).text("sign_offs")
    signed = max(
        (
            i
            for i, x in enumerate(after)
            if len(x.split()) <= SHORT_LINE_WORDS and opens_with(x, sign_offs)
        ),
        default=None,
    )
    if signed is None:
        return None
    return next((x for x in after[signed + 1 :] if _looks_like_name(x)), None)


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 4 and all(
        w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words
    )
