"""Counting months of experience from declared periods.

The rule, stated once here and in every experience reason:

1. Each period is the closed interval [start, end] of days, inclusive; an ongoing one (end null)
   runs to the closing date. Everything is cut at the closing date, when eligibility is assessed;
   a period starting after it counts zero.
2. The periods are merged (overlapping or back-to-back days count once).
3. Each day counts as 1/(number of days of its calendar month), so a whole calendar month counts
   exactly 1 and a part of a month counts pro rata (15 days of April = 0.5). Exact fractions, no
   floats, so boundaries do not depend on rounding.
4. Only whole months count towards a threshold (the sum is rounded down).

Why this rule: 2019-01-01..2020-12-31 or 2023-04-23..2025-04-22 is "two years" and gives exactly
24; one day less gives 23. A days/30.4375 rule would make a non-leap two-year span 23.98 months.
And because every day adds a positive amount to a union that only grows, adding a period can never
lower the count (the property the tests check). One known edge: a span that starts on 2-28
February of a common year and ends in a leap February (2022-02-10..2024-02-09) gives 23.99, as the
two part-Februaries have different lengths.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction

Interval = tuple[date, date]  # inclusive


def clip(periods: Iterable[tuple[date, date | None]], closing: date) -> list[Interval]:
    """Intervals cut at the closing date; ongoing ones end on it; later ones are dropped."""
    clipped = []
    for start, end in periods:
        last = closing if end is None else min(end, closing)
        if start <= last:
            clipped.append((start, last))
    return clipped


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals covering the same days; touching intervals are joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def calendar_months(intervals: Iterable[Interval]) -> Fraction:
    """Months covered by the merged intervals, each day worth 1/len(its month)."""
    total = Fraction(0)
    for start, end in merge(intervals):
        day = start
        while day <= end:
            days_in_month = calendar.monthrange(day.year, day.month)[1]
            month_end = day.replace(day=days_in_month)
            last = min(end, month_end)
            total += Fraction((last - day).days + 1, days_in_month)
            day = last + timedelta(days=1)
    return total
