"""Retrieval benchmark: BM25 alone, dense alone and hybrid fusions on the labelled query set.

Prints, per method, the ranking scores of `assistant eval` (BEIR recall@1/@5, MRR@10, nDCG@5,
and hit@1/@5: a relevant passage in the first k) and query latency p50/p95; then the index
build time and peak memory of a cold `assistant index --rebuild` in a child process.

    python eval/bench_retrieval.py [--dataset eval/datasets/retrieval.jsonl] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.evaluation.checks import RANKING_DEPTH, ranking_scores
from assistant.evaluation.datasets import (
    DATASETS_DIR,
    Judge,
    RetrievalCase,
    load_dataset,
    passage_key,
)
from assistant.evaluation.metrics import mean, percentile
from assistant.runtime import Services
from retrieval.hybrid import HybridRetriever

METHODS: dict[str, dict[str, Any]] = {
    "bm25": {"mode": "bm25"},
    "dense": {"mode": "dense"},
    "hybrid rrf (1:1)": {
        "mode": "hybrid",
        "fusion": "rrf",
        "bm25_weight": 1.0,
        "dense_weight": 1.0,
    },
    "hybrid rrf (1:2)": {
        "mode": "hybrid",
        "fusion": "rrf",
        "bm25_weight": 1.0,
        "dense_weight": 2.0,
    },
    "hybrid weighted (1:1)": {
        "mode": "hybrid",
        "fusion": "weighted",
        "bm25_weight": 1.0,
        "dense_weight": 1.0,
    },
    "hybrid weighted (1:2)": {
        "mode": "hybrid",
        "fusion": "weighted",
        "bm25_weight": 1.0,
        "dense_weight": 2.0,
    },
    "hybrid weighted (1:3)": {
        "mode": "hybrid",
        "fusion": "weighted",
        "bm25_weight": 1.0,
        "dense_weight": 3.0,
    },
}


def build_cold(data_dir: Path) -> dict[str, float]:
    """Time and peak memory of a full build in a fresh process, as a user would run it."""
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant", "index", "--rebuild"],
        env=env,
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"build_seconds": round(seconds, 2), "build_peak_mib": round(peak_kib / 1024, 1)}


def evaluate(
    retriever: HybridRetriever, queries: list[RetrievalCase], judge: Judge
) -> dict[str, float]:
    """The scores `assistant eval` gives a ranking, averaged, and the query latency."""
    rows: dict[str, list[float]] = {}
    latencies = []
    for query in queries:
        relevant = judge.relevant_passages(query.relevant)
        started = time.perf_counter()
        results = retriever.rank(query.query, k=RANKING_DEPTH)
        latencies.append((time.perf_counter() - started) * 1000)
        ranked = [
            passage_key(d.metadata["doc_id"], d.metadata["start"], d.metadata["end"])
            for d in results
        ]
        for name, value in ranking_scores(ranked, relevant).items():
            rows.setdefault(name, []).append(value)
    summary = {name: round(mean(values), 3) for name, values in rows.items()}
    summary["p50_ms"] = round(percentile(latencies, 50), 1)
    summary["p95_ms"] = round(percentile(latencies, 95), 1)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=DATASETS_DIR / "retrieval.jsonl")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    queries = [c for c in load_dataset(args.dataset).cases if isinstance(c, RetrievalCase)]

    with tempfile.TemporaryDirectory() as tmp:
        build = build_cold(Path(tmp))
        services = Services(Settings(data_dir=Path(tmp)))
        base = services.retriever
        base.rank("warm-up query")  # load the model before timing
        judge = Judge(services.corpus)
        results = {
            name: evaluate(base.model_copy(update=params), queries, judge)
            for name, params in METHODS.items()
        }
        passages = len(base.passages)

    if args.json:
        print(
            json.dumps(
                {"queries": len(queries), "passages": passages, **build, "methods": results},
                indent=2,
            )
        )
        return
    print(f"{len(queries)} queries over {passages} passages ({args.dataset.name})")
    columns = list(next(iter(results.values())))
    print(f"{'method':24}" + "".join(f"{c:>10}" for c in columns))
    for name, summary in results.items():
        print(f"{name:24}" + "".join(f"{summary[c]:>10}" for c in columns))
    seconds, peak = build["build_seconds"], build["build_peak_mib"]
    print(f"index build (cold process, --rebuild): {seconds} s, peak RSS {peak} MiB")


if __name__ == "__main__":
    main()
