"""The ``assistant`` command: a thin layer over the domain; errors become clean messages."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError

from assistant.config import Settings
from assistant.db.cli import db_app
from assistant.evaluation.cli import eval_app
from assistant.evaluation.errors import ItemFailed
from assistant.failure import fail
from assistant.feedback.cli import feedback_app
from assistant.runtime import Services
from assistant.staff.cli import staff_app
from assistant.validation import field_problems
from retrieval.errors import (
    AssistantError,
    InvalidQuery,
)

if TYPE_CHECKING:
    from assistant.answering.models import Answer

M = TypeVar("M", bound=BaseModel)

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Answers questions about the call EC-2025-HOME-01 from its text, with citations.",
)
app.add_typer(eval_app, name="eval")
app.add_typer(staff_app, name="staff")
app.add_typer(db_app, name="db")
app.add_typer(feedback_app, name="feedback")

# Domain errors -> exit codes, in this one place.


@app.command()
def index(
    rebuild: Annotated[
        bool, typer.Option(help="Drop the index and embed everything again.")
    ] = False,
) -> None:
    """Build or update the search index (only changed documents are embedded)."""
    services = Services(Settings())
    try:
        report = services.build_index(rebuild=rebuild, progress=sys.stderr.isatty())
    except AssistantError as error:
        fail(error)
    changes = [
        f"{label}: {', '.join(ids)}"
        for label, ids in (
            ("added", report.added),
            ("updated", report.updated),
            ("removed", report.removed),
            ("unchanged", report.unchanged),
        )
        if ids
    ]
    prefix = "Rebuilt. " if report.rebuilt else ""
    typer.echo(
        f"{prefix}Embedded {report.passages_embedded} passages in {report.seconds:.1f}s "
        f"({'; '.join(changes)})."
    )
    export = report.query_model
    if export is not None and export.folder is None:
        typer.echo(f"Query model not exported ({export.problem}): questions use torch.")
    elif export is not None and export.exported:
        typer.echo(f"Exported the query model to {export.folder} in {export.seconds:.1f}s.")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    k: Annotated[int | None, typer.Option("-k", min=1, max=50, help="How many passages.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the passages of the corpus that best match QUERY."""
    services = Services(Settings())
    try:
        results = services.retriever.rank(query, k=k)
    except AssistantError as error:
        fail(error)
    if as_json:
        rows = [
            {
                "doc_id": d.metadata["doc_id"],
                "section": d.metadata["section"],
                "text": d.page_content,
                "start": d.metadata["start"],
                "end": d.metadata["end"],
                "score": d.metadata["score"],
                "title": d.metadata["title"],
                "kind": d.metadata["kind"],
                "bm25_rank": d.metadata["bm25_rank"],
                "dense_rank": d.metadata["dense_rank"],
            }
            for d in results
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not results:
        typer.echo("No passage matches.")
    for rank, d in enumerate(results, start=1):
        m = d.metadata
        where = f"[{m['start']}:{m['end']}]"
        typer.secho(
            f"{rank}. {m['doc_id']} › {m['section']}  {where}  score {m['score']:.4f}", bold=True
        )
        typer.echo("   " + d.page_content.replace("\n", "\n   "))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question about the call.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    url: Annotated[
        str | None,
        typer.Option(
            help="Ask a running server (e.g. http://127.0.0.1:8000) rather than loading the "
            "index and the model in this process."
        ),
    ] = None,
) -> None:
    """Answer QUESTION from the call's text, citing the sentences it relies on."""
    if url is not None:
        answer = _ask_server(url, question)
        typer.echo(answer.model_dump_json(indent=2) if as_json else render_answer(answer))
        return
    services = Services(Settings())
    try:
        # Checked before the answerer is built (it embeds every sentence): bad input fails fast.
        services.retriever.validate_query(question)
        answer = services.answerer.answer(question, now=services.clock())
    except AssistantError as error:
        fail(error)
    if as_json:
        typer.echo(answer.model_dump_json(indent=2))
        return
    typer.echo(render_answer(answer))


def _ask_server(url: str, question: str) -> Answer:
    from assistant.evaluation.targets import HttpTarget

    target = HttpTarget(url, timeout=Settings().request_timeout_seconds + 5)
    try:
        answer, _ = target.answer(question, [], now=datetime.now(UTC))
    except AssistantError as error:
        fail(error)
    except ItemFailed as error:  # the server refused the question: it says why
        fail(InvalidQuery(str(error)))
    finally:
        target.close()
    return answer


