"""What a candidate says about themselves in a message: the facts the pre-check's rules read.

"I'm Portuguese with a B2 in French and four years in a ministry" states a nationality, a
language at a level and a length of experience. They are read with patterns over the
pre-check's own tables (countries, languages, CEFR levels), never guessed: a fact is kept only
when the message states it plainly. Nothing here is logged or stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from assistant.answering.demonyms import DEMONYMS
from assistant.precheck.countries import COUNTRY_NAMES, country_code
from assistant.precheck.languages import CEFR_LEVELS, LANGUAGE_NAMES, language_code
from retrieval.text import WORD, stem

CastStatus = Literal["passed", "registered", "none"]

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1,
}  # fmt: skip
# Not the end of a longer number ("twenty-one"), nor a time before now ("3 years ago").
_AMOUNT = (
    r"(?<![\w-])(\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|an?)(?!\w)"
)
_LEVEL = r"\b([ABC][12])\b"
_NATIVE = r"\b(native|mother[- ]tongue|first language)\b"
# Language names (the pre-check's ISO 639-1 table), longest first; a name counts only next to a
# level or "native", so an everyday word that is also a language name is never read as one.
_LANGUAGE_WORDS = sorted(
    {n.lower() for c, n in LANGUAGE_NAMES.items() if len(c) == 2} - {"ido", "interlingua"},
    key=len,
    reverse=True,
)
_LANGUAGE = r"\b(" + "|".join(map(re.escape, _LANGUAGE_WORDS)) + r")\b"
_DEMONYM = r"\b(" + "|".join(map(re.escape, sorted(DEMONYMS, key=len, reverse=True))) + r")\b"


# Stems of the words that name where a person is from or what they speak: facts about the
# candidate, not topics the call must cover ("my mother tongue, Portuguese").
BACKGROUND_STEMS = frozenset(
    stem(w)
    for name in [*DEMONYMS, *_LANGUAGE_WORDS, *(n.lower() for n in COUNTRY_NAMES.values())]
    for w in WORD.findall(name)
)


@dataclass(frozen=True)
class LanguageFact:
    code: str  # ISO 639-1
    level: str  # A1..C2 or "native"


@dataclass(frozen=True)
class StatedFacts:
    nationalities: tuple[str, ...] = ()  # ISO 3166-1 codes
    languages: tuple[LanguageFact, ...] = ()
    study_years: float | None = None
    no_degree: bool = False
    experience_months: int | None = None
    experience_relevant: bool = False  # the experience is said to be in a unit's domain
    cast: CastStatus | None = None
    cast_group: str | None = None  # the function group of that CAST, when said

    def __bool__(self) -> bool:
        return bool(
            self.nationalities
            or self.languages
            or self.study_years is not None
            or self.no_degree
            or self.experience_months is not None
            or self.cast
        )


def _number(raw: str) -> float:
    key = raw.lower()
    if key in _NUMBERS:
        return float(_NUMBERS[key])
    return float(key.replace(",", "."))


_NATIONALITY_CUES = (
    # "I'm Belgian", "I am a Polish citizen", "French nationality", "Irish passport"
    re.compile(
        rf"\b(i'?m|i am|as an?|being|we are)\s+(an?\s+)?{_DEMONYM}(?!\s+(speaker|at|level))", re.I
    ),
    re.compile(
        rf"{_DEMONYM}\s+(dual\s+)?(national|citizen|citizenship|nationality|passport)s?\b", re.I
    ),
    re.compile(rf"\bmy\s+(nationality|citizenship|passport)\s+(is|:)\s+{_DEMONYM}", re.I),
)
_COUNTRY_CUE = re.compile(
    r"\b(citizen of|national of|nationality of|passport from|i'?m from|i am from|i come from"
    r"|citizenship of)\s+(the\s+)?([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)",
    re.I,
)


_PAIR = re.compile(
    rf"{_DEMONYM}\s*(?:and|&|-)\s*{_DEMONYM}\s+(dual\s+)?(citizen|national|passport)", re.I
)


def _nationalities(text: str) -> tuple[str, ...]:
    found: list[tuple[int, str]] = []  # (where, code): in the order the text names them
    for cue in _NATIONALITY_CUES:
        for match in cue.finditer(text):
            word = next((g for g in reversed(match.groups()) if g and g.lower() in DEMONYMS), None)
            if word is not None:
                found.append((match.start(), DEMONYMS[word.lower()]))
    for match in _COUNTRY_CUE.finditer(text):
        try:
            found.append((match.start(3), country_code(match.group(3))))
        except ValueError:
            continue
    # "Irish and Brazilian citizenship": the first demonym takes the second's cue.
    for match in _PAIR.finditer(text):
        for group in (1, 2):
            code = DEMONYMS.get(match.group(group).lower())
            if code is not None:
                found.append((match.start(group), code))
    return tuple(dict.fromkeys(code for _, code in sorted(found)))


def _languages(text: str) -> tuple[LanguageFact, ...]:
    facts: dict[str, str] = {}
    # "B2 in French", "C1 English", "English at C1 (level)", "my German is B1", "native Greek"
    patterns = (
        re.compile(rf"{_LEVEL}\s+(level\s+)?(in\s+|of\s+)?{_LANGUAGE}", re.I),
        re.compile(
            rf"{_LANGUAGE}\s+(is\s+|at\s+|on\s+|level\s+|to\s+)*(an?\s+)?(level\s+)?{_LEVEL}", re.I
        ),
        re.compile(rf"{_NATIVE}\s+(speaker\s+of\s+|in\s+)?{_LANGUAGE}", re.I),
        re.compile(rf"{_LANGUAGE}\s+(is\s+my\s+)?{_NATIVE}", re.I),
        re.compile(rf"{_LANGUAGE}\s+(native speaker)", re.I),
    )
    for pattern in patterns:
        for match in pattern.finditer(text):
            groups = [g for g in match.groups() if g]
            name = next((g for g in groups if g.lower() in _LANGUAGE_WORDS), None)
            if name is None:
                continue
            level = next((g.upper() for g in groups if g.upper() in CEFR_LEVELS), "native")
            try:
                code = language_code(name)
            except ValueError:
                continue
            facts.setdefault(code, level)
    return tuple(LanguageFact(code, level) for code, level in facts.items())


_STUDIES = (
    r"(bachelor'?s?|master'?s?|degree|diploma|studies|university|licen[cs]e|ba|bsc|ma|msc|llb"
    r"|llm|phd|doctorate)\b"
)
_STUDY_YEARS = (
    re.compile(rf"{_AMOUNT}[- ]years?[- ](long\s+)?(of\s+)?(university\s+)?{_STUDIES}", re.I),
    re.compile(
        rf"\b{_STUDIES}\b[^.?!]{{0,40}}?\b(lasted|took|of|for|is|was)\s+(only\s+)?{_AMOUNT}\s+years?",
        re.I,
    ),
    re.compile(rf"\bstudied\b[^.?!]{{0,40}}?\bfor\s+{_AMOUNT}\s+years?", re.I),
)
_NO_DEGREE = re.compile(
    r"\b(i\s+(do not|don't|dont)\s+have\s+(a|any)\s+(university\s+)?(degree|diploma)"
    r"|without\s+a\s+(university\s+)?(degree|diploma)|i\s+have\s+no\s+(university\s+)?degree)\b",
    re.I,
)


def _study_years(text: str) -> float | None:
    for pattern in _STUDY_YEARS:
        match = pattern.search(text)
        if match:
            amount = next((g for g in match.groups() if g and re.fullmatch(_AMOUNT, g, re.I)), None)
            if amount is not None:
                return _number(amount)
    return None


_EXPERIENCE = (
    re.compile(
        rf"{_AMOUNT}\s+(\+\s+)?(years?|months?)(?!\s+ago)('s|’s)?\s+(and\s+{_AMOUNT}\s+months?\s+)?"
        r"(of\s+)?(\w+\s+){0,3}?(professional\s+|work(ing)?\s+|relevant\s+)*(experience|work)",
        re.I,
    ),
    re.compile(
        rf"\b(worked|working|employed|been\s+(a|an)\s+\w+)\b[^.?!]{{0,60}}?\bfor\s+"
        rf"(the\s+(last|past)\s+)?{_AMOUNT}\s+(years?|months?)",
        re.I,
    ),
)


def _experience_months(text: str) -> int | None:
    for pattern in _EXPERIENCE:
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groups()
        amounts = [g for g in groups if g and re.fullmatch(_AMOUNT, g, re.I)]
        unit = next((g for g in groups if g and re.fullmatch(r"years?|months?", g, re.I)), None)
        if unit is None or not amounts:
            continue
        value = _number(amounts[0])
        months = value * 12 if unit.lower().startswith("year") else value
        if len(amounts) > 1 and unit.lower().startswith("year"):
            months += _number(amounts[1])  # "two years and six months"
        return int(months)
    return None


_RELEVANT = re.compile(
    r"\b(migration|asylum|visa|border|return|readmission|security|police|law enforcement"
    r"|smuggling|integration|funds?|home affairs)\b",
    re.I,
)
_NOT = r"(not|never|haven'?t|have not|didn'?t|did not|don'?t|do not|no|yet to)"
_CAST_UNPASSED = re.compile(
    rf"\b{_NOT}\s+(yet\s+)?(passed|taken|done|sat|got|have)\b[^.?!]{{0,25}}\b(cast|epso|tests?)\b"
    r"|\b(cast|epso)\b[^.?!]{0,20}\bnot yet\b",
    re.I,
)
_CAST_PASSED = re.compile(
    r"\bi\s*('ve|have)?\s+(already\s+)?(passed|succeeded in|cleared)\b[^.?!]{0,25}\bcast\b", re.I
)
_CAST_REGISTERED = re.compile(
    r"\b(registered|signed up|enrolled|have an account)\b[^.?!]{0,40}\b(cast|epso)\b", re.I
)
_CAST_UNREGISTERED = re.compile(
    rf"\b{_NOT}\s+(yet\s+)?(registered|signed up|enrolled)\b|\bneither\b[^.?!]*\bcast\b", re.I
)
_GROUP = re.compile(r"\b(?:function group|FG)\s*(IV|III|II|I|[1-4])\b", re.I)
_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _cast(text: str) -> CastStatus | None:
    unpassed = bool(_CAST_UNPASSED.search(text))
    registered = bool(_CAST_REGISTERED.search(text)) and not _CAST_UNREGISTERED.search(text)
    if _CAST_PASSED.search(text) and not unpassed:
        return "passed"
    if registered:
        return "registered"
    if unpassed or _CAST_UNREGISTERED.search(text):
        return "none"
    return None


def _cast_group(text: str) -> str | None:
    """The function group of a CAST the candidate mentions ("FG III" -> "Function Group III")."""
    match = _GROUP.search(text)
    if match is None:
        return None
    return "Function Group " + _ROMAN.get(match.group(1), match.group(1).upper())


# A clause the writer says of themselves ("I have…", "my English is…"), not of someone else
# ("my husband is Moroccan") nor a requirement asked about ("do I need 3 years of experience?").
_CLAUSE = re.compile(r"(?<=[.!?;])\s+|,?\s+but\s+|\n")
_FIRST_PERSON = re.compile(r"\b(i|i'm|im|i've|ive|my|me|mine)\b", re.I)
_SOMEONE_ELSE = re.compile(
    r"\bmy\s+(husband|wife|partner|spouse|son|daughter|child|friend|colleague|brother|sister"
    r"|mother|father|parents?|boyfriend|girlfriend)\b|\b(someone|somebody|a person|people)\b",
    re.I,
)
_REQUIREMENT = re.compile(
    r"\b(need|needed|require[sd]?|requirement|must|minimum|at least|necessary|have to|has to)\b",
    re.I,
)


_NEGATED = re.compile(r"\b(not|never|no)\b|n't\b", re.I)


def _about_myself(text: str) -> str:
    """The clauses of ``text`` in which the writer states something about themselves."""
    kept = [
        clause
        for clause in _CLAUSE.split(text)
        if _FIRST_PERSON.search(clause)
        and not _SOMEONE_ELSE.search(clause)
        and not _REQUIREMENT.search(clause)
    ]
    return "\n".join(kept)


def stated_facts(text: str) -> StatedFacts:
    """The facts ``text`` states about the person writing it. Languages are also read where a
    level is asked about ("is a B2 in French enough?"); the rest only where the writer says it of
    themselves."""
    text = unicodedata.normalize("NFKC", text)
    mine = _about_myself(text)
    asked = "\n".join(c for c in _CLAUSE.split(text) if not _REQUIREMENT.search(c))
    # "I do not have 5 years of experience" states no length of experience.
    months = _experience_months("\n".join(c for c in mine.split("\n") if not _NEGATED.search(c)))
    return StatedFacts(
        nationalities=_nationalities(mine),
        languages=_languages(asked),
        study_years=_study_years(mine),
        no_degree=bool(_NO_DEGREE.search(mine)),
        experience_months=months,
        experience_relevant=months is not None and bool(_RELEVANT.search(mine)),
        cast=_cast(mine),
        cast_group=_cast_group(mine),
    )
