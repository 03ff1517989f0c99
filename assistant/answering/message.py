"""Reading a message once: what the candidate says about themselves, and the questions asked.

A chat message and a helpdesk e-mail are read the same way. Greetings, thanks, sign-offs and
quoted earlier messages are not questions. A sentence that asks ("…?", "I would like to know
whether …", "Could you tell me …") is a question; two questions joined by "and" are two; what
the candidate states before a question ("I'm Belgian and live in Spain, where …") is kept as
that question's context, not as part of it, so it colours the search without pulling the
answer off topic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from assistant.locales import Catalog, catalog
from retrieval.text import WORD

from .facts import StatedFacts, stated_facts

MAX_QUESTIONS = 10
MAX_QUESTION_CHARS = 1000
ELLIPTIC_WORDS = 3  # a later question this short is read with the one before it


@dataclass(frozen=True)
class Asked:
    """One question of a message, as a plain question, with what was said before it."""

    text: str
    context: str = ""
    said: str = ""  # the words as the candidate wrote them ("Please tell me whether X.")
    continues: bool = False  # opens by carrying on from what came before ("and …", "but …")


@dataclass(frozen=True)
class Message:
    text: str
    facts: StatedFacts = field(default_factory=StatedFacts)
    questions: tuple[Asked, ...] = ()
    statements: tuple[str, ...] = ()  # what was said that asks nothing ("I am a lawyer.")
    lang: str = "en"  # the language it is written in: our own sentences answer in it

    @property
    def texts(self) -> Catalog:
        return catalog("answers", self.lang)

    @property
    def courtesy(self) -> bool:
        """Only thanks, a greeting, a sign-off: nothing asked, nothing said."""
        return not self.questions and not self.statements


# A greeting line names at most a few words ("Dear Sir or Madam,"): "Hi I am Portuguese with
# C1 English" is a sentence after a greeting, not a greeting.
_GREETING_LINE = re.compile(
    r"^(dear|hello|hi|hey|good\s+(morning|afternoon|evening)|greetings|to\s+whom\s+it\s+may"
    r"\s+concern)\b(\s+[\w.'’-]+){0,4}\s*[,.!:]?$",
    re.IGNORECASE,
)
_GREETING_LEAD = re.compile(
    r"^\s*((hi|hello|hey|dear|good\s+(morning|afternoon|evening)|greetings)\b[^,.!?]{0,30}[,.!]"
    r"|(hi|hello|hey)\s+)\s*",
    re.IGNORECASE,
)
SIGN_OFF = re.compile(
    r"^((best|kind|kindest|warm|warmest)\s+(regards|wishes)|regards|best|cheers|sincerely|"
    r"respectfully|yours(\s+(sincerely|faithfully|truly))?|many\s+thanks|thanks|thank\s+you)"
    r"(\s+(in\s+advance|very\s+much|so\s+much|a\s+lot))?"
    r"(\s+for\s+your\s+(help|time|answer|reply|assistance|support))?\s*[,.!]*$",
    re.IGNORECASE,
)
# A sentence that only thanks, greets or wishes well: said to be polite, asking nothing.
_COURTESY = re.compile(
    r"^((many\s+|a\s+lot\s+of\s+)?thanks?|thank\s+you|thx|cheers|great|perfect|ok(ay)?|"
    r"got\s+it|understood|that('s|\s+is)\s+(very\s+)?(helpful|clear|great|perfect)|"
    r"(i\s+)?hope\s+(you\s+are|you're|this\s+finds\s+you)\b|have\s+a\s+(nice|good|great)\b|"
    r"(i\s+)?look(ing)?\s+forward\b|(best|kind|warm)\s+regards|regards|sincerely|"
    r"(hi|hello|hey|dear))\b[^?]*$",
    re.IGNORECASE,
)
_FENCE = re.compile(r"^(`{3,}|~{3,})[\w-]*$")
QUOTE_HEADER = re.compile(r"^(on\s.+\swrote:|-{2,}\s*original message\s*-{2,}|from:\s)", re.I)


def opens_quote(line: str) -> bool:
    """Whether a (stripped) line starts an earlier message quoted in a reply."""
    return line.startswith(">") or bool(QUOTE_HEADER.match(line))


# Sentences end at ?, ! or a full stop before a capital; "e.g. students" does not end one.
_SENTENCE_END = re.compile(r"(?<=[?!])[\"”')\]]*\s+|(?<=\.)[\"”')\]]*\s+(?=[\"“(]?[A-Z0-9])")
_LEAD = re.compile(
    r"^((also|and|finally|lastly|moreover|besides|firstly|secondly|thirdly|plus|oh|so|ok(ay)?)"
    r"\b,?)\s*",
    re.IGNORECASE,
)
_ASK_VERBS = (
    r"(tell|let\s+me\s+know|confirm|explain|clarify|advise|inform\s+me|specify|indicate|"
    r"say|describe|detail)"
)
_ASK_PHRASE = (
    r"((could|can|would)\s+you\s+(please\s+)?" + _ASK_VERBS + r"|"
    r"(please|kindly)\s+(could\s+you\s+)?" + _ASK_VERBS + r"|"
    r"let\s+me\s+know|tell\s+me|"
    r"i\s+(would|'d)\s+(like|love|be\s+grateful)\s+to\s+(know|ask|understand|find\s+out)|"
    r"i\s+(want|need|wish)\s+to\s+(know|ask|understand|find\s+out)|"
    r"i\s+(was\s+)?wonder(ing|ed)?|i'?m\s+wondering|"
    r"i\s+would\s+(be\s+grateful|appreciate\s+it)\s+if\s+you\s+could\s+" + _ASK_VERBS + r")"
    r"(\s+(me|us))?(\s+about)?\s*"
)
_ASK = re.compile("^" + _ASK_PHRASE, re.IGNORECASE)
# "I am preparing my application and I would like to know whether …": the ask, after what the
# candidate states, within one sentence.
_ASK_INSIDE = re.compile(r"(?:[,;]\s*|\s+(?:and|but|so)\s+)(?=" + _ASK_PHRASE + ")", re.I)
_WHETHER = re.compile(r"^(whether|if)\s+", re.IGNORECASE)
_CONTINUES = re.compile(
    r"^\W*((ok(ay)?|so|well),?\s+)?(and|but|also|then|so|what about|how about)\b", re.I
)
# After "whether": a subject, then its verb ("whether I should …"), which a question inverts.
_SUBJECT_VERB = re.compile(
    r"^(i|we|you|it|they|there|this|that)\s+(should|can|could|will|would|must|am|is|are|was"
    r"|were|may|might)\b",
    re.IGNORECASE,
)
# How a question starts: a question word, or a verb before its subject ("can I", "is there").
_QUESTION_START = (
    r"(what|what's|whats|when|where|which|who|whom|whose|why|how|is|are|am|was|were|can|could"
    r"|do|does|did|will|would|should|shall|must|may|might|has|have)\b"
)
_STARTS_QUESTION = re.compile(rf"^{_QUESTION_START}", re.I)
# "… and can it be renewed?": a second question joined to the first.
_JOINED = re.compile(
    rf"(?:,\s*|\s+)(?:and|also|plus|&|or)\s+(?:also\s+)?(?=({_QUESTION_START}|whether)\s+\w)"
    r"|,\s+(?=(when|what|where|which|who|how|why)\s+\w)",
    re.I,
)
# A question whose subject is what came before: "… and can it be renewed?", "what does that
# involve?". A later part of a message that points back is read with the first part.
REFERS_BACK = re.compile(
    r"\b(it|its|they|them|their|that|this|these|those|there|such|mine|so)\b", re.IGNORECASE
)
# "I'm Belgian and live in Spain, where would I work?": a statement, then the question.
_CONTEXT_SPLIT = re.compile(
    rf"(?:,|;|:|\s-|\s–)\s*(?:so\s+|but\s+)?(?={_QUESTION_START}\s+\w)", re.I
)


def _courtesy(sentence: str) -> bool:
    return len(WORD.findall(sentence)) <= 12 and bool(_COURTESY.match(sentence))


def _body_lines(message: str) -> list[str]:
    """The lines the candidate wrote for this message: no greeting, sign-off or quotes."""
    lines: list[str] = []
    for raw in message.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if opens_quote(line):
            break  # an earlier message quoted below: it was answered already
        if _FENCE.match(line):
            line = ""  # a code fence sets text apart: what it holds is a paragraph of its own
        if lines and SIGN_OFF.match(line):
            break
        if not lines and (not line or _GREETING_LINE.match(line) or SIGN_OFF.match(line)):
            continue
        lines.append(line)
    return lines


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


def body_text(message: str) -> str:
    """The message without greeting, sign-off and quoted replies, as one line per paragraph."""
    return "\n".join(_paragraphs(_body_lines(message)))


def _indirect(asked: str) -> str:
    """An indirect question as a direct one: "whether I should attach my diploma" -> "should I
    attach my diploma", so that it reads, and splits, like a question."""
    if (whether := _WHETHER.match(asked)) is None:
        return asked
    rest = asked[whether.end() :]
    inverted = _SUBJECT_VERB.match(rest)
    if inverted is None:
        return rest
    return f"{inverted.group(2)} {inverted.group(1)}{rest[inverted.end() :]}"


