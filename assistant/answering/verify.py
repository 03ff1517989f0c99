"""The server-side check every answer passes before it leaves: verbatim quotes, matching marks."""

from __future__ import annotations

import re

from assistant.answering.models import Answer
from retrieval.corpus import Corpus
from retrieval.errors import AssistantError

MARK = re.compile(r"\[(\d+)\]")


class CitationError(AssistantError):
    """An answer whose citations do not hold; it is never sent."""

    status = 500
    exit_code = 9
    # Our fault, and its message names internal details: say less.
    public = "the answer could not be verified against the sources, so it was not sent"


def verify_answer(answer: Answer, corpus: Corpus) -> None:
    if answer.status == "answered" and not (answer.answer.strip() and answer.citations):
        raise CitationError("an answer must say something and cite where the call says it")
    ids = [c.id for c in answer.citations]
    if ids != list(range(1, len(ids) + 1)):
        raise CitationError(f"citation ids must be 1..{len(ids)} in order, got {ids}")
    for citation in answer.citations:
        document = corpus.get(citation.doc_id)
        if document.text[citation.start : citation.end] != citation.quote:
            raise CitationError(
                f"citation [{citation.id}] is not a verbatim span of {citation.doc_id}"
            )
        if citation.title != document.title:
            raise CitationError(f"citation [{citation.id}] names the wrong title")
        if citation.shown is not None and f"{citation.shown} [{citation.id}]" not in answer.answer:
            raise CitationError(f"citation [{citation.id}] is not shown where it says")
    marks = {int(m) for m in MARK.findall(answer.answer)}
    if marks - set(ids):
        raise CitationError(f"the answer marks {sorted(marks - set(ids))} without citations")
    if set(ids) - marks:
        raise CitationError(f"citations {sorted(set(ids) - marks)} are not referred to")
