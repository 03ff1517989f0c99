"""Understanding a question: what it asks (intent, kind of answer), about what, in which context.

Everything here is deterministic pattern work on the words of the question and its history.
Instructions embedded in a question are removed before anything reads it: the answerer takes
its facts from the sources only, so such text can change nothing but the search.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import Stemmer

from assistant.answering.models import Turn

AnswerType = Literal[
    "amount", "percentage", "number", "date", "duration", "person", "country", "unit"
]

_STEMMER = Stemmer.Stemmer("english")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|\d+")

_INJECTION = re.compile(
    # The instruction ends with what it tells to ignore; a request after "and" is a question.
    r"(ignore|disregard|forget)\b[^.?!]*?\b(instructions?|prompt|sources?|rules|the call|above)\b"
    r"(\s+and\b|[^.?!]*[.?!]?)"
    r"|\byou are now\b[^.?!]*[.?!]?"
    r"|\bfrom now on\b[^.?!]*[.?!]?"
    r"|\bsystem (notice|prompt|message)\b:?[^.?!]*[.?!]?"
    r"|\b(talk|speak|answer|act) like\b[^.?!]*?(and\b|[.?!]|$)",
    re.IGNORECASE,
)
_DEADLINE = re.compile(
    r"\b(deadline|closing date|last day|by when|too late|cut-?off|days? (do i have )?left"
    r"|time left|still (apply|send|submit|email|open|accepting|possible|time|in time)|until when"
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
            # "How much experience" asks for years, not money.
            r"\bhow much\b(?=[^?.]*\b(pay|paid|earn|salary|cost|costs|money|allowances?|wage|get"
            r"|make|is it|net|gross|income)\b)|\b(euros?|eur|€)\b|\bexact (monthly )?(salary|pay)\b"
            r"|\bsalary (amount|figure)\b"
            r"|\b(net|gross|monthly|annual|yearly) (pay|salary|income)\b",
            re.I,
        ),
    ),
    (
        "percentage",
        re.compile(r"\b(what|which|how much|how many) (percentage|per ?cent)\b|%", re.I),
    ),
    (
        "country",
        re.compile(r"\b(which|what) (countries|country|member states?|nations?)\b", re.I),
    ),
    (
        "unit",
        re.compile(
            r"\b(which|what) (team|unit|department|part of dg home)\b|\bwho (looks after|handles"
            r"|deals with|takes care of|manages|is responsible for|works on)\b",
            re.I,
        ),
    ),
    ("duration", re.compile(r"\bhow long\b", re.I)),
    ("number", re.compile(r"\bhow many\b", re.I)),
    (
        "date",
        re.compile(
            r"\b(what|which) (date|day|month|year)\b|\bwhen (did|does|do|will|is|was|were|are)\b",
            re.I,
        ),
    ),
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
    wat wich ned whatever whatsoever realistically gone go went back once off onto forward
    claim claims swap swapping considered consider land lands landed decide decides decided
    treat treated he she him her his hers himself herself who'd ca wo sha ai are were have has
    around across over under again already always never often sometimes yet though although
    however because while whether via per etc much little less least few several various
    true false fine great nice sorry hey dear regards cheers guys folks basically simply
    definitely honestly quick quickly question questions answer wondering wonder curious
    idea ideas info goes thru u ur r pls plz cite cites cited confirm confirms refer
    refers out up down away against mostly according nutshell short""".split()
)
# Topic words that show a question is about this call, the job or the employer.
_DOMAIN = frozenset(
    _STEMMER.stemWords(
        """job call post position role vacancy apply application candidate recruit recruitment hire
        hiring contract agent salary pay allowance interview selection epso cast
        commission unit eligible eligibility deadline cv document language english
        experience education degree diploma policy officer staff grade probation medical
        migration asylum visa return security work working employment employer dg
        directorate leave pension hours travel relocation form clearance school task tasks duty
        duties law laws legislation fund funding pact team department""".split()
    )
)


def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower().replace("’", "'")))


_CLITIC = re.compile(r"n't$|'(s|m|d|ve|re|ll|t)$")


