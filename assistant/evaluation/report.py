"""The self-contained HTML report of a run: headline metrics, tables per kind (and per language
when the cases name theirs), charts as embedded PNGs, latency, and every failed case beside what
was expected. No external resource: it opens from a CI artifact or an e-mail attachment as it
is."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape

from assistant.evaluation.plots import charts
from assistant.evaluation.results import AnswerResult, AnyResult, ProfileResult, RetrievalResult
from assistant.evaluation.summary import METRICS, Summary

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 8px;
vertical-align:top;text-align:left}th{background:#f4f4f4}td.n{text-align:right;
font-variant-numeric:tabular-nums}.ok{color:#1a7f37}.bad{color:#c62828;font-weight:600}
.pre{white-space:pre-wrap}.small{font-size:12px;color:#555}code{font-size:12px}
table.cases td{max-width:380px}img{max-width:100%}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """A table of already-escaped cells."""
    header = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(rows_cells) + "</tr>" for rows_cells in rows)
    return f'<table class="{cls}"><tr>{header}</tr>{body}</table>'


def _num(value: float | None) -> str:
    return f'<td class="n">{_figure(value)}</td>'


def _td(text: str, cls: str = "") -> str:
    return f'<td class="{cls}">{text}</td>'


def render_report(summary: Summary, results: Sequence[AnyResult]) -> str:
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Evaluation: {_e(summary.target)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Evaluation of {_e(summary.target)}</h1>",
        _header(summary),
        _headline(summary),
        _kinds(summary),
        _languages(summary),
        _charts(summary, results),
        _latency(summary),
        _answer_failures([r for r in results if isinstance(r, AnswerResult)]),
        _retrieval_failures([r for r in results if isinstance(r, RetrievalResult)]),
        _precheck_failures([r for r in results if isinstance(r, ProfileResult)]),
        _skipped(results),
        "</body></html>",
    ]
    return "\n".join(parts)


def _header(summary: Summary) -> str:
    sets = ", ".join(f"{_e(d.path)} ({d.cases} {d.set})" for d in summary.datasets)
    lines = [
        f"Started {_e(summary.started_at.isoformat(timespec='seconds'))}, "
        f"{summary.seconds:.1f} s; clock for cases without their own: "
        f"{_e(summary.now.isoformat(timespec='seconds'))}.",
        f"Sets: {sets}.",
    ]
    if summary.gate is not None:
        verdict = (
            '<span class="ok">passed</span>'
            if summary.gate.passed
            else '<span class="bad">failed</span>: ' + _e("; ".join(summary.gate.failures))
        )
        lines.append(f"Gate: {verdict}.")
    return "".join(f"<p>{line}</p>" for line in lines)


def _headline(summary: Summary) -> str:
    thresholds = summary.gate.thresholds if summary.gate else {}
    failing = (
        {f.split(" ")[0].rstrip(":") for f in summary.gate.failures} if summary.gate else set()
    )
    rows = []
    for set_name, names in METRICS.items():
        if set_name not in summary.counts:
            continue
        c = summary.counts[set_name]
        counts = f"{c.cases} cases, {c.ran} run, {c.skipped} skipped, {c.errors} errors"
        for i, name in enumerate(names):
            cls = "bad" if name in failing else ""
            rows.append(
                [
                    _td(
                        _e(set_name) + f'<br><span class="small">{counts}</span>' if i == 0 else ""
                    ),
                    _td(_e(name), cls),
                    _num(summary.metrics.get(name)),
                    _td(_e(thresholds.get(name, ""))),
                ]
            )
    return "<h2>Metrics</h2>" + _table(["set", "metric", "value", "gate"], rows)


def _kinds(summary: Summary) -> str:
    parts = ["<h2>By kind</h2>"]
    for set_name, kinds in summary.by_kind.items():
        names = METRICS[set_name]
        rows = [
            [_td(_e(kind)), _td(str(item.cases))] + [_num(item.metrics.get(n)) for n in names]
            for kind, item in kinds.items()
        ]
        parts.append(f"<h3>{_e(set_name)}</h3>")
        parts.append(_table(["kind", "cases", *(_e(n) for n in names)], rows))
    return "".join(parts)


def _languages(summary: Summary) -> str:
    # Only a set whose cases name their language has these figures: an English-only run shows
    # no section rather than one row repeating the headline metrics.
    if not summary.by_lang:
        return ""
    parts = ["<h2>By language</h2>"]
    for set_name, languages in summary.by_lang.items():
        names = METRICS[set_name]
        rows = [
            [_td(_e(lang)), _td(str(item.cases))] + [_num(item.metrics.get(n)) for n in names]
            for lang, item in languages.items()
        ]
        parts.append(f"<h3>{_e(set_name)}</h3>")
        parts.append(_table(["language", "cases", *(_e(n) for n in names)], rows))
    return "".join(parts)


def _charts(summary: Summary, results: Sequence[AnyResult]) -> str:
    made = charts(summary, results)
    if not made:
        return "<h2>Charts</h2><p>Not drawn: install matplotlib (the <code>eval</code> extra).</p>"
    images = [
        f"<h3>{_e(title)}</h3><img alt='{_e(title)}' "
        f"src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'>"
        for title, png in made.items()
    ]
    return "<h2>Charts</h2>" + "".join(images)


def _latency(summary: Summary) -> str:
    rows = [
        [_td(_e(stage)), _td(str(f.n)), _num(f.p50), _num(f.p95), _num(f.max)]
        for stage, f in summary.latency_ms.items()
    ]
    note = (
        '<p class="small">retrieve, compose and total are measured by the answerer; request '
        "is the client's time for a whole answer (over HTTP: the round trip); search is one "
        "ranking.</p>"
    )
    return "<h2>Latency (ms)</h2>" + _table(["stage", "n", "p50", "p95", "max"], rows) + note


def _list(items: Iterable[str]) -> str:
    return "<br>".join(items)


def _answer_failures(results: list[AnswerResult]) -> str:
    failed = [r for r in results if r.passed is False]
    rows = []
    for r in failed:
        history = _list(f"<i>{_e(t.role)}:</i> {_e(t.content)}" for t in r.history)
        tag = f"{r.kind}, {r.lang}" if r.lang else r.kind
        case = f"<b>{_e(r.id)}</b> [{_e(tag)}]<br>{_e(r.question)}" + (
            f'<div class="small">{history}</div>' if history else ""
        )
        expected = _list(
            [
                f"status: <b>{_e(r.expect_status)}</b>",
                *(f"must match <code>{_e(p)}</code>" for p in r.must_contain),
                *(f"must not match <code>{_e(p)}</code>" for p in r.must_not_contain),
                *(f"cite “{_e(ev.quote)}” ({_e(ev.doc_id)})" for ev in r.evidence),
            ]
        )
        cites = _list(f"[{c.id}] {_e(c.section)}: “{_e(c.quote)}”" for c in r.citations)
        got = f"status: <b>{_e(r.status)}</b><div class='pre'>{_e(r.answer or r.error or '')}</div>"
        if cites:
            got += f'<div class="small">{cites}</div>'
        why = _list(
            [
                *(_e(name) for name in r.failed),
                *(f"missing <code>{_e(p)}</code>" for p in r.missing),
                *(f"forbidden <code>{_e(p)}</code>" for p in r.forbidden),
            ]
        )
        rows.append([_td(case), _td(expected), _td(got), _td(why, "bad")])
    head = f"<h2>Failed questions ({len(failed)} of {len(results)})</h2>"
    return head + _table(["question", "expected", "answer", "failed"], rows, "cases")


def _retrieval_failures(results: list[RetrievalResult]) -> str:
    if not results:
        return ""
    failed = [r for r in results if r.passed is False]
    rows = []
    for r in failed:
        expected = _list(f"“{_e(ev.quote)}” ({_e(ev.doc_id)})" for ev in r.relevant)
        got = _list(
            f"{rank}. {_e(h.section)} <code>{_e(h.doc_id)}:{h.start}-{h.end}</code>"
            for rank, h in enumerate(r.ranked[:5], start=1)
        )
        rank = f"first relevant at {r.relevant_ranks[0]}" if r.relevant_ranks else "not in top 10"
        rows.append(
            [
                _td(f"<b>{_e(r.id)}</b> [{_e(r.kind)}]<br>{_e(r.query)}"),
                _td(expected),
                _td(got or _e(r.error or "")),
                _td(_e(rank), "bad"),
            ]
        )
    head = (
        "<h2>Queries without a relevant passage in the top 5 "
        f"({len(failed)} of {len(results)})</h2>"
    )
    return head + _table(["query", "relevant evidence", "top 5", "rank"], rows, "cases")


def _precheck_failures(results: list[ProfileResult]) -> str:
    if not results:
        return ""
    failed = [r for r in results if r.passed is False]
    rows = []
    for r in failed:
        wrong = [
            f"{_e(cid)}: expected {_e(status)}, got {_e(r.statuses.get(cid, 'nothing'))}"
            for cid, status in r.expected.items()
            if r.statuses.get(cid) != status
        ]
        rows.append(
            [
                _td(f"<b>{_e(r.id)}</b><br>{_e(r.note or '')}"),
                _td(f"expected {_e(r.expected_verdict)}, got {_e(r.verdict or r.error)}"),
                _td(_list(wrong), "bad"),
            ]
        )
    head = f"<h2>Pre-check profiles with a wrong result ({len(failed)} of {len(results)})</h2>"
    return head + _table(["profile", "verdict", "criteria"], rows, "cases")


def _skipped(results: Sequence[AnyResult]) -> str:
    skipped = [r for r in results if r.skipped is not None]
    if not skipped:
        return ""
    rows = [[_td(_e(r.set)), _td(_e(r.id)), _td(_e(r.skipped))] for r in skipped]
    return f"<h2>Skipped ({len(skipped)})</h2>" + _table(["set", "case", "why"], rows)
