"""Several answers as one: a message's questions, or an e-mail's, with one citation numbering."""

from __future__ import annotations

import re

from assistant.answering.models import Answer, Citation
from assistant.answering.verify import MARK


class Numbering:
    """One numbering for the citations of several answers; a span cited twice keeps its number."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._ids: dict[tuple[str, int, int], int] = {}

    def renumber(self, answer: Answer) -> str:
        """``answer``'s text with its marks in this numbering (its citations are added)."""
        mapping: dict[int, int] = {}
        for citation in answer.citations:
            key = (citation.doc_id, citation.start, citation.end)
            if key not in self._ids:
                self._ids[key] = len(self.citations) + 1
                self.citations.append(citation.model_copy(update={"id": self._ids[key]}))
            elif citation.shown and not self.citations[self._ids[key] - 1].shown:
                # Cited first after our own words, quoted in a later answer: say how it shows.
                at = self._ids[key] - 1
                self.citations[at] = self.citations[at].model_copy(update={"shown": citation.shown})
            mapping[citation.id] = self._ids[key]

        def mark(match: re.Match[str]) -> str:
            old = int(match.group(1))
            return f"[{mapping[old]}]" if old in mapping else match.group(0)

        return MARK.sub(mark, answer.answer)


def merge(answers: list[Answer]) -> Answer:
    """One answer of several, in order, each in a paragraph of its own.

    Answered if any part is; the intent is the first answered part's; the contact is given when
    any part was declined, since that part sends the candidate to it.
    """
    if len(answers) == 1:
        return answers[0]
    numbering = Numbering()
    texts: list[str] = []
    cited: set[tuple[str, int, int]] = set()
    for part in answers:
        keys = {(c.doc_id, c.start, c.end) for c in part.citations}
        if keys and keys <= cited:
            continue  # quotes only what an earlier part quoted: said once is enough
        cited |= keys
        texts.append(numbering.renumber(part))
    answered = [a for a in answers if a.status == "answered"]
    lead = answered[0] if answered else answers[0]
    contact = next((a.contact for a in answers if a.contact), None)
    timings: dict[str, float] = {}
    for part in answers:
        for stage, ms in part.timings_ms.items():
            timings[stage] = round(timings.get(stage, 0.0) + ms, 2)
    return Answer(
        answer="\n\n".join(texts),
        citations=numbering.citations,
        status=lead.status,
        intent=lead.intent,
        contact=contact,
        generator="llm" if any(a.generator == "llm" for a in answers) else "deterministic",
        fallback=next((a.fallback for a in answers if a.fallback), None),
        timings_ms=timings,
    ).reading_the_clock(any(a.dated for a in answers))
