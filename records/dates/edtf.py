"""Historical dates as EDTF strings (Library of Congress Extended Date/Time Format).

The `edtf` library parses and validates; this module derives the calendar bounds that the database
indexes, so that "1st quarter of 2001" (`2001-01/2001-03`), "the second half of the 1990s"
(`1995/1999`) or "1996?" can be filtered and sorted by year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from dataclasses import dataclass

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
    try:
        parsed: EDTFObject = parse_edtf(value)
    except (EDTFParseException, ValueError, TypeError, IndexError, AttributeError) as exc:
        raise ValidationError(
            _(
                "'%(value)s' is not a valid EDTF date (examples: 2001-09-03, 1999-12, 2001-01/2001-03, 1995/1999, "
                "1996?, 199X)."
            ),
            code="invalid",
            params={"value": value[:40]},
        ) from exc
    if isinstance(parsed, Interval):
        lower, upper = _side(parsed.lower, "lower"), _side(parsed.upper, "upper")
    else:
        lower, upper = _side(parsed, "lower"), _side(parsed, "upper")
    if lower and upper and lower > upper:
        raise ValidationError(_("'%(value)s' ends before it begins."), code="order", params={"value": value[:40]})
    return Bounds(lower, upper)
