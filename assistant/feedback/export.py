"""Ratings as cases of the evaluation's answer sets (``AnswerCase``, eval/datasets/README.md),
so that a thumbs-down becomes a regression case once staff say what the answer should hold.

Each case is exactly what the dataset loader accepts:
``{"id": "feedback-<id>", "question", "kind": "fact", "expect_status", "must_contain": [],
"evidence": [...]}``. ``expect_status`` is the status the candidate saw ("answered" when it was
not sent). ``must_contain`` is left empty for staff to fill in with the facts a right answer
holds; for a thumbs-up, ``evidence`` holds the quotes the rated answer cited (what it was right
to rely on); for a thumbs-down it is left empty too. ``kind`` is a placeholder to correct.
"""

from __future__ import annotations

import json
from typing import Any

from assistant.feedback.models import FeedbackRecord

CASE_PREFIX = "feedback-"


def as_case(record: FeedbackRecord) -> dict[str, Any]:
    evidence = []
    if record.rating == "up" and record.citations:
        evidence = [
            {"doc_id": c.doc_id, "quote": c.quote} for c in record.citations if c.quote.strip()
        ]
    return {
        "id": f"{CASE_PREFIX}{record.id}",
        "question": record.question,
        "kind": "fact",
        "expect_status": record.status or "answered",
        "must_contain": [],
        "evidence": evidence,
    }


def as_jsonl(records: list[FeedbackRecord]) -> str:
    return "".join(json.dumps(as_case(r), ensure_ascii=False) + "\n" for r in records)
