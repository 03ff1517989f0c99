"""Understanding a question: what it asks (intent, kind of answer), about what, in which context.

Everything here is deterministic pattern work on the words of the question and its history.
Instructions embedded in a question are removed before anything reads it: the answerer takes
its facts from the sources only, so such text can change nothing but the search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import Stemmer

from assistant.answering.models import Turn

AnswerType = Literal["amount", "number", "date", "duration", "person"]

_STEMMER = Stemmer.Stemmer("english")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|\d+")

_INJECTION = re.compile(
    r"(ignore|disregard|forget)\b[^.?!]*?\b(instructions?|prompt|sources?|rules|the call|above)\b"
    r"[^.?!]*[.?!]?"
    r"|\byou are now\b[^.?!]*[.?!]?"
    r"|\bfrom now on\b[^.?!]*[.?!]?"
    r"|\bsystem (notice|prompt|message)\b:?[^.?!]*[.?!]?"
    r"|\b(talk|speak|answer|act) like\b[^.?!]*?(and\b|[.?!]|$)",
    re.IGNORECASE,
)
_DEADLINE = re.compile(
    r"\b(deadline|closing date|last day|by when|too late|cut-?off|days? (do i have )?left"
    r"|time left|still (apply|send|submit|email|open|accepting|possible|time)"
    r"|(is|are) (it|the call|applications?) (still )?(open|closed)"
    r"|when (do|must|should|can) i (apply|send|submit)|when is the deadline|apply by)\b",
    re.IGNORECASE,
)
_ELIGIBILITY = re.compile(
    r"\b(am i eligible|eligible|eligibility|do i qualify|would i qualify|qualify|"
    r"is (that|this|it|mine) enough|allowed to apply|can i (still )?(apply|go for|put myself)"
    r"|could i apply|may i apply)\b",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"\b(i|i'?m|i've|my|me)\b", re.IGNORECASE)
_FOLLOW_UP = re.compile(
    r"^\s*(and|but|so|ok(ay)?|also|what about|how about|then)\b|\b(that|this|same|those|these)"
    r"\s+(unit|one|team|job|post|role|thing|part)\b|\b(it|they|them|there|its)\b",
    re.IGNORECASE,
)
_UNIT_CODE = re.compile(r"\bHOME\.?\s?(?:[A-E]\.?\s?)?\d{1,2}\b|\b[A-E]\.?\d\b", re.IGNORECASE)

_ANSWER_TYPES: list[tuple[AnswerType, re.Pattern[str]]] = [
    (
        "amount",
        re.compile(
            r"\bhow much\b|\b(euros?|eur|€)\b|\bexact (monthly )?(salary|pay)\b"
            r"|\bsalary (amount|figure)\b",
            re.I,
        ),
    ),
    ("duration", re.compile(r"\bhow long\b", re.I)),
    ("number", re.compile(r"\bhow many\b", re.I)),
    ("date", re.compile(r"\b(what|which) (date|day|month|year)\b", re.I)),
    ("person", re.compile(r"\bwho (is|'s|leads|heads|runs)\b|\bwho’s\b|\bwho's\b", re.I)),
]

# Words that carry no topic: function words and the words every question about a job uses.
_STOP = frozenset(
    """a an the and or but if then so of for to in on at by with from about into as than too very
    is are was were be been being am do does did doing have has had having can could would
    will shall should may might must i me my mine myself you your yours we us our they them
    their it its this that these those there here what which who whom whose where when why
    how any some all each every more most much many such only own same other another also
    just still even really please tell know want need get got go going make made let ok okay
    yes no not hi hello thanks thank exactly roughly usually actually currently right now
    today possible able one someone anyone something anything thing things way like lot lots
    bit kind sort well say said call job post position role apply applying application
    applications candidate candidates work working dg home commission european eu long
    longer longest short start starts started begin end ends finish finishing before after
    during until since ago soon later early late first last next new old big small large
    good best better bad enough exact exactly certain mention mentioned mentions meant mean
    means say says written write explain explained describe described take taken took give
    given put keep find found run runs conduct conducts done happen happens happened come
    comes look looks see seen somewhere else anywhere everywhere sure maybe probably hw whn
    wat wich""".split()
)
# Topic words that show a question is about this call, the job or the employer.
_DOMAIN = frozenset(
    _STEMMER.stemWords(
        """job call post position role vacancy apply application candidate recruit recruitment hire
        hiring contract agent salary pay allowance interview selection epso cast
        commission unit eligible eligibility deadline cv document language english
        experience education degree diploma policy officer staff grade probation medical
        migration asylum visa return security work working employment employer dg
        directorate leave pension hours travel relocation form clearance school""".split()
    )
)


def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower().replace("’", "'")))


def content_words(text: str) -> list[str]:
    """Lower-cased words of a text that carry its topic, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in WORD.findall(text):
        lowered = word.lower().replace("’", "'")
        lowered = re.sub(r"'s$", "", lowered)
        if lowered not in _STOP and not lowered.isdigit() and len(lowered) > 1:
            seen.setdefault(lowered, None)
    return list(seen)