def render_answer(answer: Answer) -> str:
    """The answer, then its numbered sources (quotes on one line; --json keeps them exact)."""
    lines = [answer.answer]
    if answer.citations:
        lines += ["", "Sources:"]
        lines += [f"[{c.id}] {c.section} — “{' '.join(c.quote.split())}”" for c in answer.citations]
    return "\n".join(lines)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (each loads the model).")
    ] = 1,
) -> None:
    """Serve the HTTP API; its documentation is at /docs."""
    # Imported here so that `assistant --help` and the other commands stay fast.
    import uvicorn

    from assistant.api.log import uvicorn_log_config

    if workers > 1:
        # Each worker loads its own model: share the cores out rather than oversubscribe them.
        threads = max(1, (os.cpu_count() or 1) // workers)
        os.environ.setdefault("ASSISTANT_EMBEDDING_THREADS", str(threads))
    # Said first, for whoever started it: where to go (the server's own log is JSON lines).
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{f'[{shown}]' if ':' in shown else shown}:{port}"
    typer.echo(
        f"Serving on {base} (ready once GET /readyz says so):\n"
        f"  widget demo  {base}/\n  helpdesk     {base}/helpdesk\n  feedback     {base}/feedback\n"
        f"  API docs     {base}/docs\n"
        "  (helpdesk and feedback are for staff: `assistant staff add EMAIL` makes an account)",
        err=True,
    )
    uvicorn.run(
        "assistant.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=uvicorn_log_config(),
        access_log=False,  # the app logs each request itself, as JSON with its request id
        # uvicorn's 5 s default kills a worker that is only slow: one loading the model or
        # embedding while the machine is busy, dropping the requests it holds.
        timeout_worker_healthcheck=Settings().worker_healthcheck_seconds,
    )


@app.command()
def precheck(
    profile: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A JSON file: your declared profile (its fields: /docs of `assistant serve`).",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    lang: Annotated[
        str,
        typer.Option(
            help="The language of the result's own words: an official EU language (pl, de, "
            "fr…); English for any other. The call's quotes stay in English."
        ),
    ] = "en",
) -> None:
    """Pre-check a declared profile against the call's eligibility criteria (indicative only)."""
    from assistant.locales import resolve
    from assistant.precheck import PrecheckResponse, Profile, evaluate, render_table

    code = resolve(lang)
    data = _read_json_object(profile)
    services = Services(Settings())
    now = services.clock()
    declared = _validated(Profile, data, now, f"{profile} is not a valid profile")
    try:
        result = evaluate(declared, services.rules, now=now, lang=code)
    except AssistantError as error:
        fail(error)
    if as_json:
        typer.echo(PrecheckResponse.of(result, code).model_dump_json(indent=2))
    else:
        typer.echo(render_table(result, lang=code), nl=False)


@app.command()
def draft(
    email: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="A text file: the candidate's e-mail."
        ),
    ],
    profile: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            readable=True,
            help="A JSON file: the profile the candidate declared; adds the pre-check.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the draft as JSON.")] = False,
) -> None:
    """Draft a reply to a candidate's e-mail: each question answered from the call, cited."""
    from assistant.drafting import DraftRequest, draft_reply

    try:
        message = email.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(InvalidQuery(f"cannot read {email}: {exc}"))
    data: dict[str, Any] = {"message": message}
    if profile is not None:
        data["profile"] = _read_json_object(profile)
    services = Services(Settings())
    now = services.clock()
    # Validated before the model loads, so that a bad file fails at once.
    request = _validated(DraftRequest, data, now, "cannot draft a reply")
    try:
        rules = services.rules if request.profile is not None else None
        result = draft_reply(
            request.message,
            services.answerer,
            services.corpus,
            now=now,
            profile=request.profile,
            rules=rules,
        )
    except AssistantError as error:
        fail(error)
    typer.echo(result.model_dump_json(indent=2) if as_json else result.draft, nl=as_json)


def _read_json_object(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        fail(InvalidQuery(f"cannot read {path}: {exc}"))
    except json.JSONDecodeError as exc:
        fail(InvalidQuery(f"{path} is not valid JSON: {exc}"))
    if not isinstance(data, dict):
        fail(InvalidQuery(f'{path} must hold a JSON object, e.g. {{"nationalities": ["BE"]}}'))
    return data


def _validated(model: type[M], data: dict[str, Any], now: datetime, problem: str) -> M:
    """``data`` as ``model``, its dates checked against ``now`` (the CLI's twin of the API's
    ``validate_at``); bad input shares InvalidQuery's exit code (2), each field named."""
    try:
        return model.model_validate(data, context={"now": now})
    except ValidationError as exc:
        fail(InvalidQuery(f"{problem}:\n{_field_errors(exc)}"))


def _field_errors(exc: ValidationError) -> str:
    problems = field_problems(exc.errors(include_url=False), root="(profile)")
    return "\n".join(f"  {p}" for p in problems)


def main() -> None:
    app()
