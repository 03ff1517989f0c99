"""The checks of the criteria, one module per kind: each gives a status and the reason, in words.

Every function takes the profile, its rule and the texts of the candidate's language, and returns
an ``Outcome``; ``engine.evaluate`` turns outcomes into the result. Notes quote the call verbatim.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.precheck.models import Note, Status
from assistant.precheck.render import plain_words
from assistant.precheck.rules import RuleSet
from assistant.precheck.texts import Texts


@dataclass(frozen=True)
class Outcome:
    status: Status
    reason: str
    notes: list[Note] = field(default_factory=list)


def not_declared(field_name: str, t: Texts) -> Outcome:
    return Outcome("unknown", t.text("not_declared.field", field=field_name))


def quoted(quote: str, t: Texts) -> str:
    """The call's words in the language's quotation marks, its Markdown links read as words."""
    return t.quoted(plain_words(quote))


def note(rules: RuleSet, key: str, lead: str, t: Texts) -> list[Note]:
    """A note quoting the call's passage ``key`` after the words of ``note.<lead>``."""
    if key not in rules.citations:
        return []
    citation = rules.citation(key)
    return [Note(text=f"{t.text(f'note.{lead}')} {quoted(citation.quote, t)}", citation=citation)]
