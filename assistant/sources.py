"""A cited span shown in its context: the passage(s) around it, with the section they belong to.

The widget opens a citation here, so a candidate reads the quote where the call says it. The text
is the document's own characters (``document[start:end]``), never a copy kept elsewhere.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, Field

from retrieval.corpus import Corpus
from retrieval.errors import AssistantError, InvalidQuery
from retrieval.parsing import Passage, parse_document

# Enough to read a clause with the sentences around it, small enough for a phone screen.
MAX_CONTEXT_CHARS = 1600


class SourceNotFound(AssistantError):
    """A document id that is not in the corpus."""

    status = 404
    exit_code = 2


class PassageContext(BaseModel):
    doc_id: str
    title: str
    section: str = Field(description="Heading path of the passage, parts joined by ' › '.")
    text: str = Field(description="The context, verbatim: the document between start and end.")
    start: int = Field(description="Offset of `text` in the document.")
    end: int
    highlight_start: int = Field(description="Where the cited span starts, relative to `text`.")
    highlight_end: int


@lru_cache(maxsize=8)
def _passages(doc_id: str, text: str) -> tuple[Passage, ...]:
    # Parsing is deterministic and the corpus does not change while a process runs.
    return tuple(parse_document(doc_id, text))


def passage_context(corpus: Corpus, doc_id: str, start: int, end: int) -> PassageContext:
    """The passages that hold ``[start, end)`` of ``doc_id``, with a neighbour on each side
    while they stay in the same section and the whole fits in ``MAX_CONTEXT_CHARS``."""
    document = corpus.documents.get(doc_id)
    if document is None:
        raise SourceNotFound(f"no document {doc_id!r}; use the doc_id of a citation")
    if not 0 <= start < end <= len(document.text):
        raise InvalidQuery(
            f"span {start}-{end} is not inside document {doc_id!r} "
            f"(0 <= start < end <= {len(document.text)})"
        )
    passages = _passages(doc_id, document.text)
    hits = [i for i, p in enumerate(passages) if p.start < end and p.end > start]
    if hits:
        first, last = hits[0], hits[-1]
        section = passages[first].section
        lo, hi = passages[first].start, passages[last].end
        for i in (first - 1, last + 1):
            if 0 <= i < len(passages) and passages[i].section == section:
                wider_lo, wider_hi = min(lo, passages[i].start), max(hi, passages[i].end)
                if wider_hi - wider_lo <= MAX_CONTEXT_CHARS:
                    lo, hi = wider_lo, wider_hi
    else:  # a span between passages (a heading): its own line is the context
        section = ""
        lo = document.text.rfind("\n", 0, start) + 1
        newline = document.text.find("\n", end)
        hi = len(document.text) if newline < 0 else newline
    lo, hi = min(lo, start), max(hi, end)
    return PassageContext(
        doc_id=doc_id,
        title=document.title,
        section=section,
        text=document.text[lo:hi],
        start=lo,
        end=hi,
        highlight_start=start - lo,
        highlight_end=end - lo,
    )
