"""The public history: revision lists, diffs between any two revisions, permanent revision pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from records.workflow import review
from tests.editing.helpers import text_of
from tests.factories import propose_update, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(researcher, reviewer):
    """An agreement with three revisions: created, then its parties and spheres changed, then its date."""
    east = publish("place", name="East Kazakhstan Region", kind="region")
    omsk = publish("place", name="Omsk Region", kind="region")
    agreement = publish(
        "agreement",
        title="Agreement on cooperation",
        kind="agreement",
        date="2001-09-03",
        author=researcher,
        reviewer=reviewer,
    )
    proposal = propose_update(
        agreement, researcher, parties=[{"id": east.pk, "role": "party"}, {"id": omsk.pk}], spheres=["trade"]
    )
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)
    agreement.refresh_from_db()
    proposal = propose_update(agreement, researcher, date="2001-33")
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)
    agreement.refresh_from_db()
    return {"agreement": agreement, "east": east, "omsk": omsk}


def test_the_history_lists_revisions_with_public_names_only(history):
    agreement = history["agreement"]

    response = Client().get(f"/agreements/{agreement.pk}/history/")

    assert response.status_code == 200
    text = text_of(response.content)
    assert "3 revisions" in text
    assert "Rita Researcher" in text and "Vera Reviewer" in text
    assert "created" in text and "updated" in text
    assert "@example.org" not in response.content.decode()


def test_a_diff_between_two_revisions_shows_names_and_labels(history):
    agreement, east = history["agreement"], history["east"]

    response = Client().get(f"/agreements/{agreement.pk}/history/", {"from": 1, "to": 3})

    text = text_of(response.content)
    assert "Revision 1 → revision 3" in text
    assert "Parties" in text and "East Kazakhstan Region" in text and "Omsk Region" in text
    assert "Spheres" in text and "trade" in text
    assert "2001-33" in text and "1st quarter of 2001" in text
    assert f'href="/places/{east.pk}/"' in response.content.decode()
    # Unchanged fields are not listed.
    assert "Kind" not in text.split("Revision 1 → revision 3")[1].split("Revision Compare")[0]


def test_a_diff_with_a_missing_revision_is_a_404(history):
    agreement = history["agreement"]
    response = Client().get(f"/agreements/{agreement.pk}/history/", {"from": 1, "to": 9})
    assert response.status_code == 404
    assert "Revision 9 does not exist." in text_of(response.content)


def test_each_revision_has_a_permanent_readable_page(history):
    agreement, omsk = history["agreement"], history["omsk"]

    first = Client().get(f"/agreements/{agreement.pk}/revisions/1/")
    second = Client().get(f"/agreements/{agreement.pk}/revisions/2/")

    assert first.status_code == second.status_code == 200
    assert "Omsk Region" not in text_of(first.content)
    second_text = text_of(second.content)
    assert "Omsk Region" in second_text and "participant" not in second_text
    assert "party" in second_text  # the role by its label
    assert "An earlier state of the record; the current revision is 3." in second_text
    assert f"/agreements/{agreement.pk}/revisions/2/" in second_text
    assert f'href="/places/{omsk.pk}/"' in second.content.decode()
    assert Client().get(f"/agreements/{agreement.pk}/revisions/4/").status_code == 404


def test_a_withdrawn_record_keeps_its_history(history, researcher, reviewer):
    agreement = history["agreement"]
    proposal = review.proposal_create(
        author=researcher,
        items=[review.ItemInput(action="withdraw", record_type="agreement", record_id=agreement.pk, base_revision=3)],
        summary="Duplicate",
    )
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)

    page = Client().get(f"/agreements/{agreement.pk}/history/")
    assert page.status_code == 200
    text = text_of(page.content)
    assert "was withdrawn at revision 4" in text and "Duplicate" in text
    last = Client().get(f"/agreements/{agreement.pk}/revisions/4/")
    assert last.status_code == 200
    assert "At this revision the record was withdrawn" in text_of(last.content)
    assert "Agreement on cooperation" in text_of(last.content)


def test_history_of_the_wrong_type_or_unknown_record_is_a_404(history):
    agreement = history["agreement"]
    assert Client().get(f"/places/{agreement.pk}/history/").status_code == 404
    assert Client().get("/places/123456789/history/").status_code == 404


def test_the_history_query_count_does_not_grow_with_revisions(researcher, reviewer):
    place = publish("place", name="Kurgan Region", kind="region")
    client = Client()
    with CaptureQueriesContext(connection) as few:
        client.get(f"/places/{place.pk}/history/")
    for n in range(4):
        place.refresh_from_db()
        review.proposal_approve(proposal_id=propose_update(place, researcher, notes=f"n{n}").pk, reviewer=reviewer)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/places/{place.pk}/history/", {"from": 1, "to": 5})
    assert len(many) <= len(few) + 3  # the diff: both revisions and the names of what they mention
    assert len(many) <= 8


def test_a_researcher_may_propose_a_revert_from_an_old_revision(history, researcher):
    client = Client()
    client.force_login(researcher)
    agreement = history["agreement"]
    text = text_of(client.get(f"/agreements/{agreement.pk}/revisions/1/").content)
    assert "Propose to revert to revision 1" in text
    assert "Propose to revert" not in text_of(Client().get(f"/agreements/{agreement.pk}/revisions/1/").content)
