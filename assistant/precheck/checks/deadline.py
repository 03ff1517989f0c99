"""Whether the application was sent by the deadline, in Brussels time and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.precheck.checks import Outcome, not_declared, note
from assistant.precheck.models import Profile
from assistant.precheck.rules import DeadlineRule, RuleSet
from assistant.precheck.texts import Texts


def deadline(rule: DeadlineRule, profile: Profile, rules: RuleSet, t: Texts) -> Outcome:
    sent = profile.submitted_at
    if sent is None:  # evaluate() skips the criterion then; kept for a direct call
        return not_declared("submitted_at", t)
    closing = rules.deadline
    literal = rules.stated_deadline(rule.stated_utc_offset)
    on_time = sent <= closing
    reason = t.text(
        "deadline.on_time" if on_time else "deadline.late",
        sent=_brussels(sent.astimezone(closing.tzinfo), t),
        deadline=_brussels(closing, t),
    )
    # The call names a fixed offset (CET) that Brussels time may not be on that day (CEST): a
    # submission between the two readings is on time for one and late for the other.
    if on_time != (sent <= literal):
        key = "deadline.ambiguous_late" if on_time else "deadline.ambiguous_on_time"
        reason += " " + t.text(key, offset=rule.stated_utc_offset, utc=_utc(literal, t))
        if rules.contact:
            reason += " " + t.text("deadline.ask", contact=rules.contact)
    if on_time:
        return Outcome("met", reason)
    return Outcome("not_met", reason, note(rules, "deadline.late", "call_says", t))


def _brussels(local: datetime, t: Texts) -> str:
    return t.text(
        "deadline.brussels",
        date=t.date(local.date()),
        time=t.time(local.time()),
        zone=local.tzname(),
        utc=_utc(local, t),
    )


def _utc(local: datetime, t: Texts) -> str:
    utc = local.astimezone(UTC)
    # The date only when it differs from the local one shown beside it (a late-evening send).
    if utc.date() == local.date():
        return t.text("deadline.utc", time=t.time(utc.time()))
    return t.text("deadline.utc_dated", date=t.date(utc.date()), time=t.time(utc.time()))
