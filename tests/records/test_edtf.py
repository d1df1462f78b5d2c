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
