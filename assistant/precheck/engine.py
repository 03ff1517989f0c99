"""Evaluate a declared profile against a call's rules: criterion by criterion, deterministically.

Pure functions: the same profile, rules and clock always give the same result, and nothing here
logs or stores the profile. Thresholds come from the rules (see rules.py); this module only applies
them and explains the outcome in words a candidate can check against the quoted clause.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from assistant.precheck.countries import country_name, is_eu_member_state
from assistant.precheck.languages import is_official_eu_language, language_name, level_rank
from assistant.precheck.models import (
    CallInfo,
    CriterionResult,
    LanguageSkill,
    Note,
    Period,
    PrecheckResult,
    Profile,
    Status,
    Verdict,
)
from assistant.precheck.periods import calendar_months, clip
from assistant.precheck.render import plain_words
from assistant.precheck.rules import (
    Criterion,
    DeadlineRule,
    DeclarationRule,
    EducationRule,
    EnglishRule,
    EpsoCastRule,
    ExperienceRule,
    LanguageRule,
    NationalityRule,
    RuleSet,
)

DISCLAIMER = (
    "This is an indicative pre-check of the information you declared, not a decision. It does "
    "not check any evidence and gives you no right to be selected or recruited. The European "
    "Commission's selection decides, on the basis of your application and its supporting documents."
)


@dataclass(frozen=True)
class _Outcome:
    status: Status
    reason: str
    notes: list[Note] = field(default_factory=list)


def evaluate(profile: Profile, rules: RuleSet, *, now: datetime) -> PrecheckResult:
    """Pre-check `profile` against `rules`; `now` (aware) decides whether the call is still open."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("evaluate() needs an aware `now` (with a UTC offset)")
    results = []
    for criterion in rules.criteria:
        # The deadline is only checked when the candidate says when they applied.
        if isinstance(criterion, DeadlineRule) and profile.submitted_at is None:
            continue
        outcome = _evaluate(criterion, profile, rules)
        results.append(
            CriterionResult(
                id=criterion.id,
                label=criterion.label,
                kind=criterion.kind,
                status=outcome.status,
                reason=outcome.reason,
                citation=rules.citation(criterion.id),
                notes=outcome.notes,
            )
        )
    return PrecheckResult(
        verdict=verdict([r.status for r in results]),
        criteria=results,
        # "by 12:00": the closing minute itself still counts as open, as for a submission.
        call=CallInfo(
            reference=rules.reference, deadline=rules.deadline, open=now <= rules.deadline
        ),
        rules_version=rules.version,
        disclaimer=DISCLAIMER,
    )


def verdict(statuses: list[Status]) -> Verdict:
    if "not_met" in statuses:
        return "not_eligible"
    if "unknown" in statuses:
        return "incomplete"
    return "eligible"


def _evaluate(criterion: Criterion, profile: Profile, rules: RuleSet) -> _Outcome:
    match criterion:
        case NationalityRule():
            return _nationality(profile)
        case DeclarationRule():
            return _declaration(criterion, profile, rules)
        case EpsoCastRule():
            return _epso_cast(criterion, profile, rules)
        case LanguageRule():
            return _language(criterion, profile)
        case EnglishRule():
            return _english(criterion, profile)
        case EducationRule():
            return _education(criterion, profile)
        case ExperienceRule():
            return _experience(criterion, profile, rules)
        case DeadlineRule():
            return _deadline(criterion, profile, rules)


def _not_declared(field_name: str) -> _Outcome:
    return _Outcome("unknown", f"Not declared: give `{field_name}` to check this criterion.")


def _quoted(quote: str) -> str:
    return "“" + plain_words(quote) + "”"


def _note(rules: RuleSet, key: str, lead: str) -> list[Note]:
    if key not in rules.citations:
        return []
    citation = rules.citation(key)
    return [Note(text=f"{lead} {_quoted(citation.quote)}", citation=citation)]


# --- Nationality and declarations --------------------------------------------------------------