def content_words(text: str) -> list[str]:
    """Lower-cased words of a text that carry its topic, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in WORD.findall(text):
        lowered = word.lower().replace("’", "'")
        # "I'm", "who'd", "aren't": the clitic carries no topic, and "aren" is not a word.
        lowered = _CLITIC.sub("", lowered)
        if lowered not in _STOP and not lowered.isdigit() and len(lowered) > 1:
            seen.setdefault(lowered, None)
    return list(seen)


THESAURUS = Path(__file__).with_name("thesaurus.toml")


@dataclass(frozen=True)
class Synonym:
    pattern: re.Pattern[str]
    means: str


def _synonyms(entries: list[dict[str, object]], key: str) -> tuple[Synonym, ...]:
    synonyms = []
    for entry in entries:
        # Longest first, so "pay scale" wins over "pay" inside one alternation.
        asks = entry["asks"]
        assert isinstance(asks, list)
        phrases = sorted(map(str, asks), key=len, reverse=True)
        alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
        pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I)
        synonyms.append(Synonym(pattern, str(entry[key])))
    return tuple(synonyms)


@cache
def _thesaurus_file() -> dict[str, list[dict[str, object]]]:
    return tomllib.loads(THESAURUS.read_text(encoding="utf-8"))


@cache
def thesaurus() -> tuple[Synonym, ...]:
    return _synonyms(_thesaurus_file()["entry"], "means")


@cache
def related_topics() -> tuple[Synonym, ...]:
    return _synonyms(_thesaurus_file()["related"], "near")


def near_groups(text: str, mentioned: Callable[[str], bool]) -> list[frozenset[str]]:
    """For topics the call does not cover, the words of what it says nearby (as stem groups).

    A listed topic that the sources do mention after all ("children" in migration, not as
    dependants) is no uncovered topic: the sentences that mention it may answer.
    """
    groups = []
    for synonym in related_topics():
        if any(not mentioned(m.group(0)) for m in synonym.pattern.finditer(text)):
            groups.append(frozenset(map(stem, WORD.findall(synonym.means))))
    return groups


def term_groups(text: str) -> list[frozenset[str]]:
    """The question's topics as groups of stems: a word, or a phrase with the call's words for it.

    A topic counts as covered by a sentence holding any stem of its group: "take-home" is
    covered by "salary". Words inside a matched phrase are not topics of their own.
    """
    groups: list[frozenset[str]] = []
    inside: set[str] = set()
    for synonym in thesaurus():
        for match in synonym.pattern.finditer(text):
            words = content_words(match.group(0))
            inside.update(words)
            groups.append(frozenset(map(stem, [*words, *WORD.findall(synonym.means)])))
    # A compound stays whole: "part-time" is not covered by "part" and "time".
    groups += [frozenset({stem(w)}) for w in content_words(text) if w not in inside]
    return list(dict.fromkeys(groups))


def word_stems(word: str) -> frozenset[str]:
    """A word's stem, and for a compound its parts' too: "conflict-of-interest" holds "conflict"."""
    parts = [p for p in word.split("-") if len(p) > 1 and p.lower() not in _STOP]
    return frozenset(map(stem, [word, *parts]))


@cache
def thesaurus_words() -> frozenset[str]:
    """Every word of the thesaurus: the spelling of candidates' words the corpus lacks."""
    return frozenset(re.findall(r"[a-z]{3,}", THESAURUS.read_text(encoding="utf-8").lower()))


def expansions(text: str) -> list[str]:
    """The call's words for the phrases of ``text`` that the thesaurus knows."""
    return list(dict.fromkeys(s.means for s in thesaurus() if s.pattern.search(text)))


@dataclass
class Question:
    message: str  # as asked
    cleaned: str  # instructions removed
    search: str  # what retrieval looks for: with context from the history when it is a follow-up
    intent: Literal["fact", "deadline", "eligibility"]
    answer_type: AnswerType | None
    groups: list[frozenset[str]] = field(default_factory=list)  # topics, with synonyms (stems)
    near: list[frozenset[str]] = field(default_factory=list)  # related topics the call covers
    domain: bool = False  # mentions the job, the call or the employer
    injected: bool = False  # carried instructions, which were removed
    task: bool = False  # asks for a piece of work (a translation, a letter), not about the call


