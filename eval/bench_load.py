"""Load benchmark: concurrent clients asking the evaluation questions over HTTP.

Starts `assistant serve --workers N` on a free loopback port (over the index in
ASSISTANT_DATA_DIR, or --data-dir; build it first with `assistant index`), or targets --url.
Each client keeps one connection and asks the questions of eval/datasets/answers.jsonl in
turn, from a different start, for --duration seconds. Prints throughput, latency
percentiles, errors and status counts.

    python eval/bench_load.py [--clients 50] [--duration 60] [--workers 2] [--url URL] [--json]

The rate limit is turned off for the server it starts: every client comes from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's server helpers, shared on purpose

from servers import api_server  # noqa: E402

QUESTIONS = ROOT / "eval" / "datasets" / "answers.jsonl"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def questions(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [row["question"] for row in rows]


async def client_loop(
    index: int,
    url: str,
    asked: list[str],
    deadline: float,
    latencies: list[float],
    statuses: Counter[str],
) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        i = index * 7  # each client starts elsewhere in the list
        while time.monotonic() < deadline:
            question = asked[i % len(asked)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.post("/api/chat", json={"message": question})
                statuses[str(response.status_code)] += 1
            except httpx.HTTPError as exc:
                statuses[type(exc).__name__] += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)


async def run(url: str, clients: int, duration: float, asked: list[str]) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    started = time.monotonic()
    deadline = started + duration
    await asyncio.gather(
        *(client_loop(i, url, asked, deadline, latencies, statuses) for i in range(clients))
    )
    elapsed = time.monotonic() - started
    total = sum(statuses.values())
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "throughput_rps": round(total / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies, default=float("nan")), 1),
        "errors": total - statuses["200"],
        "statuses": dict(sorted(statuses.items())),
    }


async def warm_up(url: str, asked: list[str]) -> None:
    # Every worker embeds a question once before the clock starts; a few rounds reach both.
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for question in asked[:8]:
            await client.post("/api/chat", json={"message": question})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an API already running (default: start one)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, help="ASSISTANT_DATA_DIR of the server")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    asked = questions(args.questions)
    server = None
    url = args.url
    if url is None:
        env = {"ASSISTANT_RATE_LIMIT_PER_MINUTE": "0"}
        if args.data_dir:
            env["ASSISTANT_DATA_DIR"] = str(args.data_dir.resolve())
        server = api_server(env, Path(tempfile.mkdtemp(prefix="bench-load-")), workers=args.workers)
        server.start(timeout=600)
        # Ready means every worker has loaded: ask until a run of answers says so.
        server.wait_until(
            lambda: all(server.get("/readyz").status_code == 200 for _ in range(2 * args.workers)),
            600,
        )
        url = server.url
    try:
        asyncio.run(warm_up(url, asked))
        result = asyncio.run(run(url, args.clients, args.duration, asked))
    finally:
        if server is not None:
            server.stop()
    result = {
        "target": args.url or f"assistant serve --workers {args.workers} (loopback)",
        "questions": len(asked),
        "cpus": os.cpu_count(),
        **result,
    }
    if args.json:
        print(json.dumps(result))
        return
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
