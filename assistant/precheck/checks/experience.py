"""University studies and professional experience (see periods.py for how months are counted)."""

from __future__ import annotations

import math
from datetime import date

from assistant.precheck.checks import Outcome, not_declared
from assistant.precheck.models import Period, Profile, Status
from assistant.precheck.periods import calendar_months, clip
from assistant.precheck.rules import EducationRule, ExperienceRule, RuleSet
from assistant.precheck.texts import Texts


def education(rule: EducationRule, profile: Profile, t: Texts) -> Outcome:
    declared = profile.education
    if declared is None or (declared.years is None and declared.diploma is None):
        return not_declared("education", t)
    problems, missing = [], []
    if declared.years is None:
        missing.append("`education.years`")
    elif declared.years < rule.min_years:
        problems.append(t.count("education.too_short", declared.years, min=rule.min_years))
    if rule.diploma_required:
        if declared.diploma is None:
            missing.append("`education.diploma`")
        elif not declared.diploma:
            problems.append(t.text("education.no_diploma"))
    if problems:
        if len(problems) == 2:
            problems = [t.text("education.both", first=problems[0], second=problems[1])]
        return Outcome("not_met", _sentence(problems[0]))
    if missing:
        return Outcome("unknown", t.text("not_declared.fields", fields=t.joined(missing)))
    assert declared.years is not None  # not missing
    return Outcome("met", t.count("education.met", declared.years, min=rule.min_years))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def experience(rule: ExperienceRule, profile: Profile, rules: RuleSet, t: Texts) -> Outcome:
    if profile.experience is None:
        return not_declared("experience", t)
    closing = rules.deadline.date()
    method = t.text("experience.method", date=t.date(closing))
    late = sum(1 for p in profile.experience if p.start > closing)
    if late:
        method += " " + t.count("experience.late", late)
    need = rule.min_months
    if rule.id == "experience_total":
        whole, amount = _months(profile.experience, closing, {True, False, None}, t)
        status: Status = "met" if whole >= need else "not_met"
        return Outcome(status, f"{t.text('experience.total', amount=amount, need=need)} {method}")
    sure, amount = _months(profile.experience, closing, {True}, t)
    possible, _ = _months(profile.experience, closing, {True, None}, t)
    if sure >= need:
        key, status = "experience.relevant", "met"
    elif possible >= need:
        key, status = "experience.relevant_unsure", "unknown"
    else:
        key, status = "experience.relevant", "not_met"
    return Outcome(status, f"{t.text(key, amount=amount, need=need)} {method}")


def _months(
    periods: list[Period], closing: date, relevance: set[bool | None], t: Texts
) -> tuple[int, str]:
    """Whole months of the periods whose `relevant` is in `relevance`, and how to say it."""
    exact = calendar_months(
        clip([(p.start, p.end) for p in periods if p.relevant in relevance], closing)
    )
    whole = math.floor(exact)
    amount = t.count("experience.whole_months", whole)
    if exact == whole:
        return whole, amount
    # Rounded down, so 23.998 never shows as "24.00" beside a count of 23.
    return whole, f"{amount} ({t.number(f'{math.floor(exact * 100) / 100:.2f}')})"