def _nationality(profile: Profile) -> _Outcome:
    declared = profile.nationalities
    if declared is None:
        return _not_declared("nationalities")
    if not declared:
        return _Outcome("not_met", "You declared no nationality.")
    eu = sorted({c for c in declared if is_eu_member_state(c)})
    if eu:
        names = ", ".join(country_name(c) for c in eu)
        return _Outcome("met", f"You declare the nationality of {names}, an EU Member State.")
    others = ", ".join(country_name(c) for c in sorted(set(declared)))
    return _Outcome(
        "not_met", f"None of your nationalities ({others}) is one of the 27 EU Member States."
    )


# Profile field and wording for each condition the candidate can only declare.
_DECLARATIONS: dict[str, tuple[str, str, str]] = {
    "citizen_rights": (
        "full_citizen_rights",
        "you enjoy full rights as a citizen",
        "you do not enjoy full rights as a citizen",
    ),
    "military_service": (
        "military_service_fulfilled",
        "you have fulfilled any military service obligations that apply to you, or none apply",
        "you have not fulfilled military service obligations that apply to you",
    ),
    "physical_fitness": (
        "physically_fit",
        "you are physically fit to perform the duties",
        "you are not physically fit to perform the duties",
    ),
    "character_references": (
        "character_references",
        "you can produce the appropriate character references",
        "you cannot produce the appropriate character references",
    ),
}


def _declaration(rule: DeclarationRule, profile: Profile, rules: RuleSet) -> _Outcome:
    field_name, yes, no = _DECLARATIONS[rule.id]
    value = getattr(profile, field_name)
    notes = _note(rules, f"{rule.id}.check", "Checked later by the Commission:")
    if value is None:
        return _Outcome("unknown", _not_declared(field_name).reason, notes)
    if value:
        return _Outcome("met", f"You declare that {yes}.", notes)
    return _Outcome("not_met", f"You declare that {no}.", notes)


# --- EPSO CAST -----------------------------------------------------------------------------------


def _epso_cast(rule: EpsoCastRule, profile: Profile, rules: RuleSet) -> _Outcome:
    status = profile.epso_cast
    group = rule.function_group
    if status is None:
        return _Outcome(
            "unknown", "Not declared: give `epso_cast` (passed, registered or none) to check this."
        )
    if status == "passed":
        return _Outcome("met", f"You declare that you have passed an EPSO CAST for {group}.")
    if status == "registered":
        notes = _note(rules, "epso_cast.later_tests", "The CAST tests come later:")
        if rule.registration_suffices:
            return _Outcome(
                "met",
                "You declare that you are registered in the EPSO CAST database; the call says "
                "registration is sufficient at the application stage. You have not passed the "
                f"CAST tests for {group} yet; they come later, if you are invited.",
                notes,
            )
        return _Outcome(
            "not_met", f"A registration is not enough: a passed CAST for {group} is needed.", notes
        )
    register = rules.citation("epso_cast.how_to_register")
    notes = _note(rules, "epso_cast.which_profile", "Which profile:")
    notes += _note(rules, "epso_cast.registration_link", "Where:")
    return _Outcome(
        "not_met",
        f"You declare neither a passed EPSO CAST for {group} nor a registration in the EPSO CAST "
        f"database. How to register, in the call's words: {_quoted(register.quote)}",
        notes,
    )


# --- Languages -----------------------------------------------------------------------------------


def _best_levels(skills: list[LanguageSkill]) -> dict[str, str]:
    """Each language's highest declared level (between C2 and native, "native" is kept)."""
    best: dict[str, str] = {}
    for skill in skills:
        current = best.get(skill.language)
        if current is None or _strength(skill.level) > _strength(current):
            best[skill.language] = skill.level
    return best


def _strength(level: str) -> tuple[int, bool]:
    return level_rank(level), level == "native"


