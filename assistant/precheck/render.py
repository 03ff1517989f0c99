"""A plain-text table of a pre-check result, for the terminal (the CLI prints it by default)."""

from __future__ import annotations

import re
import textwrap

from assistant.precheck.models import PrecheckResult
from assistant.precheck.texts import texts

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain_words(quote: str) -> str:
    """A quote with the call's Markdown links ("[CAST Permanent](#)") read as their words.

    For display only: citations keep the exact characters of the call.
    """
    return _LINK.sub(r"\1", quote)


def _wrap(text: str, width: int) -> list[str]:
    # Keep URLs and e-mail addresses whole, so that they can be copied from the terminal.
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def render_table(result: PrecheckResult, *, width: int = 100, lang: str | None = "en") -> str:
    """One row per criterion (label, status, reason), each followed by the call's exact words.

    ``lang`` is the language of the table's own words; give the one the result was evaluated in.
    """
    t = texts(lang)
    status = {s: t.text(f"status.{s}") for s in ("met", "not_met", "unknown")}
    criterion_h, status_h, reason_h = (
        t.text(f"table.{h}") for h in ("criterion", "status", "reason")
    )
    label_w = max([len(criterion_h), *(len(c.label) for c in result.criteria)])
    status_w = max(len(status_h), *(len(s) for s in status.values()))
    text_w = max(width - label_w - status_w - 4, 30)
    indent = " " * (label_w + status_w + 4)

    deadline = result.call.deadline
    closing = t.text(
        "table.deadline",
        date=t.date(deadline.date()),
        time=t.time(deadline.time()),
        zone=deadline.tzname(),
    )
    lines = [
        t.text(
            "table.title",
            reference=result.call.reference,
            verdict=t.text(f"verdict.{result.verdict}"),
        ),
        t.text(
            "table.closing_open" if result.call.open else "table.closing_closed", deadline=closing
        ),
        "",
        f"{criterion_h:<{label_w}}  {status_h:<{status_w}}  {reason_h}",
        f"{'-' * label_w}  {'-' * status_w}  {'-' * min(text_w, 40)}",
    ]
    for criterion in result.criteria:
        reason = _wrap(criterion.reason, text_w)
        lines.append(
            f"{criterion.label:<{label_w}}  {status[criterion.status]:<{status_w}}  {reason[0]}"
        )
        lines.extend(indent + line for line in reason[1:])
        quote = t.quoted(plain_words(criterion.citation.quote))
        cite = t.text("table.call", section=criterion.citation.section, quote=quote)
        lines.extend(indent + line for line in _wrap(cite, text_w))
        for note in criterion.notes:
            lines.extend(
                indent + line for line in _wrap(t.text("table.note", text=note.text), text_w)
            )
    lines += ["", t.text("table.rules_version", version=result.rules_version), ""]
    lines += _wrap(result.disclaimer, width)
    return "\n".join(lines) + "\n"
