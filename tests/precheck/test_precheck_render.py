"""The plain-text table the CLI prints."""

from __future__ import annotations

from precheck_support import ELIGIBLE, Runner

from assistant.precheck import render_table


def test_table_lists_every_criterion_with_status_reason_and_quote(run: Runner) -> None:
    result = run({**ELIGIBLE, "nationalities": ["NO"], "epso_cast": "none"})
    table = render_table(result)
    words = " ".join(table.split())
    assert "NOT ELIGIBLE" in table
    for criterion in result.criteria:
        assert criterion.label in table
    assert "NOT MET" in table
    assert "Norway" in table
    assert "be a national of a Member State of the EU" in words
    # Markdown links of the call read as words in the table.
    assert "[EPSO CAST](#)" not in table
    assert "registered in the EPSO CAST data base" in words
    assert result.rules_version in table
    assert "not a decision" in table
    assert "the call is closed" in table


def test_table_lines_fit_the_width(run: Runner) -> None:
    table = render_table(run(ELIGIBLE), width=100)
    assert max(len(line) for line in table.splitlines()) <= 100


def test_incomplete_table(run: Runner) -> None:
    table = render_table(run({}))
    assert "INCOMPLETE" in table
    assert "unknown" in table
