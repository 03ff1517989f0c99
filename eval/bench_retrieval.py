"""Retrieval benchmark: BM25 alone, dense alone and hybrid fusions on the labelled query set.

Prints, per method, hit@1, hit@5 (a relevant passage in the first k), BEIR recall@1/@5,
MRR@10, nDCG@5 and query latency p50/p95; then the index build time and peak memory of a
cold `assistant index --rebuild` in a child process.

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
from assistant.evaluation.datasets import (
    DATASETS_DIR,
    Evidence,
    evidence_spans,
    overlaps,
    read_jsonl,
)
from assistant.evaluation.metrics import (
    hit_at,
    mean,
    ndcg_at,
    percentile,
    recall_at,
    reciprocal_rank,
)
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
    retriever: HybridRetriever, queries: list[dict[str, Any]], services: Services
) -> dict[str, float]:
    rows: dict[str, list[float]] = {
        k: [] for k in ("hit@1", "hit@5", "recall@1", "recall@5", "mrr@10", "ndcg@5")
    }
    latencies = []
    for query in queries:
        spans = evidence_spans(services.corpus, [Evidence(**e) for e in query["relevant"]])
        relevant = {
            str(p.id)
            for p in retriever.passages
            if overlaps(p.metadata["doc_id"], p.metadata["start"], p.metadata["end"], spans)
        }
        started = time.perf_counter()
        results = retriever.rank(query["query"], k=10)
        latencies.append((time.perf_counter() - started) * 1000)
        ranked = [str(d.id) for d in results]
        rows["hit@1"].append(hit_at(ranked, relevant, 1))
        rows["hit@5"].append(hit_at(ranked, relevant, 5))
        rows["recall@1"].append(recall_at(ranked, relevant, 1))
        rows["recall@5"].append(recall_at(ranked, relevant, 5))
        rows["mrr@10"].append(reciprocal_rank(ranked, relevant, 10))
        rows["ndcg@5"].append(ndcg_at(ranked, relevant, 5))
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
    queries = read_jsonl(args.dataset)

    with tempfile.TemporaryDirectory() as tmp:
        build = build_cold(Path(tmp))
        services = Services(Settings(data_dir=Path(tmp)))
        base = services.retriever
        base.rank("warm-up query")  # load the model before timing
        results = {
            name: evaluate(base.model_copy(update=params), queries, services)
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
