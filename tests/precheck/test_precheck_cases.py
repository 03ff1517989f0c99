"""Table-driven tests: one file of cases per criterion under cases/, all run by one test.

A case gives a profile fragment and the expected status of its file's criterion, and optionally
words the reason must contain (`reason`) or must not (`reason_not`), words a note must contain
(`notes`) and a clock (`now`). Status "absent" means the criterion must not be in the result.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from precheck_support import NOW, Runner

from assistant.precheck import CRITERION_IDS, RuleSet

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["criterion"] == path.stem, f"{path.name} names another criterion"
        for case in data["cases"]:
            params.append(pytest.param(data["criterion"], case, id=f"{path.stem}: {case['name']}"))
    return params


def test_every_criterion_has_a_case_file(rules: RuleSet) -> None:
    files = {p.stem for p in CASES_DIR.glob("*.json")}
    assert files == set(CRITERION_IDS) == {c.id for c in rules.criteria}


@pytest.mark.parametrize(("criterion_id", "case"), _cases())
def test_case(run: Runner, criterion_id: str, case: dict[str, Any]) -> None:
    now = datetime.fromisoformat(case["now"]) if "now" in case else NOW
    result = run(case["profile"], now)
    found = [c for c in result.criteria if c.id == criterion_id]
    if case["status"] == "absent":
        assert found == []
        return
    (criterion,) = found
    assert criterion.status == case["status"], criterion.reason
    for words in case.get("reason", []):
        assert words in criterion.reason
    for words in case.get("reason_not", []):
        assert words not in criterion.reason
    notes = " ".join(n.text for n in criterion.notes)
    for words in case.get("notes", []):
        assert words in notes
