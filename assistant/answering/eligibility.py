"""A criterion of the call applied to what the candidate said about it, never a verdict.

"I have a B2 in English, is that enough?" is answered with the rule the pre-check applies to
English (its level, from the rules file), applied to the level stated, with the clause cited.
Whether the candidate is eligible depends on every criterion together: that is the pre-check's
job, and the answer points to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.facts import LanguageFact, StatedFacts
from assistant.precheck.countries import country_name, is_eu_member_state
from assistant.precheck.languages import is_official_eu_language, language_name, level_rank
from assistant.precheck.rules import (
    EducationRule,
    EnglishRule,
    EpsoCastRule,
    ExperienceRule,
    LanguageRule,
    RuleSet,
)

# A question about a criterion the facts do not touch gets its clause; these are the criteria
# each kind of stated fact bears on, most telling first.
_FACT_CRITERIA = {
    "nationalities": ("nationality",),
    "languages": ("english", "main_language", "second_language"),
    "study_years": ("education",),
    "no_degree": ("education",),
    "experience_months": ("experience_total",),
    "cast": ("epso_cast",),
}


# Which criterion of the pre-check a question is about, by the words it uses for it. Ids are
# the pre-check engine's own (corpus/rules/*.toml name them).
_CRITERIA: list[tuple[str, re.Pattern[str]]] = [
    ("english", re.compile(r"\benglish\b", re.I)),
    (
        "second_language",
        re.compile(r"\b(second|other|another|additional|2nd) (eu |official )?language\b", re.I),
    ),
    (
        "main_language",
        re.compile(r"\b(language|languages|mother tongue|native|[abc][12]|fluent|speak)\b", re.I),
    ),
    (
        "nationality",
        re.compile(r"\b(national|nationality|citizen|citizenship|passport|member state)\b", re.I),
    ),
    (
        "education",
        re.compile(
            r"\b(degree|diploma|studies|studied|bachelor'?s?|master'?s?|university|licen[cs]e"
            r"|education|graduated?|phd|doctorate)\b",
            re.I,
        ),
    ),
    (
        "experience_total",
        # Not "job" or "work" alone: "is that enough for this job?" asks about what was said.
        re.compile(r"\b(experience|worked|years? of work|work history)\b", re.I),
    ),
    ("epso_cast", re.compile(r"\b(cast|epso)\b", re.I)),
    ("military_service", re.compile(r"\b(military|army|conscription|national service)\b", re.I)),
    ("physical_fitness", re.compile(r"\b(medical|physically|fit|health)\b", re.I)),
    ("character_references", re.compile(r"\b(references?|referees?)\b", re.I)),
]

_LANGUAGE_CRITERIA = ("english", "main_language", "second_language")
# "the language requirements", "my languages": every language criterion, not one of them.
_ALL_LANGUAGES = re.compile(
    r"\blanguages\b|\blanguage (requirements?|criteri\w*|conditions?)", re.I
)


def criteria_of(text: str) -> tuple[str, ...]:
    found = [cid for cid, pattern in _CRITERIA if pattern.search(text)]
    if _ALL_LANGUAGES.search(text):
        found = [c for c in found if c not in _LANGUAGE_CRITERIA]
        found[:0] = _LANGUAGE_CRITERIA
    elif "english" in found or "second_language" in found:
        found = [c for c in found if c != "main_language"]
    return tuple(found)


@dataclass(frozen=True)
class Applied:
    """One criterion: its clause (by the rules' citation key) and, when the candidate said
    something about it, what the rule makes of it."""

    criterion: str
    clause_key: str
    said: str | None  # the rule applied to what was stated, in our words
    also: tuple[str, ...] = ()  # further quotes of the rules to cite (how to register …)


def stated_criteria(facts: StatedFacts) -> list[str]:
    """The criteria the stated facts bear on, in the rules' order of importance."""
    found: list[str] = []
    for name, criteria in _FACT_CRITERIA.items():
        if getattr(facts, name):
            found += criteria[:1] if name != "languages" else _language_criteria(facts.languages)
    return list(dict.fromkeys(found))


def _language_criteria(languages: tuple[LanguageFact, ...]) -> list[str]:
    if any(f.code == "en" for f in languages):
        return ["english"] + (["second_language"] if len(languages) > 1 else [])
    return ["main_language"]


def apply(criteria: list[str], facts: StatedFacts, rules: RuleSet) -> list[Applied]:
    applied = []
    for cid in criteria:
        try:
            rule = rules.get(cid)
        except KeyError:
            continue
        applied.append(_apply(rule, facts))
    return applied


def _apply(rule: object, facts: StatedFacts) -> Applied:
    match rule:
        case EnglishRule():
            return Applied(rule.id, rule.id, _english(rule, facts))
        case LanguageRule():
            return Applied(rule.id, rule.id, _language(rule, facts))
        case EducationRule():
            return Applied(rule.id, rule.id, _education(rule, facts))
        case ExperienceRule():
            return Applied(rule.id, rule.id, _experience(rule, facts), ("experience_relevant",))
        case EpsoCastRule():
            also = ("epso_cast.how_to_register",) if facts.cast == "none" else ()
            return Applied(rule.id, rule.id, _cast(rule, facts), also)
    rid = str(getattr(rule, "id", ""))
    if rid == "nationality":
        return Applied(rid, rid, _nationality(facts))
    return Applied(rid, rid, None)


def _nationality(facts: StatedFacts) -> str | None:
    if not facts.nationalities:
        return None
    eu = [c for c in facts.nationalities if is_eu_member_state(c)]
    if eu:
        names = " and ".join(country_name(c) for c in eu)
        return f"{names} is an EU Member State, so your nationality meets this condition."
    names = " and ".join(country_name(c) for c in facts.nationalities)
    return (
        f"{names} is not one of the 27 EU Member States, so on what you say this condition "
        "is not met."
    )


def _level(fact: LanguageFact) -> str:
    return "native level" if fact.level == "native" else fact.level


def _english(rule: EnglishRule, facts: StatedFacts) -> str | None:
    fact = next((f for f in facts.languages if f.code == rule.language), None)
    if fact is None:
        return None
    name = language_name(rule.language)
    if level_rank(fact.level) >= level_rank(rule.min_level):
        return f"{name} at {_level(fact)} meets the {rule.min_level} level the job requires."
    return (
        f"{name} at {_level(fact)} is below the {rule.min_level} level the job requires: "
        f"you would need {rule.min_level} or better."
    )


def _language(rule: LanguageRule, facts: StatedFacts) -> str | None:
    official = [f for f in facts.languages if is_official_eu_language(f.code)]
    if rule.id == "second_language":
        # The second language must differ from the main one: any but the strongest counts.
        official = sorted(official, key=lambda f: -level_rank(f.level))[1:] or official
    if not official:
        other = next(iter(facts.languages), None)
        if other is None:
            return None
        return (
            f"{language_name(other.code)} is not an official EU language, so it does not count "
            "for this condition."
        )
    fact = max(official, key=lambda f: level_rank(f.level))
    which = "a second EU language" if rule.id == "second_language" else "an official EU language"
    name = language_name(fact.code)
    if level_rank(fact.level) >= level_rank(rule.min_level):
        return f"{name} at {_level(fact)} meets the minimum level {rule.min_level} for {which}."
    return f"{name} at {_level(fact)} is below the minimum level {rule.min_level} for {which}."


def _years(value: float) -> str:
    return f"{value:g} year" + ("" if value == 1 else "s")


def _education(rule: EducationRule, facts: StatedFacts) -> str | None:
    if facts.no_degree:
        return "Without a diploma, this condition is not met: the studies must be attested by one."
    if facts.study_years is None:
        return None
    stated = _years(facts.study_years)
    if facts.study_years >= rule.min_years:
        return (
            f"{stated} of completed university studies meets the minimum of {rule.min_years} "
            "years, provided a diploma attests them."
        )
    return (
        f"{stated} of university studies is less than the {rule.min_years} years required, so "
        "on what you say this condition is not met."
    )


def _experience(rule: ExperienceRule, facts: StatedFacts) -> str | None:
    months = facts.experience_months
    if months is None:
        return None
    stated = _years(months / 12) if months % 12 == 0 else f"{months} months"
    need = rule.min_months
    required = f"{_years(need / 12)} ({need} months)" if need % 12 == 0 else f"{need} months"
    if months >= need:
        return (
            f"{stated} of professional experience is at least the {required} required; of it, "
            "one year must be relevant to a domain of the recruiting units."
        )
    return f"{stated} of professional experience is less than the {required} required."


def _cast(rule: EpsoCastRule, facts: StatedFacts) -> str | None:
    group = rule.function_group
    if facts.cast == "passed" and facts.cast_group not in (None, group):
        return (
            f"A CAST passed for {facts.cast_group} is not in the relevant function group: the "
            f"call asks for {group}. At the application stage, being registered in the EPSO "
            "CAST database is sufficient."
        )
    if facts.cast == "passed":
        return f"Having passed an EPSO CAST for {group} meets this condition."
    if facts.cast == "registered":
        if rule.registration_suffices:
            return (
                "At the application stage, being registered in the EPSO CAST database is "
                f"sufficient; the CAST tests for {group} may come later."
            )
        return f"A registration is not enough: a passed CAST for {group} is needed."
    if facts.cast == "none":
        return (
            "You need at least to be registered in the EPSO CAST database when you express "
            "your interest; how to register:"
        )
    return None
