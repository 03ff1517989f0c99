"""Dates and times as each language writes them, from CLDR's data (via Babel)."""

from __future__ import annotations

from datetime import datetime, tzinfo

# English as the call writes it ("22 April 2025"), not the United States' "April 22, 2025".
_LOCALE = {"en": "en_GB"}


def locale_of(code: str) -> str:
    return _LOCALE.get(code, code)


def when(moment: datetime, code: str) -> tuple[str, str, str]:
    """The day ("22 avril 2025"), the time ("12:00") and the time zone's city ("Bruxelles")."""
    from babel.dates import format_date, format_time, get_timezone_location

    locale = locale_of(code)
    zone: tzinfo | None = moment.tzinfo
    place = get_timezone_location(zone, locale=locale, return_city=True) if zone else ""
    return (
        format_date(moment, "long", locale=locale),
        format_time(moment, "HH:mm", tzinfo=zone, locale=locale),
        place,
    )
