"""EDTF dates in words: "2001-01/2001-03" → "January 2001 – March 2001", "199X" → "the 1990s".

The forms show this next to a date field (on the server when the form is shown again, and live in the
browser through a small JSON endpoint), so that a researcher sees what the code they typed means.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from records import edtf

QUARTERS = {1: 1, 4: 2, 7: 3, 10: 4}


def _last_of_month(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def span_words(lower: dt.date | None, upper: dt.date | None) -> str:
    """A calendar span in words, as short as the span allows."""
    if lower is None and upper is None:
        return _("unknown")
    if lower is None:
        return _("until %(date)s") % {"date": span_words(upper, upper)}
    if upper is None:
        return _("from %(date)s on") % {"date": span_words(lower, lower)}
    if lower == upper:
        return date_format(lower, "j F Y")
    whole_months = lower.day == 1 and _last_of_month(upper)
    if whole_months and (lower.year, lower.month) == (upper.year, upper.month):
        return date_format(lower, "F Y")
    if whole_months and lower.month == 1 and upper.month == 12:
        if lower.year == upper.year:
            return str(lower.year)
        if lower.year % 10 == 0 and upper.year == lower.year + 9:
            return _("the %(decade)ss") % {"decade": lower.year}
        if lower.year % 100 == 0 and upper.year == lower.year + 99:
            return _("%(start)s–%(end)s (a century)") % {"start": lower.year, "end": upper.year}
        return f"{lower.year}–{upper.year}"
    if whole_months and lower.year == upper.year and lower.month in QUARTERS and upper.month == lower.month + 2:
        return _("quarter %(n)s of %(year)s") % {"n": QUARTERS[lower.month], "year": lower.year}
    if whole_months:
        return f"{date_format(lower, 'F Y')} – {date_format(upper, 'F Y')}"
    return f"{date_format(lower, 'j F Y')} – {date_format(upper, 'j F Y')}"


def _qualifiers(value: str) -> str:
    if "%" in value or ("?" in value and "~" in value):
        return _("uncertain and approximate")
    if "?" in value:
        return _("uncertain")
    if "~" in value:
        return _("approximate")
    return ""


def _part_words(part: str) -> str:
    part = part.strip()
    if part in ("", ".."):
        return _("open") if part == ".." else _("unknown")
    bounds = edtf.parse(part)
    return span_words(bounds.lower, bounds.upper)


def edtf_words(value: str) -> str:
    """The date in words, or raise ValidationError (with the validator's message) when it is not EDTF."""
    value = (value or "").strip()
    bounds = edtf.parse(value)
    simple_interval = "/" in value and "[" not in value and "{" not in value
    if simple_interval:
        start, end = value.split("/", 1)
        words = f"{_part_words(start)} – {_part_words(end)}"
    else:
        words = span_words(bounds.lower, bounds.upper)
    qualifier = _qualifiers(value)
    if qualifier:
        words = f"{words} ({qualifier})"
    return words


def edtf_preview(value: str) -> dict:
    """What the form and the JSON endpoint show for a typed date: words, bounds, or the error."""
    value = (value or "").strip()
    if not value:
        return {"valid": False, "text": "", "error": ""}
    try:
        words = edtf_words(value)
        bounds = edtf.parse(value)
    except ValidationError as exc:
        return {"valid": False, "text": "", "error": " ".join(exc.messages)}
    return {
        "valid": True,
        "text": words,
        "error": "",
        "lower": bounds.lower.isoformat() if bounds.lower else None,
        "upper": bounds.upper.isoformat() if bounds.upper else None,
    }