def _as_question(sentence: str) -> str | None:
    """The plain question a sentence asks ("Please tell me whether X." -> "X?"), or None."""
    text = _LEAD.sub("", sentence.strip()).strip()
    if text.endswith("?"):
        ask = _ASK.match(text)
        if ask is not None and ask.end() < len(text):
            rest = _indirect(text[ask.end() :]).strip()
            return rest[:1].upper() + rest[1:] if len(WORD.findall(rest)) >= 2 else text
        return text
    ask = _ASK.match(text)
    if ask is None or ask.end() == len(text):
        return None
    rest = _indirect(text[ask.end() :]).rstrip(" .!")
    if not rest:
        return None
    return rest[0].upper() + rest[1:] + "?"


def as_query(question: str) -> str:
    """A question as the answerer reads it: "Please tell me whether X." becomes "X?"."""
    return _as_question(question) or question


def _clip(text: str) -> str:
    if len(text) <= MAX_QUESTION_CHARS:
        return text
    return text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0] + "?"


def _split_context(question: str) -> tuple[str, str]:
    """("I'm Belgian and live in Spain", "where would I work?") from one sentence."""
    if _STARTS_QUESTION.match(question) or _ASK.match(question):
        return "", question
    matches = list(_CONTEXT_SPLIT.finditer(question))
    if not matches:
        return "", question
    cut = matches[-1]
    before, after = question[: cut.start()].strip(), question[cut.end() :].strip()
    if len(WORD.findall(after)) < 3:
        return "", question
    return before, after[:1].upper() + after[1:]


