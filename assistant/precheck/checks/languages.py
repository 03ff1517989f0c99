"""The language criteria: a main official EU language, a second one, and the job's language."""

from __future__ import annotations

from assistant.precheck.checks import Outcome, not_declared
from assistant.precheck.languages import is_official_eu_language, level_rank
from assistant.precheck.models import LanguageSkill, Profile
from assistant.precheck.rules import EnglishRule, LanguageRule
from assistant.precheck.texts import Texts


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


def _described(code: str, best: dict[str, str], t: Texts) -> str:
    """ "French (native)", "English at C1"."""
    level = best[code]
    name = t.language(code)
    if level == "native":
        return t.text("language.native", language=name)
    return t.text("language.at_level", language=name, level=level)


def _with_uncounted(reason: str, best: dict[str, str], t: Texts) -> str:
    """The reason, then which declared languages do not count (not official EU languages)."""
    others = sorted(c for c in best if not is_official_eu_language(c))
    if not others:
        return reason
    names = t.joined([t.language(c) for c in others])
    uncounted = t.count("languages.uncounted", len(others), names=names)
    # A sentence of its own, which may start with a name CLDR writes in lower case ("turecki").
    return f"{reason} {uncounted[:1].upper()}{uncounted[1:]}"


def language(rule: LanguageRule, profile: Profile, t: Texts) -> Outcome:
    if profile.languages is None:
        return not_declared("languages", t)
    best = _best_levels(profile.languages)
    level = rule.min_level
    if rule.id == "main_language":
        strong = _official(best, level)
        if strong:
            described = _described(strong[0], best, t)
            return Outcome("met", t.text("languages.main_met", language=described, level=level))
        ranked = _official(best)
        if ranked:
            described = _described(ranked[0], best, t)
            reason = t.text("languages.main_not_met_best", level=level, language=described)
        else:
            reason = t.text("languages.main_not_met", level=level)
        return Outcome("not_met", _with_uncounted(reason, best, t))
    # second_language: an official language at min_level or better, *different* from the main one.
    # As the main language's level (C1) is above this one (B2), such a pair exists exactly when two
    # official languages reach min_level: the test needs no choice of "the" main language, and it
    # still says something useful when the main language is not met yet.
    qualifying = _official(best, level)
    if len(qualifying) >= 2:
        first, second = qualifying[0], qualifying[1]
        reason = t.text(
            "languages.second_met",
            language=_described(second, best, t),
            first=t.language(first),
            level=level,
        )
        return Outcome("met", reason)
    if qualifying:
        only = _described(qualifying[0], best, t)
        reason = t.text("languages.second_not_met_only", level=level, language=only)
    else:
        reason = t.text("languages.second_not_met", level=level)
    return Outcome("not_met", _with_uncounted(reason, best, t))


def english(rule: EnglishRule, profile: Profile, t: Texts) -> Outcome:
    if profile.languages is None:
        return not_declared("languages", t)
    best = _best_levels(profile.languages)
    level = best.get(rule.language)
    if level is None:
        name = t.language(rule.language)
        return Outcome(
            "not_met", t.text("languages.english_absent", language=name, level=rule.min_level)
        )
    said = _described(rule.language, best, t)
    if _at_least(level, rule.min_level):
        return Outcome("met", t.text("languages.english_met", language=said, level=rule.min_level))
    return Outcome(
        "not_met", t.text("languages.english_not_met", language=said, level=rule.min_level)
    )
