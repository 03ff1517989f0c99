"""Deterministic eligibility pre-check of a self-declared profile against one call's rules.

    rules = load_rules(load_corpus(corpus_dir))             # CorpusError if a quote is not verbatim
    profile = parse_profile(data, now=now)                  # pydantic ValidationError on bad input
    result = evaluate(profile, rules, now=now)              # same input, same result
    print(render_table(result))

No model, no retrieval, no I/O besides reading the rules file, and no logging of the profile.
"""

from assistant.precheck.engine import DISCLAIMER, evaluate
from assistant.precheck.models import (
    CallInfo,
    Citation,
    CriterionResult,
    Note,
    PrecheckResult,
    Profile,
    parse_profile,
)
from assistant.precheck.render import render_table
from assistant.precheck.rules import CRITERION_IDS, RuleSet, load_rules

__all__ = [
    "CRITERION_IDS",
    "DISCLAIMER",
    "CallInfo",
    "Citation",
    "CriterionResult",
    "Note",
    "PrecheckResult",
    "Profile",
    "RuleSet",
    "evaluate",
    "load_rules",
    "parse_profile",
    "render_table",
]