def _official(best: dict[str, str], min_level: str | None = None) -> list[str]:
    """Official EU languages (at `min_level` or better, if given), strongest first, then by code."""
    found = [
        code
        for code, level in best.items()
        if is_official_eu_language(code) and (min_level is None or _at_least(level, min_level))
    ]
    return sorted(found, key=lambda code: (-level_rank(best[code]), code))


def _at_least(level: str, minimum: str) -> bool:
    return level_rank(level) >= level_rank(minimum)


def _described(code: str, best: dict[str, str]) -> str:
    level = best[code]
    return (
        f"{language_name(code)} ({level})"
        if level == "native"
        else f"{language_name(code)} at {level}"
    )


def _uncounted(best: dict[str, str]) -> str:
    others = sorted(c for c in best if not is_official_eu_language(c))
    if not others:
        return ""
    names = " and ".join(language_name(c) for c in others)
    verb = "does" if len(others) == 1 else "do"
    return f" {names} {verb} not count: only the 24 official EU languages do."


def _language(rule: LanguageRule, profile: Profile) -> _Outcome:
    if profile.languages is None:
        return _not_declared("languages")
    best = _best_levels(profile.languages)
    if rule.id == "main_language":
        strong = _official(best, rule.min_level)
        if strong:
            return _Outcome(
                "met",
                f"{_described(strong[0], best)} meets the minimum level {rule.min_level} "
                "in an official EU language.",
            )
        ranked = _official(best)
        best_text = f" (best: {_described(ranked[0], best)})" if ranked else ""
        return _Outcome(
            "not_met",
            f"No official EU language at {rule.min_level} or better{best_text}." + _uncounted(best),
        )
    # second_language: an official language at min_level or better, *different* from the main one.
    # As the main language's level (C1) is above this one (B2), such a pair exists exactly when two
    # official languages reach min_level: the test needs no choice of "the" main language, and it
    # still says something useful when the main language is not met yet.
    qualifying = _official(best, rule.min_level)
    if len(qualifying) >= 2:
        first, second = qualifying[0], qualifying[1]
        return _Outcome(
            "met",
            f"{_described(second, best)} is a second official EU language besides "
            f"{language_name(first)} (minimum level {rule.min_level}).",
        )
    have = f" (only {_described(qualifying[0], best)})" if qualifying else ""
    return _Outcome(
        "not_met",
        f"A second, different official EU language at {rule.min_level} or better is needed{have}."
        + _uncounted(best),
    )


def _english(rule: EnglishRule, profile: Profile) -> _Outcome:
    if profile.languages is None:
        return _not_declared("languages")
    best = _best_levels(profile.languages)
    name = language_name(rule.language)
    level = best.get(rule.language)
    if level is None:
        return _Outcome(
            "not_met",
            f"{name} is not among your languages; the job requires {name} at {rule.min_level}.",
        )
    said = _described(rule.language, best)
    if _at_least(level, rule.min_level):
        return _Outcome("met", f"{said} meets the job's requirement of {rule.min_level}.")
    return _Outcome("not_met", f"{said}; the job requires {rule.min_level} or better.")


# --- Education and experience ------------------------------------------------------------------


def _education(rule: EducationRule, profile: Profile) -> _Outcome:
    education = profile.education
    if education is None or (education.years is None and education.diploma is None):
        return _not_declared("education")
    problems, missing = [], []
    if education.years is None:
        missing.append("`education.years`")
    elif education.years < rule.min_years:
        problems.append(
            f"{_count(education.years, 'year')} of completed university studies; at least "
            f"{rule.min_years} are required"
        )
    if rule.diploma_required:
        if education.diploma is None:
            missing.append("`education.diploma`")
        elif not education.diploma:
            problems.append("your studies are not attested by a diploma, which is required")
    if problems:
        return _Outcome("not_met", _sentence("; ".join(problems)))
    if missing:
        return _Outcome("unknown", f"Not declared: give {' and '.join(missing)}.")
    return _Outcome(
        "met",
        f"{education.years:g} years of completed university studies attested by a diploma "
        f"(at least {rule.min_years} required).",
    )


