"""Reading a message in a language other than English, by its shape only.

The English reader (message.py) knows English greetings, sign-offs and ways of asking; for the
23 other languages the shape of a message says enough: a question ends with a question mark
(or is the whole message when none does), a short first line ending in a comma greets, short
lines after the last question sign off, and what is stated before a question is its context.
A question of a word or two ("per post oder per mail??") is read with the one before it.
"""

from __future__ import annotations

import re

from assistant.answering.message import MAX_QUESTIONS, QUOTE_HEADER, Asked, Message

SHORT_LINE_WORDS = 4  # a greeting or sign-off line ("Bien cordialement,", "Camille Durand")
ELLIPTIC_WORDS = 3
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"(?<=[?!.;])\s+|\n+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _lines(message: str) -> list[str]:
    lines: list[str] = []
    for raw in message.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith(">") or QUOTE_HEADER.match(line):
            break  # a quoted earlier message was answered already
        if line:
            lines.append(line)
    if len(lines) > 1 and _words(lines[0]) <= SHORT_LINE_WORDS and lines[0].endswith((",", "!")):
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


def read_foreign(message: str, lang: str) -> Message:
    """The questions of ``message`` (written in ``lang``), each with the statements before it."""
    if lang == "el":
        # Greek ends a question with ";" (U+037E, or the semicolon typed for it).
        message = message.replace("\u037e", "?").replace(";", "?")
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
            questions[-1] = Asked(joined, last.context, said=joined, continues=True)
            continue
        # As written: the text read is the candidate's own (the helpdesk draft quotes it).
        questions.append(Asked(sentence, context, said=sentence))
    if not questions and statements:
        # Asked without a question mark ("hasta cuando se puede mandar la solicitud"): the whole
        # message is the question.
        whole = " ".join(statements)
        questions, statements = [Asked(whole, said=whole)], []
    return Message(
        message,
        questions=tuple(questions[:MAX_QUESTIONS]),
        statements=tuple(statements),
        lang=lang,
    )
