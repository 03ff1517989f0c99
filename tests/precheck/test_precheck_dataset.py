"""The pre-check dataset (eval/datasets/precheck.jsonl): every expectation holds."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from precheck_support import NOW, Runner

from assistant.config import PROJECT_ROOT
from assistant.precheck import CRITERION_IDS

DATASET = PROJECT_ROOT / "eval" / "datasets" / "precheck.jsonl"


def _rows() -> list[dict[str, Any]]:
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_dataset_shape() -> None:
    rows = _rows()
    assert len(rows) >= 25
    assert len({r["id"] for r in rows}) == len(rows), "ids must be unique"
    for row in rows:
        assert set(row) <= {"id", "note", "profile", "now", "expected_verdict", "expected"}
        assert row["expected_verdict"] in {"eligible", "not_eligible", "incomplete"}
        assert set(row["expected"]) <= set(CRITERION_IDS), row["id"]
    covered = {cid for row in rows for cid in row["expected"]}
    assert covered == set(CRITERION_IDS)


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["id"])
def test_dataset_row(run: Runner, row: dict[str, Any]) -> None:
    now = datetime.fromisoformat(row["now"]) if "now" in row else NOW
    result = run(row["profile"], now)
    statuses = {c.id: c.status for c in result.criteria}
    assert result.verdict == row["expected_verdict"], statuses
    for criterion_id, status in row["expected"].items():
        assert statuses.get(criterion_id) == status, (criterion_id, statuses)