def _count(amount: float, noun: str) -> str:
    return f"{amount:g} {noun}" + ("" if amount == 1 else "s")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _experience(rule: ExperienceRule, profile: Profile, rules: RuleSet) -> _Outcome:
    if profile.experience is None:
        return _not_declared("experience")
    closing = rules.deadline.date()
    method = (
        f" Counted up to the closing date, {closing:%d/%m/%Y}, on the assumption that eligibility "
        "is assessed then (ongoing jobs included); overlapping periods count once; each calendar "
        "month counts 1, a part month pro rata to its days, and only whole months count."
    )
    late = sum(1 for p in profile.experience if p.start > closing)
    if late:
        verb = "counts" if late == 1 else "count"
        method += f" {_count(late, 'period')} starting after the closing date {verb} zero."
    need = rule.min_months
    if rule.id == "experience_total":
        whole, amount = _months(profile.experience, closing, {True, False, None})
        status: Status = "met" if whole >= need else "not_met"
        return _Outcome(
            status, f"{amount} of professional experience; at least {need} required.{method}"
        )
    sure, amount = _months(profile.experience, closing, {True})
    possible, _ = _months(profile.experience, closing, {True, None})
    if sure >= need:
        return _Outcome(
            "met", f"{amount} of relevant experience; at least {need} required.{method}"
        )
    if possible >= need:
        return _Outcome(
            "unknown",
            f"{amount} declared relevant; at least {need} required. Periods without a `relevant` "
            f"answer could make up the difference: say whether they are relevant.{method}",
        )
    return _Outcome(
        "not_met", f"{amount} of relevant experience; at least {need} required.{method}"
    )


def _months(periods: list[Period], closing: date, relevance: set[bool | None]) -> tuple[int, str]:
    """Whole months of the periods whose `relevant` is in `relevance`, and how to say it."""
    exact = calendar_months(
        clip([(p.start, p.end) for p in periods if p.relevant in relevance], closing)
    )
    whole = math.floor(exact)
    # Rounded down, so 23.998 never shows as "24.00" beside a count of 23.
    fraction = "" if exact == whole else f" ({math.floor(exact * 100) / 100:.2f})"
    return whole, f"{_count(whole, 'whole month')}{fraction}"


# --- Deadline ------------------------------------------------------------------------------------


def _deadline(rule: DeadlineRule, profile: Profile, rules: RuleSet) -> _Outcome:
    sent = profile.submitted_at
    if sent is None:  # evaluate() skips the criterion then; kept for a direct call
        return _not_declared("submitted_at")
    deadline = rules.deadline
    literal = rules.stated_deadline(rule.stated_utc_offset)
    on_time = sent <= deadline
    reason = (
        f"Sent on {_brussels(sent.astimezone(deadline.tzinfo))}, "
        f"{'by' if on_time else 'after'} the deadline of {_brussels(deadline)}."
    )
    # The call names a fixed offset (CET) that Brussels time may not be on that day (CEST): a
    # submission between the two readings is on time for one and late for the other.
    if on_time != (sent <= literal):
        reason += (
            f" Ambiguous: read literally as UTC{rule.stated_utc_offset}, the call's time is "
            f"{_utc(literal)}, and this submission would be {'late' if on_time else 'on time'}."
        )
        if rules.contact:
            reason += f" Ask {rules.contact}."
    if on_time:
        return _Outcome("met", reason)
    return _Outcome("not_met", reason, _note(rules, "deadline.late", "The call says:"))


def _brussels(local: datetime) -> str:
    return f"{local:%d/%m/%Y at %H:%M} Brussels time ({local.tzname()}, {_utc(local)})"


def _utc(local: datetime) -> str:
    utc = local.astimezone(UTC)
    # The date only when it differs from the local one shown beside it (a late-evening send).
    return f"{utc:%H:%M} UTC" if utc.date() == local.date() else f"{utc:%d/%m/%Y %H:%M} UTC"
