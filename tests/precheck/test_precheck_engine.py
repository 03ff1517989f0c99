"""The result as a whole: verdict, call status, version, disclaimer, citations, purity."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from precheck_support import ELIGIBLE, NOW, Runner

from assistant.precheck import CRITERION_IDS, DISCLAIMER, Profile, RuleSet, evaluate, render_table
from assistant.precheck.engine import verdict


def test_an_eligible_profile(run: Runner) -> None:
    result = run(ELIGIBLE)
    assert result.verdict == "eligible"
    assert [c.id for c in result.criteria] == list(CRITERION_IDS)
    assert {c.status for c in result.criteria} == {"met"}


def test_deadline_criterion_only_with_submitted_at(run: Runner) -> None:
    profile = {k: v for k, v in ELIGIBLE.items() if k != "submitted_at"}
    result = run(profile)
    assert "deadline" not in [c.id for c in result.criteria]
    assert result.verdict == "eligible"


def test_empty_profile_is_incomplete(run: Runner) -> None:
    result = run({})
    assert result.verdict == "incomplete"
    assert {c.status for c in result.criteria} == {"unknown"}


def test_one_not_met_makes_not_eligible_even_with_unknowns(run: Runner) -> None:
    assert run({"nationalities": ["NO"]}).verdict == "not_eligible"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], "eligible"),
        (["met", "met"], "eligible"),
        (["met", "unknown"], "incomplete"),
        (["unknown", "not_met"], "not_eligible"),
        (["not_met", "met"], "not_eligible"),
    ],
)
def test_verdict(statuses: list[Any], expected: str) -> None:
    assert verdict(statuses) == expected


@pytest.mark.parametrize(
    ("now", "is_open"),
    [
        ("2025-04-01T09:00:00+02:00", True),
        ("2025-04-22T09:59:59+00:00", True),
        ("2025-04-22T10:00:00+00:00", True),
        ("2025-04-22T10:00:01+00:00", False),
        ("2025-06-01T12:00:00+02:00", False),
    ],
)
def test_call_open_follows_the_injected_clock(run: Runner, now: str, is_open: bool) -> None:
    result = run({}, datetime.fromisoformat(now))
    assert result.call.open is is_open
    assert result.call.reference == "EC-2025-HOME-01"
    assert result.call.deadline == datetime(2025, 4, 22, 10, 0, tzinfo=UTC)


def test_today_the_call_is_closed(rules: RuleSet) -> None:
    assert evaluate(Profile(), rules, now=datetime.now(UTC)).call.open is False


def test_version_and_disclaimer(run: Runner, rules: RuleSet) -> None:
    result = run({})
    assert result.rules_version == rules.version
    assert result.rules_version.startswith("sha256:")
    assert result.disclaimer == DISCLAIMER
    assert "not a decision" in DISCLAIMER
    assert "selection decides" in DISCLAIMER


def test_each_criterion_cites_its_clause(run: Runner, rules: RuleSet) -> None:
    for criterion in run(ELIGIBLE).criteria:
        assert criterion.citation == rules.citation(criterion.id)
        assert criterion.label == rules.get(criterion.id).label


def test_json_shape(run: Runner) -> None:
    data = run(ELIGIBLE).model_dump(mode="json")
    assert set(data) == {"verdict", "criteria", "call", "rules_version", "disclaimer"}
    assert set(data["call"]) == {"reference", "deadline", "open"}
    assert data["call"]["deadline"] == "2025-04-22T12:00:00+02:00"
    first = data["criteria"][0]
    assert {"id", "label", "status", "reason", "citation"} <= set(first)
    assert set(first["citation"]) == {"quote", "start", "end", "section"}


def test_naive_clock_is_refused(rules: RuleSet) -> None:
    with pytest.raises(ValueError, match="aware"):
        evaluate(Profile(), rules, now=datetime(2025, 6, 1))


def test_the_engine_does_not_log(run: Runner, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG"):
        render_table(run(ELIGIBLE))
    assert caplog.records == []


def test_same_input_same_output(run: Runner) -> None:
    assert run(ELIGIBLE) == run(ELIGIBLE)
    assert run(ELIGIBLE, NOW).model_dump_json() == run(dict(ELIGIBLE), NOW).model_dump_json()
