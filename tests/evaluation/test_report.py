"""The HTML report: self-contained, escaped, with its charts and the failed questions."""

from __future__ import annotations

import re

import pytest
from evaluation_support import hand_run

from assistant.evaluation.gate import Gate
from assistant.evaluation.report import render_report
from retrieval.corpus import Corpus


@pytest.fixture(scope="module")
def report(corpus: Corpus) -> str:
    summary, results = hand_run(corpus, fixed=False)
    gated = summary.model_copy(
        update={"gate": Gate(minimum={"answer_accuracy": 0.9}).check(summary)}
    )
    return render_report(gated, results)


def test_the_report_loads_nothing_from_outside(report: str) -> None:
    # Every src and href is embedded data or an anchor; styles are inline.
    references = re.findall(r"""(?:src|href)\s*=\s*['"]([^'"]*)""", report)
    assert references
    assert all(ref.startswith(("data:", "#")) for ref in references)
    assert "<link" not in report
    assert "<script" not in report  # not even the one the answer text holds: it is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report


def test_the_report_embeds_its_charts(report: str) -> None:
    images = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", report)
    assert len(images) == 2  # answers by kind, latency (no retrieval set in this run)
    import base64

    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)


def test_the_failed_question_is_shown_beside_what_was_expected(report: str) -> None:
    failures = report[report.index("Failed questions (1 of 2)") :]
    assert "a2" in failures
    assert "must match <code>9.month</code>" in failures  # expected
    assert "complete a 9-month probationary period" in failures  # the evidence to cite
    assert "status: <b>not_found</b>" in failures  # what came back
    assert "The call does not say." in failures
    assert "citations" in failures  # which check failed
    assert "a1" not in failures  # the passing question is not listed


def test_the_report_shows_the_gate(report: str) -> None:
    assert "failed</span>: answer_accuracy = 0.5, needs &gt;= 0.9" in report
    assert '<td class="bad">answer_accuracy</td>' in report


def test_answers_without_stage_timings_still_get_a_latency_chart(corpus: Corpus) -> None:
    # A server may report no per-stage timings: the client's time is drawn instead.
    summary, results = hand_run(corpus, fixed=True)
    bare = [r.model_copy(update={"timings_ms": {"request": 12.0}}) for r in results]
    report = render_report(summary, bare)
    assert report.count("data:image/png;base64,") == 2
