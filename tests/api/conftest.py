"""A small published world for the API tests, and next to it content that must never be public:
a pending proposal, a draft, a rejected proposal, a pending edit, and a withdrawn record."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction

from records.models import Record
from records.workflow import review
from tests.factories import publish, staff_pair

# Words that only unpublished content contains: no public answer may ever include them. (The withdrawn
# record's title, "Tombstoned", stays in its history, but in no list, search or export.)
SECRETS = ("Zanzibar", "Quetzal", "Xylophone", "Vermilion")
WITHDRAWN = "Tombstoned"


@dataclass
class World:
    kz: Record
    ru: Record
    vko: Record
    omsk: Record
    akimat: Record
    archive: Record
    article: Record
    archival_file: Record
    agreement: Record
    memorandum: Record
    event: Record
    turnover: Record
    exports: Record
    person: Record
    withdrawn: Record

    def of_type(self, record_type: str) -> Record:
        return {
            "place": self.vko,
            "organization": self.akimat,
            "person": self.person,
            "agreement": self.agreement,
            "event": self.event,
            "statistic": self.turnover,
            "source": self.article,
        }[record_type]


def change(action: str, record: Record, **extra) -> review.ItemInput:
    return review.ItemInput(
        action=action, record_type=record.record_type, record_id=record.pk, base_revision=record.revision, **extra
    )


def create(record_type: str, **data) -> review.ItemInput:
    return review.ItemInput(action="create", record_type=record_type, data=data)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@contextmanager
def module_data(django_db_blocker):
    """For data built once per test module: a transaction rolled back after the module; each test runs
    in a savepoint within it, as usual. (Not for `transactional_db` tests.)"""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world_module(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(world_module, db) -> World:
    return world_module


def build_world() -> World:
    researcher, reviewer = staff_pair()
    kz = publish(
        "place",
        name="Kazakhstan",
        kind="country",
        iso_code="KZ",
        latitude="48.0",
        longitude="67.0",
        names={"ru": "Казахстан", "kk": "Қазақстан"},
        identifiers={"wikidata": "Q232"},
    )
    ru = publish("place", name="Russia", kind="country", iso_code="RU", names={"ru": "Россия"})
    vko = publish(
        "place",
        name="East Kazakhstan Region",
        kind="region",
        parent=kz.pk,
        iso_code="KZ-VOS",
        aliases=["Shygys Kazakhstan"],
        names={"en": "East Kazakhstan Region", "ru": "Восточно-Казахстанская область"},
        latitude="49.95",
        longitude="82.61",
        identifiers={"wikidata": "Q2000", "geonames": "1520472"},
    )
    omsk = publish("place", name="Omsk Region", kind="region", parent=ru.pk, borders=[{"id": vko.pk}])
    akimat = publish("organization", name="Akimat of East Kazakhstan Region", kind="akimat", place=vko.pk)
    archive = publish("organization", name="State Archive of East Kazakhstan Region", kind="archive", place=vko.pk)
    article = publish(
        "source",
        title="History of regional relations in foreign political activity",
        kind="journal_article",
        date="2015",
        authors=[{"family": "Ivanov", "given": "Ivan"}, {"family": "Žukov", "given": "Pëtr"}],
        container_title="Vestnik",
        doi="10.1234/abc",
        pages="10-20",
    )
    archival_file = publish(
        "source", title="", kind="archival_file", archive=archive.pk, fund="1", series="2", file="345", date="1999"
    )
    agreement = publish(
        "agreement",
        title="Agreement on trade and economic cooperation of East Kazakhstan and Omsk",
        kind="agreement",
        level="interregional",
        date="2001-09-03",
        spheres=["trade", "economic"],
        parties=[{"id": vko.pk, "role": "party"}, {"id": omsk.pk, "role": "party"}],
        place_signed=omsk.pk,
        citations=[{"source": article.pk, "locator": "p. 12", "quote": "signed in Omsk"}],
        notes="Signed in Omsk during the visit of the akim & trade turnover grew afterwards.",
    )
    memorandum = publish(
        "agreement",
        title="Memorandum on tourism with Altai Krai",
        kind="memorandum",
        date="1996?",
        spheres=["tourism"],
        parties=[{"id": akimat.pk, "role": "signatory"}],
    )
    event = publish(
        "event",
        name="Visit of the akim to Omsk",
        kind="visit",
        date="2001-09",
        place=omsk.pk,
        participants=[{"id": akimat.pk, "role": "guest"}],
        agreements=[agreement.pk],
        citations=[{"source": archival_file.pk, "locator": "f. 3"}],
    )
    turnover = publish(
        "statistic",
        title="Trade turnover of East Kazakhstan and Omsk, 2001",
        indicator="trade_turnover",
        value="12.8",
        currency="USD",
        date="2001",
        subjects=[{"id": vko.pk}, {"id": omsk.pk}],
        citations=[{"source": article.pk}],
    )
    exports = publish(
        "statistic", indicator="exports", value="5", currency="USD", date="2005", subjects=[{"id": vko.pk}]
    )
    person = publish(
        "person",
        name="Viktor Khrapunov",
        positions=[{"title": "Akim of East Kazakhstan Region", "organization": akimat.pk, "date": "2004/2007"}],
    )
    withdrawn = publish("agreement", title="Tombstoned protocol of Pavlodar", kind="protocol", date="2003")
    gone = review.proposal_create(author=researcher, items=[change("withdraw", withdrawn)], summary="duplicate")
    review.proposal_approve(proposal_id=gone.pk, reviewer=reviewer)

    # Never public: a pending creation, a draft, a rejected proposal and a pending edit.
    review.proposal_create(
        author=researcher,
        items=[create("agreement", title="Zanzibar memorandum", kind="memorandum", date="2002")],
        summary="pending",
    )
    review.proposal_create(
        author=researcher, items=[create("place", name="Quetzal Region", kind="region")], summary="x", draft=True
    )
    rejected = review.proposal_create(
        author=researcher, items=[create("event", name="Xylophone festival", kind="festival", date="2004")]
    )
    review.proposal_reject(proposal_id=rejected.pk, reviewer=reviewer, reason="No source.")
    review.proposal_create(
        author=researcher,
        items=[change("update", agreement, data={"title": "Vermilion agreement"})],
        summary="pending edit",
    )
    return World(
        **{
            name: type(value).objects.get(pk=value.pk)
            for name, value in {
                "kz": kz,
                "ru": ru,
                "vko": vko,
                "omsk": omsk,
                "akimat": akimat,
                "archive": archive,
                "article": article,
                "archival_file": archival_file,
                "agreement": agreement,
                "memorandum": memorandum,
                "event": event,
                "turnover": turnover,
                "exports": exports,
                "person": person,
                "withdrawn": withdrawn,
            }.items()
        }
    )


def assert_no_secrets(text: str, *, withdrawn_too: bool = True) -> None:
    for word in (*SECRETS, WITHDRAWN) if withdrawn_too else SECRETS:
        assert word not in text, f"unpublished or withdrawn content ({word}) leaked"
