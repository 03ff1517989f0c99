"""Nationality, the conditions the candidate can only declare, and EPSO CAST."""

from __future__ import annotations

from assistant.precheck.checks import Outcome, not_declared, note, quoted
from assistant.precheck.countries import is_eu_member_state
from assistant.precheck.models import Profile
from assistant.precheck.rules import DeclarationRule, EpsoCastRule, RuleSet
from assistant.precheck.texts import Texts


def nationality(profile: Profile, t: Texts) -> Outcome:
    declared = profile.nationalities
    if declared is None:
        return not_declared("nationalities", t)
    if not declared:
        return Outcome("not_met", t.text("nationality.none"))
    eu = sorted({c for c in declared if is_eu_member_state(c)})
    if eu:
        names = ", ".join(t.country(c) for c in eu)
        return Outcome("met", t.text("nationality.met", countries=names))
    others = ", ".join(t.country(c) for c in sorted(set(declared)))
    return Outcome("not_met", t.text("nationality.not_met", countries=others))


# The profile field of each condition the candidate can only declare.
_DECLARED_AS: dict[str, str] = {
    "citizen_rights": "full_citizen_rights",
    "military_service": "military_service_fulfilled",
    "physical_fitness": "physically_fit",
    "character_references": "character_references",
}


def declaration(rule: DeclarationRule, profile: Profile, rules: RuleSet, t: Texts) -> Outcome:
    field_name = _DECLARED_AS[rule.id]
    value = getattr(profile, field_name)
    notes = note(rules, f"{rule.id}.check", "checked_later", t)
    if value is None:
        return Outcome("unknown", not_declared(field_name, t).reason, notes)
    answer = "yes" if value else "no"
    return Outcome("met" if value else "not_met", t.text(f"declaration.{rule.id}.{answer}"), notes)


def epso_cast(rule: EpsoCastRule, profile: Profile, rules: RuleSet, t: Texts) -> Outcome:
    status = profile.epso_cast
    group = t.function_group(rule.function_group)
    if status is None:
        return Outcome("unknown", t.text("not_declared.epso_cast"))
    if status == "passed":
        return Outcome("met", t.text("epso_cast.passed", group=group))
    if status == "registered":
        notes = note(rules, "epso_cast.later_tests", "later_tests", t)
        if rule.registration_suffices:
            return Outcome("met", t.text("epso_cast.registered", group=group), notes)
        return Outcome("not_met", t.text("epso_cast.registration_not_enough", group=group), notes)
    register = rules.citation("epso_cast.how_to_register")
    notes = note(rules, "epso_cast.which_profile", "which_profile", t)
    notes += note(rules, "epso_cast.registration_link", "where", t)
    reason = t.text("epso_cast.none", group=group, quote=quoted(register.quote, t))
    return Outcome("not_met", reason, notes)
