"""Deterministic eligibility pre-check of a self-declared profile against one call's rules.

    rules = load_rules(load_corpus(corpus_dir))             # CorpusError if a quote is not verbatim
    profile = parse_profile(data, now=now)                  # pydantic ValidationError on bad input
    result = evaluate(profile, rules, now=now, lang="pl")   # same input, same result
    print(render_table(result, lang="pl"))                  # its own words in Polish
    criterion_label(rules, "nationality", "de")             # a criterion's name, in German

No model, no retrieval, no I/O besides reading the rules file and the texts of the language
(assistant/locales/<code>/precheck.toml), and no logging of the profile.
"""

from assistant.precheck.engine import DISCLAIMER, evaluate
from assistant.precheck.models import (
    CallInfo,
    Citation,
    CriterionResult,
    Note,
    PrecheckResponse,
    PrecheckResult,
    Profile,
    parse_profile,
)
from assistant.precheck.render import render_table
from assistant.precheck.rules import CRITERION_IDS, RuleSet, load_rules
from assistant.precheck.texts import criterion_label

__all__ = [
    "CRITERION_IDS",
    "DISCLAIMER",
    "CallInfo",
    "Citation",
    "CriterionResult",
    "Note",
    "PrecheckResponse",
    "PrecheckResult",
    "Profile",
    "RuleSet",
    "criterion_label",
    "evaluate",
    "load_rules",
    "parse_profile",
    "render_table",
]
