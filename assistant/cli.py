"""The ``assistant`` command: a thin layer over the domain; errors become clean messages."""

from __future__ import annotations

import json
import sys
from typing import Annotated, NoReturn

import typer

from assistant.config import Settings
from assistant.runtime import Services
from retrieval.errors import (
    AssistantError,
    CorpusError,
    IndexNotBuilt,
    InvalidQuery,
    ModelUnavailable,
    StoreUnavailable,
)

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Answers questions about the call EC-2025-HOME-01 from its text, with citations.",
)

# Domain errors -> exit codes, in this one place.
EXIT_CODES: dict[type[AssistantError], int] = {
    InvalidQuery: 2,
    CorpusError: 3,
    IndexNotBuilt: 4,
    StoreUnavailable: 5,
    ModelUnavailable: 6,
}


def fail(error: AssistantError) -> NoReturn:
    typer.secho(f"Error: {error}", fg=typer.colors.RED, err=True)
    raise typer.Exit(EXIT_CODES.get(type(error), 1))


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


def main() -> None:
    app()
