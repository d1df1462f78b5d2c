"""Claims mean something: while one holds, only its reviewer decides; it lapses and can be taken over."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from portal.models import AuditEntry
from records.models import Notification, Proposal, ProposalStatus
from records.workflow import review
from tests.conftest import client_for
from tests.conftest import page_client as as_
from tests.editing.helpers import text_of
from tests.factories import UserFactory, propose_update, publish
from tests.records.test_concurrency import race


@pytest.fixture
def pending(db, researcher):
    return propose_update(publish("place", name="Zhambyl Region", kind="region"), researcher, notes="Taraz.")


def lapse(proposal: Proposal) -> None:
    """Move the claim back in time past the timeout (no waiting in tests)."""
    past = timezone.now() - dt.timedelta(minutes=settings.BAILANYS_CLAIM_TIMEOUT_MINUTES + 1)
    Proposal.objects.filter(pk=proposal.pk).update(claimed_at=past)


def test_a_live_claim_keeps_other_reviewers_from_approving_or_rejecting(pending, reviewer, reviewer2):
    claimed = review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer)
    assert claimed.claim_expires_at == claimed.claimed_at + dt.timedelta(
        minutes=settings.BAILANYS_CLAIM_TIMEOUT_MINUTES
    )
    with pytest.raises(review.ClaimHeld, match="Already claimed by Vera Reviewer until .*only they may approve"):
        review.proposal_approve(proposal_id=pending.pk, reviewer=reviewer2)
    with pytest.raises(review.ClaimHeld):
        review.proposal_reject(proposal_id=pending.pk, reviewer=reviewer2, reason="No.")
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.SUBMITTED and pending.revisions.count() == 0
    assert review.proposal_approve(proposal_id=pending.pk, reviewer=reviewer).status == ProposalStatus.APPROVED


def test_a_lapsed_claim_counts_as_none_and_can_be_taken_over(pending, reviewer, reviewer2):
    review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer)
    with pytest.raises(review.ClaimHeld):
        review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer2)
    lapse(pending)

    taken = review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer2)

    assert taken.claimed_by == reviewer2 and taken.claim_live()
    entry = AuditEntry.objects.get(action="proposal_claim_taken")
    assert entry.actor == reviewer2 and entry.detail == {"previous": reviewer.pk}
    notice = Notification.objects.get(user=reviewer, kind=Notification.Kind.CLAIM)
    assert "lapsed" in notice.message and notice.actor == reviewer2
    with pytest.raises(review.ClaimHeld, match="Already claimed by"):  # now the first one is the outsider
        review.proposal_approve(proposal_id=pending.pk, reviewer=reviewer)


def test_a_lapsed_claim_does_not_stop_another_reviewer_deciding(pending, reviewer, reviewer2):
    review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer)
    lapse(pending)
    assert review.proposal_reject(proposal_id=pending.pk, reviewer=reviewer2, reason="Unsourced.").status == (
        ProposalStatus.REJECTED
    )


def test_the_claimant_can_release_and_then_anyone_may_decide(pending, reviewer, reviewer2):
    review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer)
    released = review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer, release=True)
    assert released.claimed_by is None and released.claim_expires_at is None
    assert review.proposal_approve(proposal_id=pending.pk, reviewer=reviewer2).status == ProposalStatus.APPROVED


def test_the_api_refuses_with_409_naming_the_holder_and_shows_the_expiry(pending, reviewer, reviewer2):
    claimed = client_for(reviewer).post(f"/api/v1/changes/{pending.pk}/claim/", {}, format="json")
    assert claimed.status_code == 200
    expires = claimed.json()["claim_expires_at"]
    assert expires is not None
    pending.refresh_from_db()
    assert dt.datetime.fromisoformat(expires) == pending.claim_expires_at

    refused = client_for(reviewer2).post(f"/api/v1/changes/{pending.pk}/approve/", {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Already claimed by Vera Reviewer until ")
    again = client_for(reviewer2).post(f"/api/v1/changes/{pending.pk}/claim/", {}, format="json")
    assert again.status_code == 409
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.SUBMITTED and pending.claimed_by == reviewer


def test_the_openapi_schema_documents_the_claim_expiry(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["Proposal"]["properties"]["claim_expires_at"]
    assert field["format"] == "date-time" and field["nullable"] is True and "lapses" in field["description"]


def test_the_pages_show_the_holder_the_expiry_and_the_refusal(pending, reviewer, reviewer2):
    review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer)
    other = as_(reviewer2)
    queue = text_of(other.get("/review/").content)
    assert "Vera Reviewer until" in queue
    assert f"#{pending.pk}" not in text_of(other.get("/review/?show=unclaimed").content)
    page = text_of(other.get(f"/proposals/{pending.pk}/").content)
    assert "Vera Reviewer is reviewing this proposal until" in page
    assert "Claim: I am reviewing this" not in page

    refused = other.post(f"/proposals/{pending.pk}/approve/", {"comment": ""}, follow=True)
    assert "Already claimed by Vera Reviewer until" in text_of(refused.content)
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.SUBMITTED

    lapse(pending)
    assert f"#{pending.pk}" in text_of(other.get("/review/?show=unclaimed").content)
    assert "claim has lapsed; you may take it over" in text_of(other.get(f"/proposals/{pending.pk}/").content)


@pytest.mark.django_db(transaction=True)
def test_of_reviewers_claiming_at_once_exactly_one_holds_it():
    researcher = UserFactory(roles=["researcher"])
    reviewers = [UserFactory(roles=["reviewer"]) for _ in range(5)]
    proposal = propose_update(publish("place", name="Turkistan Region", kind="region"), researcher, notes="x")

    results = race([lambda r=r: review.proposal_claim(proposal_id=proposal.pk, reviewer=r) for r in reviewers])

    winners = [r for r in results if isinstance(r, Proposal)]
    assert len(winners) == 1, results
    assert all(isinstance(r, review.ClaimHeld) for r in results if r not in winners), results
    proposal.refresh_from_db()
    assert proposal.claimed_by_id == winners[0].claimed_by_id


def test_the_previous_claimant_reads_the_notice_in_their_language(pending, reviewer, reviewer2):
    review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer)
    lapse(pending)
    review.proposal_claim(proposal_id=pending.pk, reviewer=reviewer2)
    english = text_of(as_(reviewer).get("/notifications/").content)
    assert f"Your claim on proposal #{pending.pk} lapsed; Viktor Reviewer is reviewing it now." in english
    russian = text_of(as_(reviewer, "ru").get("/notifications/").content)
    assert f"Срок, на который вы взяли предложение №{pending.pk}, истёк" in russian