@dataclass
class Question:
    message: str  # as asked
    cleaned: str  # instructions removed
    search: str  # what retrieval looks for: with context from the history when it is a follow-up
    intent: Literal["fact", "deadline", "eligibility"]
    answer_type: AnswerType | None
    terms: list[str] = field(default_factory=list)  # topic words of the question
    domain: bool = False  # mentions the job, the call or the employer
    injected: bool = False  # carried instructions, which were removed


def understand(message: str, history: Sequence[Turn] = ()) -> Question:
    cleaned = _INJECTION.sub(" ", message)
    cleaned = re.sub(r"\s+", " ", cleaned).strip() or message.strip()
    search = cleaned
    previous = next((t.content for t in reversed(history) if t.role == "user"), None)
    if previous is not None and _is_follow_up(cleaned):
        # The API keeps no session: the context of "that unit" is in the history the client sent.
        context = [_INJECTION.sub(" ", previous)]
        last_answer = next((t.content for t in reversed(history) if t.role == "assistant"), "")
        context += [c for c in _UNIT_CODE.findall(last_answer) if c not in previous]
        search = " ".join([*context, cleaned])
    intent: Literal["fact", "deadline", "eligibility"] = "fact"
    if _DEADLINE.search(cleaned):
        intent = "deadline"
    elif _ELIGIBILITY.search(cleaned) and (
        _PERSONAL.search(cleaned) or "eligib" in cleaned.lower()
    ):
        intent = "eligibility"
    answer_type = next((kind for kind, pattern in _ANSWER_TYPES if pattern.search(cleaned)), None)
    terms = content_words(cleaned)
    domain = bool(set(map(stem, WORD.findall(search))) & _DOMAIN) or bool(_UNIT_CODE.search(search))
    injected = cleaned != re.sub(r"\s+", " ", message).strip()
    return Question(message, cleaned, search, intent, answer_type, terms, domain, injected)


def _is_follow_up(message: str) -> bool:
    return len(WORD.findall(message)) <= 6 or bool(_FOLLOW_UP.search(message))


_UNIT_REFERENCE = re.compile(
    # A bare "C1" is a language level: a code counts only after "HOME" or "unit".
    r"\bHOME\s?\.?\s?(0\d|[A-E]\s?\.?\s?\d)\b|\bunits?\s+([A-E]\s?\.?\s?\d|0\d)\b",
    re.I,
)


def unit_codes(text: str) -> list[str]:
    """Unit codes a text names, in the call's form: "C3", "HOME C.3", "unit c3" -> "HOME.C.3"."""
    codes = []
    for match in _UNIT_REFERENCE.finditer(text):
        raw = re.sub(r"[\s.]", "", (match.group(1) or match.group(2)).upper())
        code = f"HOME.{raw}" if raw[0] == "0" else f"HOME.{raw[0]}.{raw[1:]}"
        if code not in codes:
            codes.append(code)
    return codes
