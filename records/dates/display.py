"""EDTF dates as people read them, in the active language: "2001-01/2001-03" → "January – March 2001",
"2001-33" → "1st quarter of 2001", "199X" → "the 1990s", "1996?" → "1996 (uncertain)".

Sets read as "sometime in 2010 – 2014" ([2010..2014]) or "1995 and 1997" ({1995,1997}); a date with a
qualified part (1995?-01-26) reads as the date marked "partly uncertain". Anything this does not
recognise (long years, exponent notation) is shown as the EDTF itself, a correct if terse rendering.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.translation import get_language, gettext, pgettext

DATE_RE = re.compile(r"^(?P<year>-?\d{4}|\d{2}XX|\d{3}X)(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?(?P<q>[?~%])?$")


def _lower(word: str) -> str:
    # English capitalises month names; Russian and Kazakh write them in lower case mid-sentence.
    return word if (get_language() or "en").startswith("en") else word.lower()


def _month(number: int) -> tuple[str, str]:
    return _lower(str(MONTHS[number])), _lower(str(MONTHS_ALT[number]))


def _sub_year(year: str, code: int) -> str | None:
    """EDTF level-2 divisions of a year: seasons (21-24), quarters (33-36), halves (40-41)."""
    seasons = {
        21: pgettext("season", "spring %(year)s"),
        22: pgettext("season", "summer %(year)s"),
        23: pgettext("season", "autumn %(year)s"),
        24: pgettext("season", "winter %(year)s"),
        33: gettext("1st quarter of %(year)s"),
        34: gettext("2nd quarter of %(year)s"),
        35: gettext("3rd quarter of %(year)s"),
        36: gettext("4th quarter of %(year)s"),
        40: gettext("first half of %(year)s"),
        41: gettext("second half of %(year)s"),
    }
    template = seasons.get(code)
    return template % {"year": year} if template else None


def _single(value: str) -> str | None:
    match = DATE_RE.match(value)
    if not match:
        return None
    year, month, day, qualifier = match.group("year", "month", "day", "q")
    if "X" in year:
        if year.endswith("XX"):
            text = gettext("%(start)s–%(end)s") % {"start": year[:2] + "00", "end": year[:2] + "99"}
        else:
            text = gettext("the %(decade)ss") % {"decade": year[:3] + "0"}
    elif year.startswith("-"):
        return None
    elif month is None or month == "XX":
        text = year
    elif int(month) > 12:
        text = _sub_year(year, int(month))
        if text is None:
            return None
    elif not 1 <= int(month) <= 12:
        return None
    elif day is None or day == "XX":
        nominative, _ = _month(int(month))
        text = pgettext("month and year", "%(month)s %(year)s") % {"month": nominative, "year": year}
    else:
        # The month as it stands in a full date: "3 декабря" in Russian, the same word elsewhere.
        _, in_date = _month(int(month))
        text = pgettext("day, month and year", "%(day)s %(month)s %(year)s") % {
            "day": int(day),
            "month": in_date,
            "year": year,
        }
    if qualifier == "?":
        text = gettext("%(date)s (uncertain)") % {"date": text}
    elif qualifier == "~":
        text = gettext("about %(date)s") % {"date": text}
    elif qualifier == "%":
        text = gettext("about %(date)s (uncertain)") % {"date": text}
    return text


SET_RE = re.compile(r"^(?P<open>[\[{])(?P<body>[^\[\]{}]*)[\]}]$")
INNER_QUALIFIER_RE = re.compile(r"[?~%](?=-)|(?<=-)[?~%]")


def _set(value: str) -> str | None:
    """[a,b] one of several dates, {a,b} all of them; a..b ranges inside either."""
    match = SET_RE.match(value)
    if not match:
        return None
    one_of = match.group("open") == "["
    parts = [part.strip() for part in match.group("body").split(",") if part.strip()]
    rendered = []
    for part in parts:
        start, dots, end = part.partition("..")
        if not dots:
            text = _single(part)
        elif start and end:
            first, last = _single(start), _single(end)
            text = gettext("%(start)s – %(end)s") % {"start": first, "end": last} if first and last else None
        elif end:
            last = _single(end)
            text = gettext("%(date)s at the latest") % {"date": last} if last else None
        else:
            first = _single(start)
            text = gettext("%(date)s or later") % {"date": first} if first else None
        if text is None:
            return None
        rendered.append(text)
    if not rendered:
        return None
    if one_of and len(rendered) == 1:
        start, dots, end = parts[0].partition("..")
        if dots and not (start and end):
            return rendered[0]  # "1992 at the latest", "2010 or later"
        return gettext("sometime in %(dates)s") % {"dates": rendered[0]}
    joined = ", ".join(rendered)
    return (gettext("one of: %(dates)s") if one_of else gettext("all of: %(dates)s")) % {"dates": joined}


def edtf_human(value: str | None) -> str:
    """A reader's rendering of an EDTF value in the active language; the value itself as a fallback.
    (Remembered per value and language: a page can show hundreds of dates, and each costs a few
    translation lookups.)"""
    value = (value or "").strip()
    if not value:
        return ""
    return _edtf_in(value, get_language() or "")


@functools.lru_cache(maxsize=8192)
def _edtf_in(value: str, _language: str) -> str:
    if value[0] in "[{":
        return _set(value) or value
    if INNER_QUALIFIER_RE.search(value) and "/" not in value:
        plain = _single(INNER_QUALIFIER_RE.sub("", value))
        return gettext("%(date)s (partly uncertain)") % {"date": plain} if plain else value
    if "/" in value:
        start, _, end = value.partition("/")
        if end in ("..", "") and start not in ("..", ""):
            first = _single(start)
            if first is None:
                return value
            return (gettext("from %(date)s") if end == ".." else gettext("from %(date)s (end unknown)")) % {
                "date": first
            }
        if start in ("..", "") and end not in ("..", ""):
            last = _single(end)
            if last is None:
                return value
            return (gettext("until %(date)s") if start == ".." else gettext("until %(date)s (start unknown)")) % {
                "date": last
            }
        first, last = _single(start), _single(end)
        if first is None or last is None:
            return value
        return gettext("%(start)s – %(end)s") % {"start": first, "end": last}
    return _single(value) or value


def date_human(value) -> str:
    """A calendar date (or a datetime, in the portal's time zone) in the reader's language: 3 December 1999."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return edtf_human(value.isoformat())
