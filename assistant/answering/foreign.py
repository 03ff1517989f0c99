"""Reading a message in a language other than English, by its shape only.

The English reader (message.py) knows English greetings, sign-offs and ways of asking; for the
23 other languages the shape of a message says enough: a question ends with a question mark
(or is the whole message when none does), a short first line ending in a comma greets, short
lines after the last question sign off, and what is stated before a question is its context.
A question of a word or two ("per post oder per mail??") is read with the one before it.
"""

from __future__ import annotations

import re

from assistant.answering.message import MAX_QUESTIONS, Asked, Message, opens_quote
from assistant.locales import catalog

SHORT_LINE_WORDS = 4  # a greeting or sign-off line ("Bien cordialement,", "Camille Durand")
GREETING_WORDS = 5  # "Sehr geehrte Damen und Herren,", "Stimate doamne, stimați domni,"
ELLIPTIC_WORDS = 3
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"(?<=[?!.;])\s+|\n+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _lines(message: str) -> list[str]:
    lines: list[str] = []
    for raw in message.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if opens_quote(line):
            break  # a quoted earlier message was answered already
        if line:
            lines.append(line)
    if len(lines) > 1 and _words(lines[0]) <= GREETING_WORDS and lines[0].endswith((",", "!")):
        lines = lines[1:]  # "Bonjour,", "Sehr geehrte Damen und Herren,"
    last_ask = max((i for i, line in enumerate(lines) if "?" in line), default=None)
    if last_ask is not None:
        # After the last question, short lines are a sign-off and a name.
        tail = lines[last_ask + 1 :]
        if all(_words(line) <= SHORT_LINE_WORDS for line in tail):
            lines = lines[: last_ask + 1]
    else:
        while len(lines) > 1 and _words(lines[-1]) <= SHORT_LINE_WORDS:
            lines = lines[:-1]  # asked without a question mark, then signed
    return lines


def asks(line: str, lang: str) -> bool:
    """Whether ``line`` holds a question mark of ``lang``: Greek ends a question with ";"
    (U+037E, or the semicolon typed for it)."""
    return "?" in line or (lang == "el" and (";" in line or "\u037e" in line))


def read_foreign(message: str, lang: str) -> Message:
    """The questions of ``message`` (written in ``lang``), each with the statements before it."""
    if lang == "el":
        message = message.replace("\u037e", "?").replace(";", "?")  # see asks()
    sentences = [
        s.strip() for s in _SENTENCE_END.split(" \n".join(_lines(message))) if s and s.strip()
    ]
    questions: list[Asked] = []
    statements: list[str] = []
    for sentence in sentences:
        if "?" not in sentence:
            statements.append(sentence)
            continue
        context = " ".join(statements)
        if questions and _words(sentence) <= ELLIPTIC_WORDS:
            # "… eigentlich? per post oder per mail??": one question, asked in two goes.
            last = questions[-1]
            joined = f"{last.text} {sentence}"
            said = _as_written(joined, lang)
            questions[-1] = Asked(joined, last.context, said=said, continues=True)
            continue
        # As written (the helpdesk draft quotes it), Greek with its own question mark.
        questions.append(Asked(sentence, context, said=_as_written(sentence, lang)))
    if not questions and statements and all(_thanks(s, lang) for s in statements):
        # "Vielen Dank für Ihre schnelle Antwort.": only thanks, nothing asked, nothing said.
        return Message(message, lang=lang)
    if not questions and statements:
        # Asked without a question mark ("hasta cuando se puede mandar la solicitud"): the whole
        # message is the question.
        whole = " ".join(statements)
        questions, statements = [Asked(whole, said=_as_written(whole, lang))], []
    return Message(
        message,
        questions=tuple(questions[:MAX_QUESTIONS]),
        statements=tuple(statements),
        lang=lang,
    )


def _as_written(text: str, lang: str) -> str:
    # Read with "?" for ";" in Greek (above); shown to the helpdesk as the candidate wrote it.
    return text.replace("?", ";") if lang == "el" else text


def opens_with(text: str, openings: str) -> bool:
    """Whether ``text`` opens with one of ``openings`` (lower case, "|" between), as words."""
    plain = text.strip().lstrip("¡¿-–—*•\"'«„“ ").lower()
    return any(
        plain.startswith(o) and not plain[len(o) : len(o) + 1].isalnum()
        for o in openings.split("|")
        if o
    )


def _thanks(sentence: str, lang: str) -> bool:
    """A sentence that only thanks ("Vielen Dank für Ihre Antwort.") or wishes well in a few
    words ("Bonne journée !")."""
    said = catalog("answers", lang)
    return opens_with(sentence, said.text("thanks")) or (
        _words(sentence) <= SHORT_LINE_WORDS and opens_with(sentence, said.text("sign_offs"))
    )
