"""Find the questions in a candidate's e-mail.

A question is a sentence that ends with "?" or that asks in the imperative ("Please tell me…",
"I would like to know…"). Greetings, the sign-off and what follows it (name, signature) and
quoted earlier messages are not read. Asks are turned into plain questions, because the
answerer matches the subject of a question, not the politeness around it.
"""

from __future__ import annotations

import re

MAX_QUESTIONS = 10
MAX_QUESTION_CHARS = 1000

_GREETING = re.compile(
    r"^(dear|hello|hi|hey|good\s+(morning|afternoon|evening)|greetings|to\s+whom\s+it\s+may"
    r"\s+concern)\b[^.?!]{0,60}[,.!:]?$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^((best|kind|kindest|warm|warmest)\s+(regards|wishes)|regards|best|cheers|sincerely|"
    r"respectfully|yours(\s+(sincerely|faithfully|truly))?|many\s+thanks|thanks|thank\s+you)"
    r"(\s+(in\s+advance|very\s+much|so\s+much|a\s+lot))?"
    r"(\s+for\s+your\s+(help|time|answer|reply|assistance|support))?\s*[,.!]*$",
    re.IGNORECASE,
)
_QUOTE_HEADER = re.compile(r"^(on\s.+\swrote:|-{2,}\s*original message\s*-{2,}|from:\s)", re.I)
_SENTENCE_END = re.compile(r"(?<=[.?!])[\"”')\]]*\s+(?=[\"“(]?[A-Z0-9])")
_LEAD = re.compile(
    r"^((hi|hello|hey)\s*,|(also|and|finally|lastly|moreover|besides|firstly|secondly|thirdly)"
    r"\b,?)\s*",
    re.IGNORECASE,
)
_ASK_VERBS = (
    r"(tell|let\s+me\s+know|confirm|explain|clarify|advise|inform\s+me|specify|indicate|"
    r"say|describe|detail)"
)
_ASK = re.compile(
    r"^((could|can|would)\s+you\s+(please\s+)?" + _ASK_VERBS + r"|"
    r"(please|kindly)\s+(could\s+you\s+)?" + _ASK_VERBS + r"|"
    r"let\s+me\s+know|tell\s+me|"
    r"i\s+(would|'d)\s+(like|love|be\s+grateful)\s+to\s+(know|ask|understand)|"
    r"i\s+(want|need|wish)\s+to\s+(know|ask|understand)|"
    r"i\s+(was\s+)?wonder(ing|ed)?|"
    r"i\s+would\s+be\s+grateful\s+if\s+you\s+could\s+" + _ASK_VERBS + r")"
    r"(\s+(me|us))?(\s+about)?\s*",
    re.IGNORECASE,
)
_WHETHER = re.compile(r"^(whether|if)\s+", re.IGNORECASE)


def _body_lines(message: str) -> list[str]:
    """The lines the candidate wrote for this message: no greeting, sign-off or quotes."""
    lines: list[str] = []
    for raw in message.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith(">") or _QUOTE_HEADER.match(line):
            break  # an earlier message quoted below: it was answered already
        if _SIGN_OFF.match(line):
            break
        if not lines and (not line or _GREETING.match(line)):
            continue
        lines.append(line)
    return lines


def signature_name(message: str) -> str | None:
    """The name under the sign-off ("Kind regards,\\nMaria Rossi"), to greet the candidate."""
    lines = [x.strip() for x in message.replace("\r\n", "\n").split("\n")]
    for i, line in enumerate(lines):
        if line.startswith(">") or _QUOTE_HEADER.match(line):
            return None
        if _SIGN_OFF.match(line) and line:
            name = next((x for x in lines[i + 1 :] if x), "")
            words = name.split()
            looks_like_name = 1 <= len(words) <= 4 and all(
                w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words
            )
            return name if looks_like_name else None
    return None


def _paragraphs(lines: list[str]) -> list[str]:
    # E-mail clients wrap long lines: a paragraph is the lines between blank ones, rejoined.
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


def _as_question(sentence: str) -> str | None:
    text = _LEAD.sub("", sentence.strip()).strip()
    if text.endswith("?"):
        return text
    ask = _ASK.match(text)
    if ask is None or ask.end() == len(text):
        return None
    rest = _WHETHER.sub("", text[ask.end() :]).rstrip(" .!")
    if not rest:
        return None
    return rest[0].upper() + rest[1:] + "?"


def _clip(text: str) -> str:
    if len(text) <= MAX_QUESTION_CHARS:
        return text
    return text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0] + "?"


def body_text(message: str) -> str:
    """The message without greeting, sign-off and quoted replies, as one line per paragraph."""
    return "\n".join(_paragraphs(_body_lines(message)))


def find_questions(message: str) -> list[str]:
    """The questions of ``message`` as the candidate wrote them, in order, each once, at most
    ``MAX_QUESTIONS``. ``as_query`` turns one into the question to answer.

    When no sentence is a question, a short body is taken as the question itself: "Deadline
    for the HOME call" is still something to answer.
    """
    questions: list[str] = []
    seen: set[str] = set()
    for paragraph in _paragraphs(_body_lines(message)):
        for sentence in _SENTENCE_END.split(paragraph):
            if _as_question(sentence) is None:
                continue
            text = _clip(_LEAD.sub("", sentence.strip()).strip())
            key = " ".join(text.lower().split())
            if key not in seen:
                seen.add(key)
                questions.append(text)
    if not questions:
        body = " ".join(body_text(message).split())
        if body and len(body) <= MAX_QUESTION_CHARS:
            questions.append(body)
    return questions[:MAX_QUESTIONS]


def as_query(question: str) -> str:
    """A question as the answerer reads it: "Please tell me whether X." becomes "X?"."""
    return _as_question(question) or question
