"""Evaluate a declared profile against a call's rules: criterion by criterion, deterministically.

Pure functions: the same profile, rules, clock and language always give the same result, and
nothing here logs or stores the profile. Thresholds come from the rules (see rules.py); the checks
(checks/) only apply them and explain the outcome in words a candidate can check against the
quoted clause, in the candidate's language (texts.py); the quotes stay the call's English.
"""

from __future__ import annotations

from datetime import datetime

from assistant.locales import DEFAULT
from assistant.precheck.checks import Outcome
from assistant.precheck.checks.deadline import deadline
from assistant.precheck.checks.experience import education, experience
from assistant.precheck.checks.identity import declaration, epso_cast, nationality
from assistant.precheck.checks.languages import english, language
from assistant.precheck.models import (
    CallInfo,
    CriterionResult,
    PrecheckResult,
    Profile,
    Status,
    Verdict,
)
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
from assistant.precheck.texts import Texts, criterion_label, texts

# The disclaimer of an English result (a result's `disclaimer` is in its language).
DISCLAIMER = texts(DEFAULT).text("disclaimer")


def evaluate(
    profile: Profile, rules: RuleSet, *, now: datetime, lang: str | None = DEFAULT
) -> PrecheckResult:
    """Pre-check `profile` against `rules`; `now` (aware) decides whether the call is still open.

    `lang` (a language tag; English when unknown) is the language of the result's own sentences:
    labels, reasons, notes and disclaimer. The call's quotes stay its exact English words.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("evaluate() needs an aware `now` (with a UTC offset)")
    t = texts(lang)
    results = []
    for criterion in rules.criteria:
        # The deadline is only checked when the candidate says when they applied.
        if isinstance(criterion, DeadlineRule) and profile.submitted_at is None:
            continue
        outcome = _evaluate(criterion, profile, rules, t)
        results.append(
            CriterionResult(
                id=criterion.id,
                label=criterion_label(rules, criterion.id, t.code),
                kind=criterion.kind,
                status=outcome.status,
                # A sentence may start with a name that CLDR writes in lower case ("polski").
                reason=outcome.reason[:1].upper() + outcome.reason[1:],
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
        disclaimer=t.text("disclaimer"),
    )


def verdict(statuses: list[Status]) -> Verdict:
    if "not_met" in statuses:
        return "not_eligible"
    if "unknown" in statuses:
        return "incomplete"
    return "eligible"


def _evaluate(criterion: Criterion, profile: Profile, rules: RuleSet, t: Texts) -> Outcome:
    match criterion:
        case NationalityRule():
            return nationality(profile, t)
        case DeclarationRule():
            return declaration(criterion, profile, rules, t)
        case EpsoCastRule():
            return epso_cast(criterion, profile, rules, t)
        case LanguageRule():
            return language(criterion, profile, t)
        case EnglishRule():
            return english(criterion, profile, t)
        case EducationRule():
            return education(criterion, profile, t)
        case ExperienceRule():
            return experience(criterion, profile, rules, t)
        case DeadlineRule():
            return deadline(criterion, profile, rules, t)