def _split_joined(question: str) -> list[str]:
    """ "How long is it and can it be renewed?" -> two questions; each part asks something."""
    parts, start = [], 0
    for match in _JOINED.finditer(question):
        head = question[start : match.start()].strip()
        if len(WORD.findall(head)) >= 3 and _STARTS_QUESTION.match(head):
            parts.append(head.rstrip(",") + "?")
            start = match.end()
    tail = _indirect(question[start:].strip())
    if parts and len(WORD.findall(tail)) < 3:
        return [question]
    return [*parts, tail[:1].upper() + tail[1:]]


def _sentences(body: str) -> list[str]:
    out = []
    for paragraph in body.split("\n"):
        out += [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]
    return out


def read_message(message: str) -> Message:
    """``message`` read once: the facts it states and the questions it asks, in order."""
    # Compatibility forms ("ſ", full-width letters) read as the letters they stand for.
    body = body_text(unicodedata.normalize("NFKC", message))
    first, *rest = body.split("\n") if body else [""]
    body = "\n".join([_GREETING_LEAD.sub("", first), *rest])
    questions: list[Asked] = []
    context: list[str] = []
    seen: set[str] = set()
    for sentence in _sentences(body):
        if not _ASK.match(sentence) and (inside := _ASK_INSIDE.search(sentence)):
            context.append(sentence[: inside.start()].strip())
            sentence = sentence[inside.end() :]
        question = _as_question(sentence)
        if question is not None and not WORD.search(question):
            continue  # "?", "and?": nothing is asked
        if question is None:
            if not _courtesy(sentence):
                context.append(sentence)
            continue
        stated, question = _split_context(question)
        if stated:
            context.append(stated)
        parts = _split_joined(question)
        written = _LEAD.sub("", sentence).strip()
        for n, part in enumerate(parts):
            key = " ".join(part.lower().split())
            if key in seen or len(questions) >= MAX_QUESTIONS:
                continue
            seen.add(key)
            said = written if len(parts) == 1 and not stated else part
            if n and REFERS_BACK.search(part):
                before = [*context, parts[0]]
            elif not n and questions and len(WORD.findall(part)) <= ELLIPTIC_WORDS:
                # "… to EPSO or to DG HOME? Which address?": a question of a word or two is
                # about the one asked just before it.
                before = [*context, questions[-1].text]
            else:
                before = context
            continues = not n and bool(_CONTINUES.match(sentence))
            questions.append(Asked(_clip(part), " ".join(before), _clip(said), continues))
    if not questions and context:
        # No sentence asks, yet something was said ("Deadline for the HOME call"): a short
        # body is taken as the question itself.
        said = " ".join(context)
        if len(said) <= MAX_QUESTION_CHARS:
            questions.append(Asked(said, said=said))
    return Message(message, stated_facts(body), tuple(questions), tuple(context))
