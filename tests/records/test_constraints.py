"""Integrity lives in the database too: these writes bypass Python validation and must still fail."""

import datetime as dt

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from records.models import Agreement, Citation, Place, Proposal, Record, Revision, Statistic, Succession
from tests.factories import publish


def refused(statement) -> bool:
    """True when the database refuses the write (the surrounding test transaction stays usable)."""
    try:
        with transaction.atomic():
            statement()
    except (IntegrityError, InternalError):
        return True
    return False


@pytest.fixture
def place(db):
    return publish("place", name="East Kazakhstan Region", kind="region")


def test_it_refuses_date_bounds_out_of_order(place):
    assert refused(
        lambda: Record.objects.filter(pk=place.pk).update(
            date="2001", date_lower=dt.date(2002, 1, 1), date_upper=dt.date(2001, 1, 1)
        )
    )


def test_it_refuses_bounds_without_a_date(place):
    assert refused(lambda: Record.objects.filter(pk=place.pk).update(date="", date_lower=dt.date(2001, 1, 1)))


def test_it_refuses_a_place_that_is_its_own_parent(place):
    assert refused(lambda: Place.objects.filter(pk=place.pk).update(parent_id=place.pk))


def test_it_refuses_malformed_iso_codes_and_half_coordinates(place):
    assert refused(lambda: Place.objects.filter(pk=place.pk).update(iso_code="kazakhstan"))
    assert refused(lambda: Place.objects.filter(pk=place.pk).update(latitude=49.9))
    assert refused(lambda: Place.objects.filter(pk=place.pk).update(latitude=91, longitude=10))
    assert not refused(
        lambda: Place.objects.filter(pk=place.pk).update(iso_code="KZ-VOS", latitude=49.9, longitude=82.6)
    )


def test_it_refuses_an_empty_name(place):
    assert refused(lambda: Record.objects.filter(pk=place.pk).update(label=""))


def test_it_refuses_a_money_amount_without_currency(db):
    agreement = publish("agreement", title="Contract", kind="contract")
    assert refused(lambda: Agreement.objects.filter(pk=agreement.pk).update(value_amount=75000, value_currency=""))
    assert refused(lambda: Agreement.objects.filter(pk=agreement.pk).update(value_amount=-1, value_currency="USD"))


def test_it_refuses_a_figure_with_both_unit_and_currency(db):
    figure = publish("statistic", indicator="trade_turnover", value="307", currency="USD", date="1995")
    assert refused(lambda: Statistic.objects.filter(pk=figure.pk).update(unit_id="persons"))
    assert refused(lambda: Statistic.objects.filter(pk=figure.pk).update(currency=""))


def test_it_refuses_self_succession_and_self_citation(place):
    assert refused(lambda: Succession.objects.create(record=place, predecessor=place))
    source = publish("source", title="Belasu", kind="book")
    assert refused(lambda: Citation.objects.create(record_id=source.pk, source_id=source.pk))


def test_four_eyes_holds_in_the_database_for_proposals(place):
    proposal = Proposal.objects.get(items__record=place)
    assert refused(lambda: Proposal.objects.filter(pk=proposal.pk).update(reviewer_id=proposal.author_id))
    with connection.cursor() as cursor:
        assert refused(
            lambda: cursor.execute(
                "UPDATE records_proposal SET reviewer_id = author_id, status = 'approved' WHERE id = %s",
                [proposal.pk],
            )
        )


def test_four_eyes_holds_in_the_database_for_revisions(place):
    revision = Revision.objects.get(record=place)
    with connection.cursor() as cursor:
        assert refused(
            lambda: cursor.execute(
                "INSERT INTO records_revision (record_id, number, action, snapshot, summary, proposal_id, author_id,"
                " reviewer_id, created_at) VALUES (%s, 2, 'update', '{}', '', %s, %s, %s, now())",
                [place.pk, revision.proposal_id, revision.author_id, revision.author_id],
            )
        )


def test_revisions_are_immutable(place):
    revision = Revision.objects.get(record=place)
    assert refused(lambda: Revision.objects.filter(pk=revision.pk).update(summary="rewritten history"))
    assert refused(lambda: Revision.objects.filter(pk=revision.pk).delete())
    revision.refresh_from_db()
    assert revision.summary != "rewritten history"


def test_a_revision_number_is_used_once_per_record(place):
    revision = Revision.objects.get(record=place)
    assert refused(
        lambda: Revision.objects.create(
            record=place,
            number=1,
            action="update",
            snapshot={},
            proposal_id=revision.proposal_id,
            author_id=revision.author_id,
            reviewer_id=revision.reviewer_id,
        )
    )


def test_rejection_needs_a_reason_in_the_database(researcher, reviewer):
    proposal = Proposal.objects.create(author=researcher, status="submitted", submitted_at=dt.datetime.now(dt.UTC))
    assert refused(
        lambda: Proposal.objects.filter(pk=proposal.pk).update(
            status="rejected", reviewer=reviewer, decided_at=dt.datetime.now(dt.UTC), decision_comment=""
        )
    )