def understand(
    message: str, history: Sequence[Turn] = (), mentioned: Callable[[str], bool] | None = None
) -> Question:
    """What ``message`` asks; ``mentioned`` says whether the sources use a phrase."""
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
    intent = _intent(cleaned)
    answer_type = _answer_type(cleaned)
    groups = term_groups(cleaned)
    if search != cleaned and previous is not None:
        if all(g <= _CONTINUES for g in groups):
            # "And what time exactly?" after a deadline question is still about the deadline;
            # a follow-up with a topic of its own ("what is the salary?") is a new question.
            intent = intent if intent != "fact" else _intent(previous)
            answer_type = answer_type or _answer_type(previous)
        elif _PRONOUN.search(cleaned):
            # "Is he still in charge?" after "Who leads DG HOME?" still asks for a person.
            answer_type = answer_type or _answer_type(previous)
    if not groups and search != cleaned and previous is not None:
        groups = term_groups(previous)  # "what if I haven't taken it yet?": the topic is before
    search = " ".join([search, *expansions(cleaned)])
    near = near_groups(cleaned, mentioned or (lambda phrase: False))
    domain = (
        intent != "fact"
        or bool(near)  # a recruitment topic, though not one this call covers
        or answer_type == "unit"  # "who deals with …": the units of DG HOME
        or bool(set(map(stem, WORD.findall(search))) & _DOMAIN)
        or bool(_UNIT_CODE.search(search))
    )
    injected = cleaned != re.sub(r"\s+", " ", message).strip()
    return Question(
        message,
        cleaned,
        search,
        intent,
        answer_type,
        groups=groups,
        near=near,
        domain=domain,
        injected=injected,
        task=bool(_TASK.search(cleaned)),
    )


# Requests for work the product does not do, whatever they mention: it answers questions about
# the call, it does not write or translate for the candidate.
_TASK = re.compile(
    r"\b(translate|translation of|write (me )?(a|an|my) (poem|story|song|essay|joke|cover letter"
    r"|motivation letter|letter|cv)|tell (me )?a joke|(write|fix|debug) (some |my )?code)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(he|she|him|her|they|them)\b", re.IGNORECASE)
# Words that add no topic to a follow-up: it continues the question before.
_CONTINUES = frozenset(
    _STEMMER.stemWords("time times hour hours day days date dates exact precise clock".split())
)


def _intent(text: str) -> Literal["fact", "deadline", "eligibility"]:
    if _DEADLINE.search(text):
        return "deadline"
    if _ELIGIBILITY.search(text) and (_PERSONAL.search(text) or "eligib" in text.lower()):
        return "eligibility"
    return "fact"


def _answer_type(text: str) -> AnswerType | None:
    return next((kind for kind, pattern in _ANSWER_TYPES if pattern.search(text)), None)


def _is_follow_up(message: str) -> bool:
    return len(WORD.findall(message)) <= 6 or bool(_FOLLOW_UP.search(message))


UNIT_REFERENCE = re.compile(
    # A bare "C1" is a language level: a code counts only after "HOME" or "unit".
    r"\bHOME\s?\.?\s?(0\d|[A-E]\s?\.?\s?\d)\b|\bunits?\s+([A-E]\s?\.?\s?\d|0\d)\b",
    re.I,
)


def unit_codes(text: str) -> list[str]:
    """Unit codes a text names, in the call's form: "C3", "HOME C.3", "unit c3" -> "HOME.C.3"."""
    codes = []
    for match in UNIT_REFERENCE.finditer(text):
        raw = re.sub(r"[\s.]", "", (match.group(1) or match.group(2)).upper())
        code = f"HOME.{raw}" if raw[0] == "0" else f"HOME.{raw[0]}.{raw[1:]}"
        if code not in codes:
            codes.append(code)
    return codes
