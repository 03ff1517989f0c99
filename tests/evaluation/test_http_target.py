"""The HTTP target: a real `assistant serve` gives the same results as the pipeline in process;
rate limits are waited out; a server without a route or out of reach is reported cleanly."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from evaluation_support import NOW
from servers import free_port, start_api
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.evaluation.datasets import DATASETS_DIR, Dataset, Judge, load_dataset
from assistant.evaluation.results import AnswerResult, AnyResult
from assistant.evaluation.runner import run_sets
from assistant.evaluation.targets import HttpTarget, LocalTarget, retry_after
from assistant.runtime import Services
from retrieval.corpus import Corpus

# A few cases of each set, including one of each that needs its own clock.
ANSWERS = {"a001", "a004", "a150", "a168"}
QUERIES = {"r001", "r003", "r010"}
PROFILES = {"eligible-belgian", "call-open-clock-ongoing-job"}


def subsets() -> list[Dataset]:
    wanted = {"answers": ANSWERS, "retrieval": QUERIES, "precheck": PROFILES}
    sets = []
    for name in ("answers", "retrieval", "precheck"):
        full = load_dataset(DATASETS_DIR / f"{name}.jsonl")
        cases = [c for c in full.cases if c.id in wanted[name]]
        assert len(cases) == len(wanted[name]), name
        sets.append(Dataset(path=full.path, set=full.set, cases=cases))
    return sets


def comparable(result: AnyResult) -> dict[str, object]:
    """What both targets must agree on: everything but times and the clock."""
    return result.model_dump(exclude={"timings_ms", "now"})


@pytest.mark.server
def test_a_server_is_measured_like_the_pipeline(
    services: Services, indexed_settings: Settings, tmp_path: Path
) -> None:
    sets = subsets()
    judge = Judge(services.corpus)
    env = {"ASSISTANT_DATA_DIR": str(indexed_settings.data_dir)}
    with start_api(env, logs=tmp_path) as api:
        target = HttpTarget(api.url)
        try:
            remote, remote_results = run_sets(sets, target, judge, now=NOW)
        finally:
            target.close()
    local, local_results = run_sets(sets, LocalTarget(services), judge, now=NOW)

    skipped = {r.id for r in remote_results if r.skipped is not None}
    # A server answers at its own time: cases with their own clock are skipped, and said why.
    assert skipped == {"a168", "call-open-clock-ongoing-job"}
    assert all("needs the clock at" in (r.skipped or "") for r in remote_results if r.skipped)
    assert remote.counts["answers"].skipped == 1
    assert remote.target == api.url
    by_id = {r.id: r for r in local_results}
    for result in remote_results:
        if result.skipped is None:
            assert comparable(result) == comparable(by_id[result.id]), result.id
    for name in ("recall@1", "recall@5", "mrr@10", "ndcg@5", "precheck_accuracy"):
        assert remote.metrics[name] == local.metrics[name], name
    answered = [r for r in remote_results if isinstance(r, AnswerResult) and r.skipped is None]
    assert all(r.answer and r.timings_ms["request"] >= r.timings_ms["total"] for r in answered)
    assert {"retrieve", "compose", "total", "request", "search"} == set(remote.latency_ms)


class _Flaky(BaseHTTPRequestHandler):
    """A server that rate-limits the first search and has no pre-check route."""

    searches = 0

    def do_GET(self) -> None:
        self._reply(200, {"status": "ok"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        if self.path == "/api/search":
            type(self).searches += 1
            if type(self).searches == 1:
                self._reply(429, {"detail": "slow down"}, {"Retry-After": "0"})
            else:
                self._reply(200, [])
        else:
            self._reply(404, {"detail": "Not Found"})

    def _reply(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {"content-type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def flaky_server() -> Iterator[str]:
    _Flaky.searches = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_rate_limits_are_waited_out_and_missing_routes_skipped(
    flaky_server: str, corpus: Corpus
) -> None:
    sets = subsets()[1:]  # retrieval and pre-check
    sets[0] = Dataset(path=sets[0].path, set="retrieval", cases=sets[0].cases[:1])
    target = HttpTarget(flaky_server)
    summary, results = run_sets(sets, target, Judge(corpus), now=NOW)
    target.close()
    assert _Flaky.searches == 2  # refused once with 429, then asked again
    ranking = results[0]
    assert ranking.error is None
    assert ranking.failed == ["found@5"]  # an empty ranking finds nothing, but is no error
    reasons = {r.id: r.skipped for r in results[1:]}
    assert reasons["eligible-belgian"] == f"{flaky_server} has no /api/precheck"
    assert summary.counts["precheck"].skipped == len(PROFILES)
    assert summary.metrics["precheck_accuracy"] is None  # nothing ran: not measured


@pytest.mark.parametrize(
    ("header", "seconds"),
    [(None, 1.0), ("3", 3.0), ("-5", 0.0), ("1000", 60.0), ("soon", 1.0)],
)
def test_retry_after_is_read_and_capped(header: str | None, seconds: float) -> None:
    assert retry_after(header, cap=60.0) == seconds


def test_an_unreachable_server_exits_7(tmp_path: Path) -> None:
    profiles = tmp_path / "p.jsonl"
    profiles.write_text((DATASETS_DIR / "precheck.jsonl").read_text().splitlines()[0] + "\n")
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(app, ["eval", str(profiles), "--target", url])
    assert result.exit_code == 7, result.output
    assert f"cannot reach {url}" in result.stderr
    assert "Traceback" not in result.output
