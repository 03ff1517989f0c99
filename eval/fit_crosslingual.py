"""Fit the thresholds of questions in other languages (assistant/answering/crosslingual.json).

    python eval/fit_crosslingual.py [--train SET ...] [--write]

For each question of the training sets, the sentences are ranked as the answerer ranks them
(assistant.answering.crosslingual.rank_across) for each candidate weight of shared tokens
and offset of the sentences without questions; a grid search then picks what counts most
questions right: an answerable one has a sentence of its evidence first and a score over
``answer``; one the sources do not answer scores under it, and under ``out_of_scope`` when it
is about something else.
A question nearer than ``unanswered`` to a topic the sources do not answer than to the best
sentence is declined; that margin is fitted with the rest.
``keep`` (how near further sentences must be to be quoted too), ``unit`` and ``unit_stated``
(how like a "which unit suits me?" a question must be, without and after a statement about the
candidate) are kept as they are: they were chosen end to end on the same set with ``assistant
eval``. The fit does not tell a topic outside the call from one the call omits (both decline).
The measured set (answers-multilingual.jsonl) is never fitted on. ``--write`` saves the fit.
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from assistant.answering.crosslingual import (
    SETTINGS_FILE,
    Thresholds,
    across_query,
    peak,
    rank_across,
    thresholds,
)
from assistant.answering.foreign import read_foreign
from assistant.config import Settings
from assistant.evaluation.datasets import AnswerCase, evidence_spans, load_dataset, overlaps
from assistant.runtime import Services

DATASETS = Path(__file__).parent / "datasets"
TRAIN = ["answers-multilingual-dev.jsonl"]
UNASKED = (0.03, 0.05, 0.08)
TOKENS = (0.0, 0.005, 0.01)
PEAKS = (0.0, 0.006, 0.008, 0.01, 0.012)
MARGINS = (0.0, 0.01, 0.02, 0.03, 0.05, 1.0)  # 1.0: the unanswered topics unused
GRID = np.round(np.arange(0.74, 0.90, 0.005), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", nargs="*", default=TRAIN)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    services = Services(Settings())
    found = services.multilingual
    if found is None:
        raise SystemExit("the multilingual model is off or not installed")
    index, corpus = services.sentence_index, services.corpus
    cases = [
        c
        for name in args.train
        for c in load_dataset(DATASETS / name).cases
        if isinstance(c, AnswerCase) and c.lang not in (None, "en") and not c.history
    ]
    base = thresholds()
    vectors = {}
    for case in cases:
        asked = read_foreign(case.question, case.lang or "en").questions
        text = " ".join(across_query(a, "") for a in asked) or case.question
        vectors[case.id] = (text, np.asarray(found.embeddings.embed_query(text), np.float32))
    best_fit: tuple[int, Thresholds] | None = None
    for offset, token in itertools.product(UNASKED, TOKENS):
        t = replace(base, unasked=offset, token=token)
        rows = []  # (expect, best score, whether the first sentence is evidence)
        for case in cases:
            text, vector = vectors[case.id]
            ranked = rank_across(vector, found, index, text, t)
            spans = evidence_spans(corpus, case.evidence)
            first = ranked[0].sentence
            rows.append(
                (
                    case.expect_status,
                    ranked[0].score,
                    peak(ranked),
                    found.unanswered_likeness(vector).likeness - ranked[0].score,
                    overlaps(first.doc_id, first.start, first.end, spans),
                )
            )
        for answer, oos, least, margin in itertools.product(GRID, GRID, PEAKS, MARGINS):
            if oos > answer:
                continue
            right = 0
            for expect, score, stands, nearer, on_evidence in rows:
                answers = score >= answer and stands >= least and nearer <= margin
                if expect == "answered":
                    right += answers and on_evidence
                elif expect == "out_of_scope":
                    right += score < oos
                else:
                    right += score >= oos and not answers
            fit = replace(
                t,
                answer=float(answer),
                out_of_scope=float(oos),
                peak=float(least),
                unanswered=float(margin),
            )
            if best_fit is None or right > best_fit[0]:
                best_fit = (right, fit)
    assert best_fit is not None
    right, fit = best_fit
    fit = replace(fit, related=round(min(fit.answer, fit.out_of_scope + 0.02), 3))
    print(f"{right} of {len(cases)} right with {asdict(fit)}")
    if args.write:
        SETTINGS_FILE.write_text(json.dumps(asdict(fit)) + "\n", encoding="utf-8")
        print(f"wrote {SETTINGS_FILE}")


if __name__ == "__main__":
    main()
