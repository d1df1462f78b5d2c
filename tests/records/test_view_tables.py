"""What publication keeps for the map, the network and the timeline (records/models/views.py): after
real approvals — a new agreement, an edit of its parties and date, a withdrawal, a moved organization —
the kept rows and totals are those a full recount from the published records gives."""

import importlib
from pathlib import Path

import pytest
from django.db import connection

from records.models import Agreement, Organization, Place
from records.workflow import review
from tests.factories import propose_update, staff_pair

pytestmark = [pytest.mark.xdist_group("seed"), pytest.mark.usefixtures("seeded")]

# (table, its columns in a canonical order, a condition the totals' rows meet: zero totals are kept)
KEPT = [
    ("records_mappair", "record_id, is_event, kind_id, date, date_lower, date_upper, home_id, partner_id, "
     "partner_country_id", "true"),
    ("records_mappairtotal", "home_id, partner_id, agreements, events", "agreements + events > 0"),
    ("records_networkend", "record_id, is_event, node_id", "true"),
    ("records_networknode", "node_id, agreements, events", "agreements + events > 0"),
    ("records_networkedge", "source_id, target_id, agreements, events", "agreements + events > 0"),
    ("records_timelineitem", "record_id, country_id, is_event, kind_id, date, date_key, date_lower, date_upper",
     "true"),
]  # fmt: skip


def kept() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        rows = {}
        for table, columns, where in KEPT:
            cursor.execute(f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {columns}")
            rows[table] = cursor.fetchall()
        return rows


def recounted() -> dict[str, list[tuple]]:
    """The tables filled again from nothing by the migration's set-based backfill (then put back)."""
    migration = next(Path(__file__).parents[2].glob("records/migrations/*_views.py"))
    backfill = importlib.import_module(f"records.migrations.{migration.stem}").BACKFILL
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT recount")
        for table, _columns, _where in KEPT:
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute(backfill)
        rows = kept()
        cursor.execute("ROLLBACK TO SAVEPOINT recount")
    return rows


def approve(*items: review.ItemInput):
    author, approver = staff_pair()
    proposal = review.proposal_create(author=author, items=list(items), summary="views")
    return review.proposal_approve(proposal_id=proposal.pk, reviewer=approver)


def test_the_kept_rows_equal_a_recount_after_approvals_edits_and_withdrawals():
    def place(name):
        return Place.objects.get(label=name, status="published")

    east, altai, kurgan = place("East Kazakhstan Region"), place("Altai Krai"), place("Kurgan Oblast")
    before = kept()
    assert before == recounted() and before["records_mappair"] and before["records_timelineitem"]

    parties = [{"id": east.pk, "role": "partner"}, {"id": altai.pk, "role": "partner"}]
    data = {"title": "Views test agreement", "kind": "agreement", "date": "2003", "parties": parties}
    created = approve(review.ItemInput(action="create", record_type="agreement", data=data))
    agreement = Agreement.objects.get(pk=created.items.get().record_id)
    after_create = kept()
    assert after_create == recounted()
    assert (east.pk, altai.pk) in {(r[6], r[7]) for r in after_create["records_mappair"] if r[0] == agreement.pk}

    author, approver = staff_pair()
    edit = propose_update(
        agreement, author, date="2005-06", parties=[*parties[:1], {"id": kurgan.pk, "role": "partner"}]
    )
    review.proposal_approve(proposal_id=edit.pk, reviewer=approver)
    after_edit = kept()
    assert after_edit == recounted()
    pairs = {(r[6], r[7]) for r in after_edit["records_mappair"] if r[0] == agreement.pk}
    assert pairs == {(east.pk, kurgan.pk)}

    # an organization moves: the records it is a party to stand elsewhere on the map
    organization = Organization.objects.filter(status="published", agreement_party_links__isnull=False).first()
    moved = propose_update(organization, author, place=kurgan.pk)
    review.proposal_approve(proposal_id=moved.pk, reviewer=approver)
    assert kept() == recounted()

    agreement.refresh_from_db()
    withdraw = review.ItemInput(
        action="withdraw", record_type="agreement", record_id=agreement.pk, base_revision=agreement.revision
    )
    approve(withdraw)
    after_withdrawal = kept()
    assert after_withdrawal == recounted()
    assert not [r for r in after_withdrawal["records_networkend"] if r[0] == agreement.pk]
