"""Fit the ranker: weights over the candidates' features, and the answer/decline threshold.

    python eval/fit_ranker.py [--train SET ...] [--check SET ...] [--write]

For each question of the training sets, the answerer's own candidates (assistant/answering/
candidates.py) are labelled by whether they overlap the question's evidence. A logistic
regression (L2, Newton's method) is fitted to those labels; the threshold is the best
candidate's probability that best separates the answerable questions from those the sources
do not answer; ``keep`` is the share of the best probability a further sentence needs to be
quoted too. Leave-one-set-out cross-validation prints how the weights carry to a set they were
not fitted on, beside the weights in use; ``--check`` sets are never fitted on. ``--write``
saves the fit to assistant/answering/ranker.json.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answering.candidates import FEATURES
from assistant.answering.rank import RANKER, Ranker, default_ranker
from assistant.config import Settings
from assistant.evaluation.datasets import AnswerCase, evidence_spans, load_dataset, overlaps
from assistant.runtime import Services

DATASETS = Path(__file__).parent / "datasets"
TRAIN = [
    "answers.jsonl",
    "answers-holdout.jsonl",
    "answers-holdout-2.jsonl",
    "answers-holdout-4.jsonl",
]
CHECK = ["answers-holdout-3.jsonl"]
L2 = 0.01
DECLINE_WEIGHT = 1.5


@dataclass
class Question:
    set: str
    id: str
    answerable: bool
    features: np.ndarray  # candidates × features
    labels: np.ndarray  # 1 where the candidate overlaps the evidence


def collect(services: Services, name: str) -> list[Question]:
    answerer = services.answerer
    questions = []
    for case in load_dataset(DATASETS / name).cases:
        assert isinstance(case, AnswerCase)
        if case.expect_status in ("out_of_scope", "declined") or case.kind == "deadline":
            continue  # decided by rules, not by the ranker's threshold
        spans = evidence_spans(services.corpus, case.evidence)
        read = answerer.read(case.question)
        for asked in read.questions:
            query, _, ranked = answerer.candidates(asked, case.history)
            if not ranked or query.intent != "fact" or query.near:
                continue  # eligibility and topics the call does not cover are decided by rules
            features = np.array([s.candidate.features for s in ranked], dtype=float)
            labels = np.array(
                [
                    float(overlaps(s.sentence.doc_id, s.sentence.start, s.sentence.end, spans))
                    for s in ranked
                ]
            )
            answerable = case.expect_status == "answered"
            questions.append(Question(name, case.id, answerable, features, labels))
    return questions


def _newton(loss_grad_hess, size: int, penalty: np.ndarray) -> np.ndarray:
    theta = np.zeros(size)
    for _ in range(100):
        gradient, hessian = loss_grad_hess(theta)
        step = np.linalg.solve(hessian + penalty, gradient + penalty @ theta)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta


def fit_ranking(questions: list[Question], starts: list[np.ndarray]) -> np.ndarray:
    """The weights that rank an evidence sentence first in the most questions: a softmax over
    each question's candidates (a conditional logit), or the weights in use if they do better,
    gives the start, then coordinate ascent on
    the mean reciprocal rank of the first evidence sentence, which is what choosing the best
    sentence of a question asks for and what the softmax only approximates."""
    rows = [q for q in questions if q.answerable and q.labels.any()]
    size = len(FEATURES)

    def loss_grad_hess(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gradient, hessian = np.zeros(size), np.zeros((size, size))
        for q in rows:
            z = q.features @ theta
            p = np.exp(z - z.max())
            p /= p.sum()
            # The evidence sentences share the target mass: the answer may be any of them.
            target = q.labels / q.labels.sum()
            gradient += q.features.T @ (p - target)
            centred = q.features - p @ q.features
            hessian += (centred * p[:, None]).T @ centred
        return gradient, hessian

    start = [_newton(loss_grad_hess, size, np.eye(size) * L2), *starts]
    weights = max(start, key=lambda w: mrr(rows, w))
    best = mrr(rows, weights)
    for step in (1.0, 0.5, 0.25, 0.1):
        improved = True
        while improved:
            improved = False
            for i in range(size):
                for delta in (step, -step):
                    trial = weights.copy()
                    trial[i] += delta
                    value = mrr(rows, trial)
                    if value > best + 1e-9:
                        weights, best, improved = trial, value, True
    return weights


def mrr(rows: list[Question], weights: np.ndarray) -> float:
    total = 0.0
    for q in rows:
        order = np.argsort(-(q.features @ weights), kind="stable")
        first = int(np.argmax(q.labels[order] > 0))
        total += 1.0 / (first + 1)
    return total / len(rows)


def best_features(q: Question, weights: np.ndarray) -> np.ndarray:
    return q.features[int(np.argmax(q.features @ weights))]


def fit_answering(questions: list[Question], weights: np.ndarray) -> tuple[np.ndarray, float]:
    """A logistic regression: is the question answered, given its best candidate?"""
    x = np.array([best_features(q, weights) for q in questions])
    y = np.array([float(q.answerable and q.labels.any()) for q in questions])
    design = np.hstack([x, np.ones((len(x), 1))])
    penalty = np.eye(design.shape[1]) * L2
    penalty[-1, -1] = 0.0  # the bias is not shrunk

    def loss_grad_hess(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = 1.0 / (1.0 + np.exp(-(design @ theta)))
        return design.T @ (p - y), (design * (p * (1 - p))[:, None]).T @ design

    theta = _newton(loss_grad_hess, design.shape[1], penalty)
    return theta[:-1], float(theta[-1])


def top_hit(questions: list[Question], weights: np.ndarray) -> float:
    rows = [q for q in questions if q.answerable and q.labels.any()]
    hits = [q.labels[int(np.argmax(q.features @ weights))] for q in rows]
    return float(np.mean(hits)) if hits else float("nan")


def answering_probability(q: Question, ranker: Ranker) -> float:
    best = best_features(q, np.array(ranker.weights))
    z = ranker.answer_bias + float(best @ np.array(ranker.answer_weights))
    return 1.0 / (1.0 + np.exp(-z))


def threshold(questions: list[Question], ranker: Ranker) -> float:
    """The answering probability that best tells answerable questions from the rest."""
    best = [(answering_probability(q, ranker), q.answerable) for q in questions]
    grid = np.linspace(0.05, 0.95, 91)

    def right(t: float) -> float:
        # Answering what the sources do not say misleads; declining what they do only sends
        # the candidate to the contact address: the first error counts more.
        return sum(
            (1.0 if answerable else DECLINE_WEIGHT) * ((p >= t) == answerable)
            for p, answerable in best
        )

    return float(max(grid, key=lambda t: (right(t), -abs(t - 0.5))))


def decided_right(questions: list[Question], ranker: Ranker) -> float:
    return float(
        np.mean(
            [
                (answering_probability(q, ranker) >= ranker.threshold) == q.answerable
                for q in questions
            ]
        )
    )


def keep_share(questions: list[Question], weights: np.ndarray) -> float:
    """The softmax share of the best candidate's weight a further sentence needs: evidence
    gained against sentences quoted that are not evidence."""
    rows = [q for q in questions if q.answerable and q.labels.any()]

    def value(keep: float) -> float:
        total = 0.0
        for q in rows:
            z = q.features @ weights
            share = np.exp(z - z.max())
            order = np.argsort(-share)[:3]
            chosen = [i for i in order if share[i] >= keep]
            total += q.labels[chosen].max() - 0.25 * (1 - q.labels[chosen]).sum() / 3
        return total

    return float(max(np.linspace(0.05, 0.95, 19), key=value))


def fit(questions: list[Question], start: Ranker) -> Ranker:
    weights = fit_ranking(questions, [np.array(start.weights)])
    answer_weights, answer_bias = fit_answering(questions, weights)
    ranker = Ranker(tuple(weights), tuple(answer_weights), answer_bias, 0.5, 0.5)
    return Ranker(
        ranker.weights,
        ranker.answer_weights,
        answer_bias,
        threshold(questions, ranker),
        keep_share(questions, weights),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", nargs="*", default=TRAIN)
    parser.add_argument("--check", nargs="*", default=CHECK)
    parser.add_argument("--write", action="store_true", help=f"save the fit to {RANKER}")
    args = parser.parse_args()
    services = Services(Settings())
    by_set = {name: collect(services, name) for name in [*args.train, *args.check]}
    current = default_ranker()
    print(
        f"{'held out':26} {'questions':>9} {'top-1':>7} {'top-1':>7} {'decided':>8} {'decided':>8}"
    )
    print(f"{'':26} {'':>9} {'in use':>7} {'fitted':>7} {'in use':>8} {'fitted':>8}")
    for held in [*args.train, *args.check]:
        fitted = fit([q for name in args.train if name != held for q in by_set[name]], current)
        rows = by_set[held]
        print(
            f"{held:26} {len(rows):9d} {top_hit(rows, np.array(current.weights)):7.3f} "
            f"{top_hit(rows, np.array(fitted.weights)):7.3f} "
            f"{decided_right(rows, current):8.3f} {decided_right(rows, fitted):8.3f}"
        )
    ranker = fit([q for name in args.train for q in by_set[name]], current)
    print(f"\n{'feature':16} {'ranking':>8} {'answering':>10}")
    for name, w, a in zip(FEATURES, ranker.weights, ranker.answer_weights, strict=True):
        print(f"{name:16} {w:+8.3f} {a:+10.3f}")
    print(f"{'bias':16} {'':8} {ranker.answer_bias:+10.3f}")
    print(f"threshold {ranker.threshold:.3f}, keep {ranker.keep:.2f}")
    if args.write:
        RANKER.write_text(
            json.dumps(
                {
                    "features": list(FEATURES),
                    "weights": [round(w, 6) for w in ranker.weights],
                    "answer_weights": [round(w, 6) for w in ranker.answer_weights],
                    "answer_bias": round(ranker.answer_bias, 6),
                    "threshold": round(ranker.threshold, 4),
                    "keep": round(ranker.keep, 3),
                    "fitted_on": args.train,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {RANKER}")


if __name__ == "__main__":
    main()
