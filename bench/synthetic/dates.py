"""Dates of synthetic records, in every EDTF shape the portal supports: days, months, years, intervals,
`1996?`, `2004~`, `199X`; each with the bounds `records.dates.edtf.parse` gives it."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Date:
    """An EDTF string with the bounds `records.dates.edtf.parse` gives it (the tests check they agree)."""

    text: str
    lower: dt.date | None
    upper: dt.date | None


def _last(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def day(year: int, month: int, dom: int) -> Date:
    value = dt.date(year, month, dom)
    return Date(value.isoformat(), value, value)


def month(year: int, mon: int, suffix: str = "") -> Date:
    return Date(f"{year}-{mon:02d}{suffix}", dt.date(year, mon, 1), _last(year, mon))


def year(value: int, suffix: str = "") -> Date:
    return Date(f"{value}{suffix}", dt.date(value, 1, 1), dt.date(value, 12, 31))


def decade(value: int) -> Date:
    start = value - value % 10
    return Date(f"{start // 10}X", dt.date(start, 1, 1), dt.date(start + 9, 12, 31))


def interval(first: Date, last: Date) -> Date:
    return Date(f"{first.text}/{last.text}", first.lower, last.upper)


def quarter(y: int, q: int) -> Date:
    """Quarter q (0-3) of year y, as an interval of months."""
    return interval(month(y, 3 * q + 1), month(y, 3 * q + 3))


NO_DATE = Date("", None, None)


def figure_date(rng: random.Random, y: int, last: int) -> Date:
    """What a statistic is about: mostly years, then quarters, half-years, spans of years."""
    r = rng.random()
    if r < 0.6:
        return year(y)
    if r < 0.8:
        return quarter(y, rng.randint(0, 3))
    if r < 0.9:
        return interval(month(y, 1), month(y, 6))
    if r < 0.95:
        return year(y, "~")
    return interval(year(y), year(min(y + rng.randint(1, 4), last)))


def random_date(rng: random.Random, *, first: int = 1991, last: int = 2014, shapes: str = "general") -> Date:
    """A date in one of the EDTF shapes the portal supports, mostly days and months (`shapes="figure"`:
    see `figure_date`)."""
    y = rng.randint(first, last)
    m = rng.randint(1, 12)
    if shapes == "figure":
        return figure_date(rng, y, last)
    r = rng.random()
    if r < 0.45:
        return day(y, m, rng.randint(1, calendar.monthrange(y, m)[1]))
    if r < 0.65:
        return month(y, m)
    if r < 0.77:
        return year(y)
    if r < 0.82:
        return quarter(y, rng.randint(0, 3))
    if r < 0.87:
        start = rng.randint(1, 25)
        return interval(day(y, m, start), day(y, m, start + rng.randint(1, 3)))
    if r < 0.91:
        return interval(year(y), year(min(y + rng.randint(1, 5), last)))
    if r < 0.95:
        return year(y, "?")
    if r < 0.97:
        return month(y, m, "?")
    if r < 0.985:
        return year(y, "~")
    return decade(y)
