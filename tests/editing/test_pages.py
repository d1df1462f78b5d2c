"""Every workspace page for every role: what each may see and do, and what must not show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.models import AuditEntry
from records.models import Notification, Proposal, ProposalStatus
from records.workflow import review
from tests.conftest import page_client as as_
from tests.editing.helpers import text_of
from tests.factories import propose_update, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(db):
    return publish("place", name="Kurgan Region", kind="region")


@pytest.fixture
def pending(place, researcher):
    """A submitted edit by the researcher, with a distinctive proposed value."""
    return propose_update(place, researcher, notes="SECRET PENDING NOTE")


@pytest.fixture
def draft(place, researcher):
    return review.proposal_create(
        author=researcher,
        items=[review.ItemInput(action="create", record_type="place", data={"name": "DRAFT ONLY PLACE"})],
        summary="draft",
        draft=True,
    )


# ------------------------------------------------------------------ who may open what

WORKSPACE_PAGES = ["/places/new/", "/proposals/", "/notifications/", "/review/"]


@pytest.mark.parametrize("url", WORKSPACE_PAGES)
def test_a_reader_is_sent_to_sign_in(url, db):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_newcomer_without_a_role_cannot_propose(newcomer, place):
    client = as_(newcomer)
    for url in ["/places/new/", f"/places/{place.pk}/edit/", f"/places/{place.pk}/withdraw/"]:
        response = client.get(url)
        assert response.status_code == 403
        assert "administrator grants the researcher role" in text_of(response.content)
    response = client.post("/places/new/", {"d-name": "X", "d-kind": "region", "summary": "x"})
    assert response.status_code == 403
    assert not Proposal.objects.filter(author=newcomer).exists()
    assert client.get("/review/").status_code == 403
    assert client.get("/proposals/").status_code == 200


def test_a_researcher_cannot_open_the_queue(researcher):
    assert as_(researcher).get("/review/").status_code == 403


@pytest.mark.parametrize("who", ["researcher2", "newcomer", "admin_user"])
def test_someone_elses_draft_is_a_404(draft, who, request):
    client = as_(request.getfixturevalue(who))
    assert client.get(f"/proposals/{draft.pk}/").status_code == 404
    assert client.post(f"/proposals/{draft.pk}/submit/").status_code == 404
    assert client.post(f"/proposals/{draft.pk}/comment/", {"body": "hi"}).status_code == 404
    assert client.get(f"/proposals/{draft.pk}/edit/").status_code == 404


def test_a_reviewer_cannot_see_a_draft_either(draft, reviewer):
    assert as_(reviewer).get(f"/proposals/{draft.pk}/").status_code == 404


def test_another_researcher_cannot_see_a_submitted_proposal(pending, researcher2):
    assert as_(researcher2).get(f"/proposals/{pending.pk}/").status_code == 404


def test_a_reader_never_sees_pending_content(pending, place):
    reader = Client()
    for url in [f"/proposals/{pending.pk}/", f"/places/{place.pk}/history/", f"/places/{place.pk}/revisions/1/"]:
        response = reader.get(url)
        assert "SECRET PENDING NOTE" not in response.content.decode()
    assert reader.get(f"/proposals/{pending.pk}/").status_code == 302


def test_unknown_ids_are_404_not_500(researcher):
    client = as_(researcher)
    assert client.get("/proposals/999999999999999999/").status_code == 404
    assert client.get("/places/999999999999999999/edit/").status_code == 404
    assert client.get("/places/99999999999999999999999/edit/").status_code == 404
    assert client.get("/planets/new/").status_code == 404


# ------------------------------------------------------------------ the author's view


def test_my_proposals_lists_states_and_outcomes(place, researcher, reviewer):
    approved = propose_update(place, researcher, notes="first")
    review.proposal_approve(proposal_id=approved.pk, reviewer=reviewer, comment="fine")
    place.refresh_from_db()
    rejected = propose_update(place, researcher, notes="second")
    review.proposal_reject(proposal_id=rejected.pk, reviewer=reviewer, reason="No source given")

    text = text_of(as_(researcher).get("/proposals/").content)

    assert f"#{approved.pk}" in text and f"#{rejected.pk}" in text
    assert "approved" in text and "rejected" in text
    assert "by Vera Reviewer: No source given" in text
    assert "Kurgan Region" in text


def test_the_author_sees_the_diff_and_can_withdraw_but_not_review(pending, researcher):
    client = as_(researcher)
    page = client.get(f"/proposals/{pending.pk}/")
    text = text_of(page.content)
    assert "SECRET PENDING NOTE" in text
    assert "Withdraw the proposal" in text
    assert "Approve and publish" not in text

    assert client.post(f"/proposals/{pending.pk}/approve/").status_code == 403
    client.post(f"/proposals/{pending.pk}/withdraw/")
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.WITHDRAWN


def test_a_reviewer_cannot_approve_their_own_proposal(place, reviewer):
    own = propose_update(place, reviewer, notes="mine")
    client = as_(reviewer)

    text = text_of(client.get(f"/proposals/{own.pk}/").content)
    assert "another reviewer must approve or reject it" in text
    assert "Approve and publish" not in text

    response = client.post(f"/proposals/{own.pk}/approve/", {"comment": "self"})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == ProposalStatus.SUBMITTED
    assert client.post(f"/proposals/{own.pk}/claim/").status_code == 403


# ------------------------------------------------------------------ reviewing


def test_a_reviewer_claims_approves_and_the_author_is_notified(pending, place, researcher, reviewer, reviewer2):
    client = as_(reviewer)
    text = text_of(client.get(f"/proposals/{pending.pk}/").content)
    assert "Approve and publish" in text and "Reject" in text

    client.post(f"/proposals/{pending.pk}/claim/")
    assert "Vera Reviewer" in text_of(as_(reviewer2).get("/review/").content)
    assert "Vera Reviewer is reviewing this proposal" in text_of(
        as_(reviewer2).get(f"/proposals/{pending.pk}/").content
    )

    response = client.post(f"/proposals/{pending.pk}/approve/", {"comment": "Checked against the source."})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.APPROVED
    assert pending.decision_comment == "Checked against the source."
    place.refresh_from_db()
    assert place.notes == "SECRET PENDING NOTE" and place.revision == 2
    assert AuditEntry.objects.filter(action="proposal_approved", actor=reviewer).exists()
    author = as_(researcher)
    assert "Notifications 1" in text_of(author.get("/proposals/").content)
    notes = text_of(author.get("/notifications/").content)
    assert f"Your proposal #{pending.pk} was approved by Vera Reviewer" in notes
    author.get(f"/proposals/{pending.pk}/")
    assert not Notification.objects.filter(user=researcher, read_at__isnull=True).exists()


def test_rejecting_needs_a_reason_and_keeps_the_comment_typed(pending, reviewer, researcher):
    client = as_(reviewer)
    response = client.post(f"/proposals/{pending.pk}/reject/", {"reason": "   "})
    assert response.status_code == 400
    assert "Say why the proposal is rejected." in text_of(response.content)
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.SUBMITTED

    client.post(f"/proposals/{pending.pk}/reject/", {"reason": "The source says 2002."})
    pending.refresh_from_db()
    assert (pending.status, pending.decision_comment) == (ProposalStatus.REJECTED, "The source says 2002.")
    assert "The source says 2002." in text_of(as_(researcher).get(f"/proposals/{pending.pk}/").content)


def test_a_conflict_at_approval_shows_a_three_way_view_to_reviewer_and_author(place, researcher, researcher2, reviewer):
    first = propose_update(place, researcher, iso_code="RU-KGN")
    second = propose_update(place, researcher2, iso_code="RU-KUR")
    review.proposal_approve(proposal_id=first.pk, reviewer=reviewer)

    response = as_(reviewer).post(f"/proposals/{second.pk}/approve/", {"comment": "ok"})

    assert response.status_code == 409
    text = text_of(response.content)
    assert "Base (revision 1)" in text and "Now published (revision 2)" in text and "Proposed" in text
    assert "RU-KGN" in text and "RU-KUR" in text
    author_view = text_of(as_(researcher2).get(f"/proposals/{second.pk}/").content)
    assert "The record has moved on" in author_view and "RU-KGN" in author_view


def test_the_discussion_thread(pending, researcher, reviewer):
    as_(reviewer).post(f"/proposals/{pending.pk}/comment/", {"body": "Which page of the source?"})
    as_(researcher).post(f"/proposals/{pending.pk}/comment/", {"body": "Page 12."})

    text = text_of(as_(reviewer).get(f"/proposals/{pending.pk}/").content)

    assert text.index("Which page of the source?") < text.index("Page 12.")
    assert "Rita Researcher (author)" in text
    assert as_(reviewer).post(f"/proposals/{pending.pk}/comment/", {"body": " "}).status_code == 400
    assert Notification.objects.filter(user=researcher, kind="comment").exists()


def test_a_comment_notice_names_its_commenter_from_the_actor(pending, researcher, reviewer):
    review.comment_add(proposal_id=pending.pk, author=reviewer, body="Which page of the source?")
    reviewer.display_name = "Vera Renamed"  # the notice names the person, not the words stored with it
    reviewer.save()
    # A notice from before the actor was kept: its commenter is not known.
    Notification.objects.create(user=researcher, proposal=pending, kind="comment", message="Old notice.")

    text = text_of(as_(researcher).get("/notifications/").content)

    assert f"Vera Renamed commented on proposal #{pending.pk}." in text
    assert f"New comment on proposal #{pending.pk}." in text


def test_the_queue_lists_submitted_proposals_oldest_first(place, researcher, researcher2, reviewer, draft):
    older = propose_update(place, researcher, notes="a")
    other = publish("place", name="Omsk Region", kind="region")
    newer = propose_update(other, researcher2, notes="b")

    text = text_of(as_(reviewer).get("/review/").content)

    assert text.index(f"#{older.pk}") < text.index(f"#{newer.pk}")
    assert "Rita Researcher" in text and "Ruslan Researcher" in text
    assert "Kurgan Region" in text and "Omsk Region" in text
    assert "DRAFT ONLY PLACE" not in text
    assert "@example.org" not in text


def test_the_queue_query_count_does_not_grow_with_its_length(reviewer, researcher):
    places = [publish("place", name=f"Region {n}", kind="region") for n in range(3)]
    client = as_(reviewer)
    propose_update(places[0], researcher, notes="x")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/review/").status_code == 200
    for p in places[1:]:
        propose_update(p, researcher, notes="y")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/review/").status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 12


def test_my_proposals_query_count_does_not_grow(researcher):
    places = [publish("place", name=f"Region {n}", kind="region") for n in range(3)]
    client = as_(researcher)
    propose_update(places[0], researcher, notes="x")
    with CaptureQueriesContext(connection) as few:
        client.get("/proposals/")
    for p in places[1:]:
        propose_update(p, researcher, notes="y")
    with CaptureQueriesContext(connection) as many:
        client.get("/proposals/")
    assert len(many) == len(few) <= 12


def test_the_proposal_page_query_count_is_bounded(reviewer, researcher):
    places = [publish("place", name=f"Region {n}", kind="region") for n in range(4)]
    items = [
        review.ItemInput(action="update", record_type="place", record_id=p.pk, base_revision=1, data={"notes": "n"})
        for p in places
    ]
    proposal = review.proposal_create(author=researcher, items=items, summary="four at once")
    client = as_(reviewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/proposals/{proposal.pk}/")
    assert response.status_code == 200
    assert len(queries) <= 12


def test_header_shows_workspace_links_by_role(researcher, reviewer, newcomer):
    assert "Review queue" not in text_of(as_(researcher).get("/proposals/").content)
    assert "Review queue" in text_of(as_(reviewer).get("/proposals/").content)
    assert "My proposals" not in text_of(as_(newcomer).get("/notifications/").content)


def test_an_approved_proposal_tells_a_new_record_from_an_edit(place, researcher, reviewer):
    """A created record was based on no revision: its change says only where it was published."""
    created = review.proposal_create(
        author=researcher,
        items=[review.ItemInput(action="create", record_type="place", data={"name": "Shadrinsk", "kind": "city"})],
        summary="new place",
    )
    review.proposal_approve(proposal_id=created.pk, reviewer=reviewer)
    edited = propose_update(place, researcher, notes="an edit")
    review.proposal_approve(proposal_id=edited.pk, reviewer=reviewer)

    created_text = text_of(as_(researcher).get(f"/proposals/{created.pk}/").content)
    edited_text = text_of(as_(researcher).get(f"/proposals/{edited.pk}/").content)

    assert "Published as revision 1" in created_text and "Based on revision" not in created_text
    assert "Based on revision 1." in edited_text and "Published as revision 2" in edited_text
