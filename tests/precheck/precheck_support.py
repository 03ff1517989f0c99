"""Constants shared by the pre-check tests (imported by name: `from precheck_support import NOW`).

A separate module rather than `from conftest import ...`: the tests folder has more than one
conftest.py, and which one the name `conftest` means depends on collection order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sample_profiles import ELIGIBLE as ELIGIBLE  # the one sample profile of all the tests

from assistant.config import PROJECT_ROOT
from assistant.precheck import PrecheckResult

CORPUS_DIR = PROJECT_ROOT / "corpus"
RULES_FILE = CORPUS_DIR / "rules" / "ec-2025-home-01.toml"
# After the call closed: the default clock of the tests (the deadline is 22/04/2025 12:00).
NOW = datetime.fromisoformat("2025-06-01T12:00:00+02:00")

Runner = Callable[..., PrecheckResult]
