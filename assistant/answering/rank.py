"""Rank: two linear models over the candidates' features, their weights in ``ranker.json``.

- the ranking model gives each candidate a score; a softmax over a question's candidates makes
  it a share of the best one's, which decides which further sentences are quoted too;
- the answering model gives the probability that the best candidate answers the question at
  all, against a threshold.

``eval/fit_ranker.py`` fits both on the labelled sets (a conditional logit refined by
coordinate ascent on the rank of the evidence; a logistic regression), cross-validates across
the sets, and writes this file with ``--write``. The file names what its weights come from:
today the weights set by hand before fitting, because no fit has yet beaten them end to end on
the sets it was not fitted on (README, Evaluation). The code reads whichever the file holds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.answering.candidates import FEATURES, Candidate
from retrieval.sentence_index import Sentence

RANKER = Path(__file__).with_name("ranker.json")


@dataclass(frozen=True)
class Ranker:
    weights: tuple[float, ...]  # ranking model, in the order of candidates.FEATURES
    answer_weights: tuple[float, ...]  # answering model, over the best candidate's features
    answer_bias: float
    threshold: float  # the answering probability below which the sources do not answer
    keep: float  # a further sentence is quoted too when its softmax share is this close

    def score(self, candidate: Candidate) -> float:
        return sum(w * x for w, x in zip(self.weights, candidate.features, strict=True))

    def answerable(self, best: Candidate) -> float:
        """The probability that the question is answered, given its best candidate."""
        z = self.answer_bias + sum(
            w * x for w, x in zip(self.answer_weights, best.features, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    @classmethod
    def from_file(cls, path: Path) -> Ranker:
        data = json.loads(path.read_text(encoding="utf-8"))
        names = tuple(data["features"])
        if names != FEATURES:
            raise ValueError(f"{path} was fitted on features {names}, not {FEATURES}: refit it")
        return cls(
            weights=tuple(float(w) for w in data["weights"]),
            answer_weights=tuple(float(w) for w in data["answer_weights"]),
            answer_bias=float(data["answer_bias"]),
            threshold=float(data["threshold"]),
            keep=float(data["keep"]),
        )


@cache
def default_ranker() -> Ranker:
    return Ranker.from_file(RANKER)


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    score: float  # the candidate's share of the best one's softmax weight: 1.0 for the best

    @property
    def sentence(self) -> Sentence:
        return self.candidate.sentence

    @property
    def similarity(self) -> float:
        return self.candidate.get("similarity")

    @property
    def coverage(self) -> float:
        return self.candidate.get("coverage")

    @property
    def shaped(self) -> bool:
        return bool(self.candidate.get("shaped"))


def rank(candidates: list[Candidate], ranker: Ranker) -> list[Scored]:
    if not candidates:
        return []
    raw = [ranker.score(c) for c in candidates]
    best = max(raw)
    scored = [Scored(c, math.exp(r - best)) for c, r in zip(candidates, raw, strict=True)]
    return sorted(scored, key=lambda s: (-s.score, s.sentence.doc_id, s.sentence.start))


# Kinds of answer whose shape is specific enough to pick the sentences that can answer at all.
EXACT_KINDS = ("amount", "percentage", "person")


def of_kind(answer_type: str | None, ranked: list[Scored], ranker: Ranker) -> list[Scored]:
    """ "Who leads …?" is answered by a sentence that names someone, "how much …" by an amount:
    where such sentences are among the candidates, they are the candidates, however much more
    alike another one reads."""
    if answer_type not in EXACT_KINDS:
        return ranked
    shaped = [s for s in ranked if s.shaped]
    return rank([s.candidate for s in shaped], ranker) if shaped else ranked
