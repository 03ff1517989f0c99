"""A plain-text table of a pre-check result, for the terminal (the CLI prints it by default)."""

from __future__ import annotations

import re
import textwrap

from assistant.precheck.models import PrecheckResult

_STATUS = {"met": "met", "not_met": "NOT MET", "unknown": "unknown"}
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_VERDICT = {"eligible": "ELIGIBLE", "not_eligible": "NOT ELIGIBLE", "incomplete": "INCOMPLETE"}


def plain_words(quote: str) -> str:
    """A quote with the call's Markdown links ("[CAST Permanent](#)") read as their words.

    For display only: citations keep the exact characters of the call.
    """
    return _LINK.sub(r"\1", quote)


def _wrap(text: str, width: int) -> list[str]:
    # Keep URLs and e-mail addresses whole, so they can be copied from the terminal.
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def render_table(result: PrecheckResult, *, width: int = 100) -> str:
    """One row per criterion (label, status, reason), each followed by the call's exact words."""
    label_w = max([len("Criterion"), *(len(c.label) for c in result.criteria)])
    status_w = max(len(s) for s in _STATUS.values())
    text_w = max(width - label_w - status_w - 4, 30)
    indent = " " * (label_w + status_w + 4)

    deadline = result.call.deadline
    state = "open" if result.call.open else "closed"
    lines = [
        f"Pre-check for call {result.call.reference}: {_VERDICT[result.verdict]}",
        f"Closing date: {deadline:%d/%m/%Y %H:%M} {deadline.tzname()} (the call is {state})",
        "",
        f"{'Criterion':<{label_w}}  {'Status':<{status_w}}  Reason",
        f"{'-' * label_w}  {'-' * status_w}  {'-' * min(text_w, 40)}",
    ]
    for criterion in result.criteria:
        reason = _wrap(criterion.reason, text_w)
        lines.append(
            f"{criterion.label:<{label_w}}  {_STATUS[criterion.status]:<{status_w}}  {reason[0]}"
        )
        lines.extend(indent + line for line in reason[1:])
        cite = f"Call, {criterion.citation.section}: “{plain_words(criterion.citation.quote)}”"
        lines.extend(indent + line for line in _wrap(cite, text_w))
        for note in criterion.notes:
            lines.extend(indent + line for line in _wrap("Note: " + note.text, text_w))
    lines += ["", f"Rules version: {result.rules_version}", ""]
    lines += _wrap(result.disclaimer, width)
    return "\n".join(lines) + "\n"
