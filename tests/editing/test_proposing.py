"""Proposing through the pages, beyond one new record: drafts saved and submitted, a stale edit's
conflict shown field by field and rebased, withdrawals and reverts reviewed like any change."""

from __future__ import annotations

import pytest

from records.models import Proposal, ProposalStatus, Record
from tests.conftest import page_client as signed_in
from tests.editing.helpers import form_data, new_form, text_of

pytestmark = pytest.mark.django_db


def draft_of_a_place(client, author, name: str, summary: str) -> Proposal:
    """A new place saved as a draft through the form."""
    data = new_form(client, "places")
    data.update({"d-name": name, "summary": summary, "save_draft": "1"})
    client.post("/places/new/", data)
    return Proposal.objects.get(author=author)


def test_drafts_are_saved_edited_and_submitted(world, researcher):
    client = signed_in(researcher)

    proposal = draft_of_a_place(client, researcher, "Abai Region", "New region of 2022")

    assert proposal.status == ProposalStatus.DRAFT
    data = form_data(client.get(f"/proposals/{proposal.pk}/edit/").content)
    assert data["d-name"] == "Abai Region"
    data.update({"d-kind": "region", "d-parent": str(world["kz"].pk), "save_draft": "1"})
    client.post(f"/proposals/{proposal.pk}/edit/", data)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.items.get().data["kind"] == "region"

    response = client.post(f"/proposals/{proposal.pk}/submit/")

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_submitting_an_invalid_draft_shows_its_form_with_the_errors(world, researcher):
    client = signed_in(researcher)
    proposal = draft_of_a_place(client, researcher, "Nowhere", "draft")

    response = client.post(f"/proposals/{proposal.pk}/submit/")

    assert response.status_code == 400
    assert "Kind: This field is required." in text_of(response.content)
    assert form_data(response.content)["d-name"] == "Nowhere"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_a_stale_edit_shows_the_conflict_field_by_field_and_can_be_rebased(world, researcher, researcher2, reviewer):
    east = world["east"]
    mine = signed_in(researcher)
    stale = form_data(mine.get(f"/places/{east.pk}/edit/").content)
    # Meanwhile someone else's change to the same field is published.
    theirs = signed_in(researcher2)
    other = form_data(theirs.get(f"/places/{east.pk}/edit/").content)
    other.update({"d-iso_code": "KZ-VOS", "summary": "ISO code"})
    theirs.post(f"/places/{east.pk}/edit/", other)
    signed_in(reviewer).post(f"/proposals/{Proposal.objects.get(author=researcher2).pk}/approve/")

    stale.update({"d-iso_code": "KZ-EKO", "summary": "ISO code"})
    response = mine.post(f"/places/{east.pk}/edit/", stale)

    assert response.status_code == 409
    text = text_of(response.content)
    assert "ISO 3166 code" in text and "KZ-VOS" in text and "KZ-EKO" in text
    assert "Submit on top of revision 2" in text
    assert form_data(response.content)["d-iso_code"] == "KZ-EKO"

    stale["rebase"] = "2"
    response = mine.post(f"/places/{east.pk}/edit/", stale)
    assert response.status_code == 302
    item = Proposal.objects.get(author=researcher).items.get()
    assert (item.base_revision, item.data["iso_code"]) == (2, "KZ-EKO")


def test_a_withdrawal_needs_a_reason_and_is_reviewed(world, researcher, reviewer):
    client = signed_in(researcher)
    omsk = world["omsk"]
    assert client.post(f"/places/{omsk.pk}/withdraw/", {"summary": ""}).status_code == 400

    response = client.post(f"/places/{omsk.pk}/withdraw/", {"summary": "Duplicate of another record"})

    proposal = Proposal.objects.get(author=researcher)
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    signed_in(reviewer).post(f"/proposals/{proposal.pk}/approve/")
    assert Record.objects.get(pk=omsk.pk).status == "withdrawn"
    assert signed_in(researcher).get(f"/places/{omsk.pk}/edit/").status_code == 410


def test_a_revert_restores_an_earlier_revision(world, researcher, reviewer):
    east = world["east"]
    client = signed_in(researcher)
    data = form_data(client.get(f"/places/{east.pk}/edit/").content)
    data.update({"d-name": "Vostochno-Kazakhstanskaya oblast", "summary": "rename"})
    client.post(f"/places/{east.pk}/edit/", data)
    signed_in(reviewer).post(f"/proposals/{Proposal.objects.get(author=researcher).pk}/approve/")

    page = client.get(f"/places/{east.pk}/revisions/1/revert/")
    assert "East Kazakhstan Region" in text_of(page.content)
    response = client.post(f"/places/{east.pk}/revisions/1/revert/", {"summary": "The English name is usual"})

    proposal = Proposal.objects.get(author=researcher, items__action="revert")
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    signed_in(reviewer).post(f"/proposals/{proposal.pk}/approve/")
    east.refresh_from_db()
    assert (east.label, east.revision) == ("East Kazakhstan Region", 3)
