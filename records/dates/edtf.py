"""Historical dates as EDTF strings (Library of Congress Extended Date/Time Format).

The `edtf` library parses and validates; this module derives the calendar bounds that the database
indexes, so that "1st quarter of 2001" (`2001-01/2001-03`), "the second half of the 1990s"
(`1995/1999`) or "1996?" can be filtered and sorted by year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import EDTFObject, Interval

MAX_LENGTH = 100


@dataclass(frozen=True)
class Bounds:
    """The earliest and latest calendar day an EDTF value can denote; None is open or unknown."""

    lower: dt.date | None
    upper: dt.date | None


def _to_date(value: time.struct_time | None) -> dt.date | None:
    # Years the library uses for "unknown" (0 and 9999) are no bound at all.
    if value is None or not 1 <= value.tm_year <= 9998:
        return None
    last_day = calendar.monthrange(value.tm_year, value.tm_mon)[1]
    return dt.date(value.tm_year, value.tm_mon, min(value.tm_mday, last_day))


def _side(obj: object, which: str) -> dt.date | None:
    """The strict lower or upper bound of one EDTF object; None when it is open or unknown."""
    method = getattr(obj, f"{which}_strict", None)
    if method is None:
        return None
    try:
        return _to_date(method())
    except (TypeError, ValueError, AttributeError, OverflowError):
        return None


# The forms most dates take — a year, month or day, perhaps uncertain or approximate (`?`, `~`, `%`),
# or an interval of two of them — are read here; the `edtf` library (a full grammar, some 20 ms a
# parse) reads every other. tests/records/test_edtf.py checks both readings agree.
_DAY = r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[?~%]?"
_SIMPLE = re.compile(rf"{_DAY}(?:/{_DAY})?", re.ASCII)


def _simple_side(year: str, month: str | None, day: str | None, which: str) -> dt.date | None | bool:
    """The bound of a plain year, month or day; False when it is not one this reading takes."""
    y, m, d = int(year), int(month) if month else None, int(day) if day else None
    if not 1000 <= y <= 2999 or (m is not None and not 1 <= m <= 12):
        return False
    if m is None:
        return dt.date(y, 1, 1) if which == "lower" else dt.date(y, 12, 31)
    last = calendar.monthrange(y, m)[1]
    if d is None:
        return dt.date(y, m, 1) if which == "lower" else dt.date(y, m, last)
    return dt.date(y, m, d) if 1 <= d <= last else False


def _simple_bounds(value: str) -> Bounds | None:
    """The bounds of a value of the common forms, or None to leave it to the library."""
    match = _SIMPLE.fullmatch(value)
    if match is None:
        return None
    groups = match.groups()
    first, second = groups[:3], groups[3:] if groups[3] else groups[:3]
    lower, upper = _simple_side(*first, "lower"), _simple_side(*second, "upper")
    if lower is False or upper is False:
        return None
    return Bounds(lower, upper)


@lru_cache(maxsize=4096)
def _library_bounds(value: str) -> Bounds | None:
    """The library's reading of a value (None: not EDTF). Cached: a parse costs some 20 ms."""
    try:
        parsed: EDTFObject = parse_edtf(value)
    except (EDTFParseException, ValueError, TypeError, IndexError, AttributeError):
        return None
    if isinstance(parsed, Interval):
        return Bounds(_side(parsed.lower, "lower"), _side(parsed.upper, "upper"))
    return Bounds(_side(parsed, "lower"), _side(parsed, "upper"))


def parse(value: str) -> Bounds:
    """Validate an EDTF string and return its bounds, or raise ValidationError with a message."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            _("Give a date in EDTF, e.g. 2001-09-03, 1999-12, 2001-01/2001-03, 1996?."), code="required"
        )
    value = value.strip()
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            _("An EDTF date has at most %(max)s characters."), code="max_length", params={"max": MAX_LENGTH}
        )
    bounds = _simple_bounds(value) or _library_bounds(value)
    if bounds is None:
        raise ValidationError(
            _(
                "'%(value)s' is not a valid EDTF date (examples: 2001-09-03, 1999-12, 2001-01/2001-03, 1995/1999, "
                "1996?, 199X)."
            ),
            code="invalid",
            params={"value": value[:40]},
        )
    lower, upper = bounds.lower, bounds.upper
    if lower and upper and lower > upper:
        raise ValidationError(_("'%(value)s' ends before it begins."), code="order", params={"value": value[:40]})
    return Bounds(lower, upper)
