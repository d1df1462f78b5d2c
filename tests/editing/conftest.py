"""What the form tests share: a few published records to link to."""

import pytest

from tests.factories import publish


@pytest.fixture
def world(db):
    kz = publish("place", name="Kazakhstan", kind="country", iso_code="KZ")
    ru = publish("place", name="Russia", kind="country", iso_code="RU")
    east = publish("place", name="East Kazakhstan Region", kind="region", parent=kz.pk)
    omsk = publish("place", name="Omsk Region", kind="region", parent=ru.pk)
    akimat = publish("organization", name="Akimat of East Kazakhstan Region", kind="akimat", place=east.pk)
    book = publish("source", title="History of regional relations", kind="book", date="2014")
    agreement = publish("agreement", title="Trade agreement", kind="agreement", date="2001-09-03")
    return {
        "kz": kz,
        "ru": ru,
        "east": east,
        "omsk": omsk,
        "akimat": akimat,
        "book": book,
        "agreement": agreement,
    }
