"""Fixtures of the pre-check tests: the real corpus, its rules, a fixed clock, a runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from precheck_support import CORPUS_DIR, NOW, RULES_FILE, Runner

from assistant.precheck import PrecheckResult, Profile, RuleSet, evaluate, load_rules
from retrieval.corpus import Corpus, load_corpus


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def rules(corpus: Corpus) -> RuleSet:
    return load_rules(corpus)


@pytest.fixture(scope="session")
def run(rules: RuleSet) -> Runner:
    """Validate a profile dict against the clock and evaluate it."""

    def _run(profile: dict[str, Any], now: datetime = NOW) -> PrecheckResult:
        return evaluate(Profile.model_validate(profile, context={"now": now}), rules, now=now)

    return _run


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Callable[[Callable[[str], str]], Corpus]:
    """A copy of the corpus whose rules file is edited by the given function."""

    def _copy(edit: Callable[[str], str]) -> Corpus:
        root = tmp_path / "corpus"
        shutil.copytree(CORPUS_DIR, root)
        rules_file = root / "rules" / RULES_FILE.name
        rules_file.write_text(edit(rules_file.read_text(encoding="utf-8")), encoding="utf-8")
        return load_corpus(root)

    return _copy
