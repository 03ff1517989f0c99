"""Understanding one question: what it asks (intent, kind of answer, criterion), about what.

Deterministic pattern work on the question, the context the candidate gave before it and the
history the client sent. Instructions embedded in a question are removed before anything reads
it: facts come from the sources only, so such text can change nothing but the search.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.answering.eligibility import criteria_of
from assistant.answering.message import REFERS_BACK, Asked
from assistant.answering.models import Turn, last_turn
from assistant.answering.thesaurus import expansions, near_groups, term_groups
from retrieval.text import UNIT_REFERENCE, WORD, stem, stems

AnswerType = Literal[
    "amount", "percentage", "number", "date", "duration", "person", "country", "unit"
]
QueryIntent = Literal["fact", "deadline", "eligibility"]

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
    r"\b(deadline|dead line|closing date|last day|by when|too late|cut-?off|days? (do i have )?left"
    r"|time left|still (apply|send|submit|email|open|accepting|possible|time|in time)|until when"
    r"|(is|are) (it|the call|applications?) (still )?(open|closed)"
    r"|when (do|must|should|can) i (apply|send|submit)|when is the deadline|apply by)\b",
    re.IGNORECASE,
)
# Asking whether one's own situation is enough: "am I eligible", "does my degree count".
_ELIGIBILITY = re.compile(
    r"\b(am i eligible|eligible|eligibility|do i qualify|would i qualify|qualify|qualifies"
    r"|is (that|this|it|mine) (enough|sufficient|ok|okay|acceptable)|enough|sufficient|suffice"
    r"|does (that|this|it|mine|my [\w' ]{1,30}) count|will (that|this|it|my [\w' ]{1,30}) count"
    r"|counts?\b|allowed to apply|can i (still )?(apply|go for|put myself)|could i apply"
    r"|may i apply|acceptable|accepted|be considered|(is|would|will) (that|this|it) (be )?(fine|ok"
    r"|okay|valid|a problem)|does (that|this|it|mine) (cover|work|do)"
    r"|meet (the |all |your )?([\w-]+ )?(requirements?|criteri\w*|conditions?))\b",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"\b(i|i'?m|i've|my|me|mine)\b", re.IGNORECASE)
_FOLLOW_UP = re.compile(
    r"^\s*(and|but|so|ok(ay)?|also|what about|how about|then)\b|\b(that|this|same|those|these)"
    r"\s+(unit|one|team|job|post|role|thing|part)\b|\b(it|they|them|there|its)\b",
    re.IGNORECASE,
)
# "Tell me more", "more details?", "could you elaborate": more of the previous answer.
_DETAIL = re.compile(
    r"^\W*((can|could|would) you\s+)?(please\s+)?(tell me |say |give me |share )?"
    r"(more|elaborate|expand|go on|details?|more details?|more info(rmation)?|anything else)"
    r"( (about|on) (that|this|it|them))?( please)?\W*$"
    r"|\b(tell|say) (me )?more\b|\belaborate\b|\bmore detail",
    re.IGNORECASE,
)
# DG HOME as a whole, not one of its units: "what does the DG do", "how many people work there".
_WHOLE_DG = re.compile(
    r"\b(the dg|directorate[- ]general|the directorate|dg)\b",
    re.IGNORECASE,
)
# Words of a question about this call or the job it offers, not about the DG as a whole.
_ABOUT_THE_JOB = re.compile(
    r"\b(call|job|post|position|vacanc\w*|recruit\w*|hir(e|ed|ing)|apply\w*|applica\w*"
    r"|candidates?|contract|salary|pay|interview\w*|selection|units?|this role)\b",
    re.I,
)
# What the employer wants of a candidate, or what the candidate would do or be asked: questions
# about the role even when they name nothing of the call ("will I be expected to share …").
_ABOUT_THE_ROLE = re.compile(
    r"\b(they|the employer|the commission|the team)\s+(want|expect|look for|are looking for"
    r"|need|require|prefer|value|ask)\b|\b(will|would) i (be|have|need|get)\b"
    r"|\bexpected to\b|\bresponsible for\b",
    re.I,
)
_TASK = re.compile(
    r"\b(translate|translation of|write (me )?(a|an|my) (poem|story|song|essay|joke|cover letter"
    r"|motivation letter|letter|cv)|tell (me )?a joke|(write|fix|debug) (some |my )?code)\b",
    re.IGNORECASE,
)
_DEMONSTRATIVE = re.compile(
    r"\b(that|this|same|those|these)\s+(unit|one|team|job|post|role|part)\b", re.I
)
_PRONOUN = re.compile(r"\b(he|she|him|her|they|them)\b", re.IGNORECASE)
# Words that add no topic to a follow-up: it continues the question before.
_CONTINUES = frozenset(
    stems("time times hour hours day days date dates exact precise clock".split())
)

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
    ("country", re.compile(r"\b(which|what) (countries|country|member states?|nations?)\b", re.I)),
    (
        "unit",
        re.compile(
            # One unit, not the list of them: "which unit", "which of the units", "any unit".
            r"\b(which|what)( one)? (team|unit|department|part of the dg)\b"
            r"|\b(which|any)( one)? of (the|these|your)( recruiting)? (teams|units|departments)\b"
            r"|\bany( recruiting)? (team|unit|department)s?\b"
            r"|\bis there an? (recruiting )?(team|unit|department)\b|\bwho (looks after|handles"
            r"|deals with|takes care of|manages|is responsible for|works on)\b",
            re.I,
        ),
    ),
    ("duration", re.compile(r"\bhow (long|soon)\b", re.I)),
    ("number", re.compile(r"\bhow many\b", re.I)),
    (
        "date",
        re.compile(
            r"\b(what|which) (date|day|month|year)\b"
            r"|\bwhen (did|does|do|will|would|could|can|should|shall|is|was|were|are)\b",
            re.I,
        ),
    ),
    ("person", re.compile(r"\bwho (is|'s|leads|heads|runs)\b|\bwho’s\b|\bwho's\b", re.I)),
]

DOMAIN = frozenset(
    stems(
        """job call post position role vacancy apply application candidate recruit recruitment hire
        hiring contract agent salary pay allowance interview selection epso cast
        commission unit eligible eligibility deadline cv document language english
        experience education degree diploma policy officer staff grade probation medical
        migration asylum visa return security work working employment employer dg
        directorate leave pension hours travel relocation form clearance school task tasks duty
        duties law laws legislation fund funding pact team department""".split()
    )
)


@dataclass(frozen=True)
class Query:
    asked: str  # as asked
    cleaned: str  # instructions removed
    search: str  # what retrieval looks for: with context and the call's words for the topic
    intent: QueryIntent
    answer_type: AnswerType | None
    groups: tuple[frozenset[str], ...]  # topics, with synonyms (stems), with the context's
    # The question's own topics, not its context's: whether the sources cover what is asked
    # is judged on these ("I work in Lampedusa. Which unit …": Lampedusa is not asked about).
    own_groups: tuple[frozenset[str], ...] = ()
    near: tuple[frozenset[str], ...] = ()  # related topics the call covers, for uncovered ones
    domain: bool = False  # mentions the job, the call or the employer
    injected: bool = False  # carried instructions, which were removed
    task: bool = False  # asks for a piece of work (a translation, a letter), not about the call
    criteria: tuple[str, ...] = ()  # the pre-check criteria it is about, most specific first
    detail: bool = False  # asks for more of the previous answer
    whole_dg: bool = False  # about DG HOME as a whole, not one unit


_COUNTS = frozenset(stems("two three four five six seven eight nine ten both".split()))
# A question about the asker ("for me", "suit my profile"): what they said of themselves counts.
_SELF = re.compile(r"\b(me|my|mine|myself|someone like me|my profile)\b", re.I)
_PRECISE = ("date", "duration", "number", "amount", "percentage", "person")


def _intent(text: str) -> QueryIntent:
    if _DEADLINE.search(text):
        return "deadline"
    if _ELIGIBILITY.search(text) and (_PERSONAL.search(text) or "eligib" in text.lower()):
        return "eligibility"
    return "fact"


def _answer_type(text: str) -> AnswerType | None:
    return next((kind for kind, pattern in _ANSWER_TYPES if pattern.search(text)), None)


def _is_follow_up(message: str) -> bool:
    return len(WORD.findall(message)) <= 6 or bool(_FOLLOW_UP.search(message))


def understand(
    asked: Asked,
    history: Sequence[Turn] = (),
    mentioned: Callable[[str], bool] | None = None,
    widen: Callable[[frozenset[str], str], frozenset[str]] | None = None,
) -> Query:
    """What ``asked`` asks; ``mentioned`` says whether the sources use a phrase, ``widen`` adds
    the sources' words for a topic they lack."""
    message = asked.text
    cleaned = re.sub(r"\s+", " ", _INJECTION.sub(" ", message)).strip() or message.strip()
    context = re.sub(r"\s+", " ", _INJECTION.sub(" ", asked.context)).strip()
    search = cleaned
    previous = last_turn(history, "user") or None
    # What was said before a question usually makes it a new one; not when the question points
    # at what the last answer was about ("apart from legal migration, what else does that unit
    # cover?") or what was said carries on from it ("and the second one, what …?").
    follow_up = (
        previous is not None
        and (not context or asked.continues or bool(_DEMONSTRATIVE.search(cleaned)))
        and _is_follow_up(cleaned)
    )
    if follow_up and previous is not None:
        # The API keeps no session: the context of "that unit" is in the history the client sent.
        last_answer = last_turn(history, "assistant")
        codes = [m.group(0) for m in UNIT_REFERENCE.finditer(last_answer)]
        search = " ".join([_INJECTION.sub(" ", previous), *codes, cleaned])
    intent = _intent(cleaned)
    answer_type = _answer_type(cleaned)
    groups = term_groups(cleaned)
    if follow_up and previous is not None:
        if all(g <= _CONTINUES for g in groups):
            # "And what time exactly?" after a deadline question is still about the deadline;
            # a follow-up with a topic of its own ("what is the salary?") is a new question.
            intent = intent if intent != "fact" else _intent(previous)
            answer_type = answer_type or _answer_type(previous)
        elif _PRONOUN.search(cleaned) and _answer_type(previous) != "unit":
            # "Is he still in charge?" after "Who leads DG HOME?" still asks for a person; after
            # "which unit …?", "does it also …?" asks about that unit, not for another one.
            answer_type = answer_type or _answer_type(previous)
        if not groups:
            groups = term_groups(previous)  # "what if I haven't taken it yet?": the topic is before
    own = list(groups)
    points_back = bool(REFERS_BACK.search(cleaned) or _SELF.search(cleaned))
    # A count is no topic: "what are the two purposes?" asks about what was said before it.
    topical = [g for g in own if not g <= _COUNTS]
    if (
        context
        and (len(topical) < 2 or points_back)
        and (_answer_type(cleaned) not in _PRECISE or REFERS_BACK.search(cleaned))
    ):
        # "I work on return policy. Which unit would suit me?": the topic is in what was said.
        # A question asking for a precise kind of answer of its own ("when would the job
        # start?") is not pulled towards what was said around it, unless it points back to it.
        search = f"{context} {search}"
        # Its topics count too where the question's own are few or only point at the asker
        # ("which unit would suit me?"), not where it has one of its own ("prove what I say").
        if len(topical) < 2 or (_SELF.search(cleaned) and not REFERS_BACK.search(cleaned)):
            groups += [g for g in term_groups(context) if g not in groups]
    if intent == "fact" and context and _ELIGIBILITY.search(cleaned) and _PERSONAL.search(context):
        intent = "eligibility"  # "I have a B2 in French. Is that enough?"
    criteria = criteria_of(cleaned) or (criteria_of(context) if intent == "eligibility" else ())
    if widen is not None:
        groups = [widen(g, cleaned) for g in groups]
        own = [widen(g, cleaned) for g in own]
    search = " ".join([search, *expansions(cleaned)])
    near = near_groups(cleaned, mentioned or (lambda phrase: False))
    domain = (
        intent != "fact"
        or bool(near)  # a recruitment topic, though not one this call covers
        or answer_type == "unit"  # "who deals with …": the units of DG HOME
        or bool({stem(w) for w in WORD.findall(search)} & DOMAIN)
        or bool(UNIT_REFERENCE.search(search))
        or bool(_ABOUT_THE_ROLE.search(cleaned))  # "do they want someone who …"
    )
    return Query(
        asked=message,
        cleaned=cleaned,
        search=search,
        intent=intent,
        answer_type=answer_type,
        groups=tuple(groups),
        own_groups=tuple(own),
        near=tuple(near),
        domain=domain,
        injected=cleaned != re.sub(r"\s+", " ", message).strip(),
        task=bool(_TASK.search(cleaned)),
        criteria=criteria,
        detail=previous is not None and bool(_DETAIL.search(cleaned)),
        whole_dg=bool(_WHOLE_DG.search(cleaned))
        and answer_type != "unit"
        and not UNIT_REFERENCE.search(cleaned)
        and not _ABOUT_THE_JOB.search(cleaned),
    )
