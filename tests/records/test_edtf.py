"""Historical dates: EDTF strings are validated by the edtf library and their bounds are derived."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from records.dates import edtf


@pytest.mark.parametrize(
    ("value", "lower", "upper"),
    [
        ("2001-09-03", dt.date(2001, 9, 3), dt.date(2001, 9, 3)),
        ("1999-12", dt.date(1999, 12, 1), dt.date(1999, 12, 31)),
        ("2001-01/2001-03", dt.date(2001, 1, 1), dt.date(2001, 3, 31)),  # 1st quarter of 2001
        ("1995/1999", dt.date(1995, 1, 1), dt.date(1999, 12, 31)),  # second half of the 1990s
        ("1996?", dt.date(1996, 1, 1), dt.date(1996, 12, 31)),
        ("199X", dt.date(1990, 1, 1), dt.date(1999, 12, 31)),
        ("2000-02", dt.date(2000, 2, 1), dt.date(2000, 2, 29)),
        ("../2001", None, dt.date(2001, 12, 31)),
        ("2014-04-27/2014-05-01", dt.date(2014, 4, 27), dt.date(2014, 5, 1)),
    ],
)
def test_it_derives_bounds_from_edtf(value, lower, upper):
    assert edtf.parse(value) == edtf.Bounds(lower, upper)


@pytest.mark.parametrize("value", ["the spring of nowhere", "2001-13-45", "2001-02-30", "1999/1990", "", "   "])
def test_it_refuses_what_is_not_an_edtf_date(value):
    with pytest.raises(ValidationError) as exc:
        edtf.parse(value)
    assert exc.value.messages[0]


@pytest.mark.parametrize(
    "value",
    [
        "1996",
        "1996?",
        "2001-01",
        "2001-02~",
        "2000-02-29",
        "1999-12-31%",
        "2001-01/2001-03",
        "1995/1999",
        "1996?/1998~",
        "2004-06~/2004-06-11",
        "1000/2999-12",
    ],
)
def test_the_common_forms_are_read_as_the_library_reads_them(value):
    """The quick reading of plain dates and their intervals (the library takes some 20 ms a parse)
    gives the library's own bounds."""
    assert edtf._simple_bounds(value) is not None
    assert edtf._simple_bounds(value) == edtf._library_bounds(value)


def _sweep() -> list[str]:
    """Plain days, months and years at the edges of the calendar (month ends, leap days, the range's
    first and last years), each with every qualifier, and intervals between them: 142 values."""
    days = [
        f"{y}-{m:02d}-{d:02d}"
        for y in (1000, 1900, 1996, 2000, 2999)
        for m, d in ((1, 1), (2, 28), (2, 29), (4, 30), (12, 31))
    ]
    months_years = ["1000", "2000", "2999", "1900-02", "1996-02", "2001-12"]
    singles = [v + q for v in days + months_years for q in ("", "?", "~", "%")]
    intervals = [f"{a}/{b}" for a, b in zip(singles[::7], reversed(singles[::5]), strict=False)]
    return singles + intervals


def test_a_sweep_of_the_common_forms_reads_as_the_library_reads_it():
    """Every value the quick reading takes has the library's bounds; the values it declines are the
    ones it must (days that do not exist)."""
    taken = 0
    for value in _sweep():
        quick = edtf._simple_bounds(value)
        if quick is None:
            # only a 29 February of a year that is not leap
            assert any(f"{y}-02-29" in value for y in (1000, 1900, 2999)), value
            continue
        taken += 1
        assert quick == edtf._library_bounds(value), value
    assert taken == 127  # the other 15 name a 29 February that does not exist


@pytest.mark.parametrize("value", ["2001-02-29", "1996-13", "199X", "2001-21", "0999", "١٩٩٦", "2001/..", "1996-00"])
def test_other_forms_are_left_to_the_library(value):
    assert edtf._simple_bounds(value) is None
