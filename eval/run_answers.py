"""Run the answer question set through the answerer and print its scores.

    python eval/run_answers.py [--dataset eval/datasets/answers.jsonl] [--failures]

Prints the share of answers holding every expected fact (and none forbidden), the share
citing the expected evidence, the share of unanswerable questions declined, the share of
answerable ones wrongly declined, and latency p50/p95 (in process, warm).
"""

from __future__ import annotations

import argparse
import re
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.answering.models import Answer, Turn
from assistant.config import Settings
from assistant.evaluation.datasets import (
    DATASETS_DIR,
    Evidence,
    evidence_spans,
    overlaps,
    read_jsonl,
)
from assistant.evaluation.metrics import mean, percentile
from assistant.runtime import Services, utc_now

DECLINED = {"not_found", "out_of_scope", "declined"}


def check(row: dict[str, Any], answer: Answer, services: Services) -> dict[str, Any]:
    text = answer.answer
    missing = [p for p in row["must_contain"] if not re.search(p, text, re.I)]
    forbidden = [p for p in row.get("must_not_contain", []) if re.search(p, text, re.I)]
    spans = evidence_spans(services.corpus, [Evidence(**e) for e in row.get("evidence", [])])
    cited = any(overlaps(c.doc_id, c.start, c.end, spans) for c in answer.citations)
    return {
        "facts": not missing and not forbidden,
        "missing": missing,
        "forbidden": forbidden,
        "cited": cited if spans else None,
        "declined": answer.status != "answered",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=DATASETS_DIR / "answers.jsonl")
    parser.add_argument("--failures", action="store_true", help="print each failed question")
    args = parser.parse_args()
    rows = read_jsonl(args.dataset)
    services = Services(Settings())
    answerer = services.answerer
    answerer.answer("warm-up", now=utc_now())

    results, latencies = [], []
    for row in rows:
        now = datetime.fromisoformat(row["now"]) if row.get("now") else utc_now()
        history = [Turn(**t) for t in row.get("history", [])]
        started = time.perf_counter()
        answer = answerer.answer(row["question"], history, now=now)
        latencies.append((time.perf_counter() - started) * 1000)
        result = check(row, answer, services)
        results.append((row, answer, result))

    answerable = [(r, a, c) for r, a, c in results if r["expect_status"] == "answered"]
    unanswerable = [(r, a, c) for r, a, c in results if r["expect_status"] in DECLINED]
    with_evidence = [(r, a, c) for r, a, c in answerable if c["cited"] is not None]
    print(f"{len(rows)} questions ({len(answerable)} answerable, {len(unanswerable)} not)")
    print(f"answers with the expected facts     {mean([c['facts'] for _, _, c in results]):.3f}")
    print(
        f"answers citing the expected passage {mean([c['cited'] for _, _, c in with_evidence]):.3f}"
    )
    declined = mean([c["declined"] for _, _, c in unanswerable])
    print(f"unanswerable correctly declined     {declined:.3f}")
    print(
        f"answerable wrongly declined         {mean([c['declined'] for _, _, c in answerable]):.3f}"
    )
    print(f"latency p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms")
    by_kind: dict[str, list[bool]] = {}
    for row, _, c in results:
        by_kind.setdefault(row["kind"], []).append(c["facts"])
    print(
        "facts by kind: "
        + ", ".join(f"{k} {mean(v):.2f} ({len(v)})" for k, v in sorted(by_kind.items()))
    )
    if args.failures:
        for row, answer, c in results:
            wrong_status = (row["expect_status"] == "answered") == c["declined"]
            if not c["facts"] or c["cited"] is False or wrong_status:
                expected, got = row["expect_status"], answer.status
                print(f"\n{row['id']} [{row['kind']}] {row['question']}  ({expected=}, {got=})")
                print(f"  missing {c['missing']} forbidden {c['forbidden']} cited {c['cited']}")
                print(f"  > {answer.answer[:400]}")


if __name__ == "__main__":
    main()
