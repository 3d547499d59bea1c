"""Calendars: the periods of a series of days or whole numbers, with those it skips.

A chart keeps a slot for each period of its axis's calendar, a timeline plays
each, and a lazily read chart takes the calendar of its whole column as an
eager one does: one meaning of "the periods between", here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence

__all__ = ["fill_periods", "is_calendar", "parse_dates"]


def fill_periods(categories: list[str]) -> list[str]:
    """The categories with missing periods of a regular date or integer series added.

    The cadence is the series' own: months (or quarters, years) when every
    date falls on the same day of its month or on its last day, else the
    largest whole number of days between them; never finer. A series that
    filling would make ten times longer is left as it is (it is not regular).
    """
    if len(categories) < 3:
        return categories
    dates = parse_dates(categories)
    if dates is not None:
        monthly = _monthly(dates)
        if monthly is not None:
            return monthly
        days = [d.toordinal() for d in dates]
        step = math.gcd(*(b - a for a, b in itertools.pairwise(days)))
        if step <= 0 or (days[-1] - days[0]) // step > 10 * len(days):
            return categories
        return [dt.date.fromordinal(d).isoformat() for d in range(days[0], days[-1] + 1, step)]
    integers = _parse_integers(categories)
    if integers is not None:
        step = math.gcd(*(b - a for a, b in itertools.pairwise(integers)))
        if step <= 0 or (integers[-1] - integers[0]) // step > 10 * len(integers):
            return categories
        return [str(value) for value in range(integers[0], integers[-1] + 1, step)]
    return categories


def _monthly(dates: list[dt.date]) -> list[str] | None:
    """Every period of a series of dates on one day of their months (or on month ends),
    at its step in months; None for dates that are not monthly."""
    month_end = all((d + dt.timedelta(days=1)).day == 1 for d in dates)
    if not month_end and len({d.day for d in dates}) != 1:
        return None
    months = [d.year * 12 + d.month - 1 for d in dates]
    step = math.gcd(*(b - a for a, b in itertools.pairwise(months)))
    if step <= 0:
        return None
    day = dates[0].day

    def date_of(month: int) -> dt.date:
        first = dt.date(month // 12, month % 12 + 1, 1)
        if month_end:
            following = month + 1
            return dt.date(following // 12, following % 12 + 1, 1) - dt.timedelta(days=1)
        return first.replace(day=day)

    if month_end or day <= 28:
        return [date_of(m).isoformat() for m in range(months[0], months[-1] + 1, step)]
    return None


def parse_dates(categories: list[str]) -> list[dt.date] | None:
    """The days ``categories`` label, when each is an ISO day and they are in order."""
    try:
        dates = [dt.date.fromisoformat(c) for c in categories if len(c) == 10]
    except ValueError:
        return None
    if len(dates) != len(categories) or dates != sorted(dates):
        return None
    return dates


def _parse_integers(categories: list[str]) -> list[int] | None:
    """The whole numbers ``categories`` label, when they are distinct and in order."""
    try:
        values = [int(c) for c in categories]
    except ValueError:
        return None
    if values != sorted(values) or len(set(values)) != len(values):
        return None
    return values


def is_calendar(categories: Sequence[str]) -> bool:
    """Whether ``categories`` are days in order: an axis whose missing days keep a slot.

    >>> is_calendar(["2021-01-01", "2021-01-04"]), is_calendar(["2021-01-04", "2021-01-01"])
    (True, False)
    """
    return parse_dates(list(categories)) is not None
