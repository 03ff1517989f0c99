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
eval``. Whether a question is answered or declined, and how, is decided by the answerer's own
rule (``crosslingual.verdict``) for each candidate setting.
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
    verdict,
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
# A case's expected status as the verdict names it (any other status: declined as not found).
EXPECTED = {"answered": "answer", "out_of_scope": "out_of_scope"}


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
        rows = []  # (expected, best score, how it stands out, unanswered, first on evidence)
        for case in cases:
            text, vector = vectors[case.id]
            ranked = rank_across(vector, found, index, text, t)
            spans = evidence_spans(corpus, case.evidence)
            first = ranked[0].sentence
            rows.append(
                (
                    EXPECTED.get(case.expect_status, "not_found"),
                    ranked[0].score,
                    peak(ranked),
                    found.unanswered_likeness(vector),
                    overlaps(first.doc_id, first.start, first.end, spans),
                )
            )
        for answer, oos, least, margin in itertools.product(GRID, GRID, PEAKS, MARGINS):
            if oos > answer:
                continue
            fit = replace(
                t,
                answer=float(answer),
                out_of_scope=float(oos),
                peak=float(least),
                unanswered=float(margin),
            )
            right = sum(
                verdict(score, stands, unanswered, fit) == expected
                and (expected != "answer" or on_evidence)
                for expected, score, stands, unanswered, on_evidence in rows
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
