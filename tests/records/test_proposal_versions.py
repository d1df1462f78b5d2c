"""What a reviewer approves is what gets published: every revision raises a proposal's version, an approval
names the version read, and a revised proposal goes back to the queue with its reviewer told."""

import pytest
from django.core import mail

from records.models import Notification, Proposal, ProposalStatus, Record, Revision
from records.workflow import review
from records.workflow.review import ItemInput
from tests.conftest import page_client


def memo(title: str) -> list[ItemInput]:
    data = {"title": title, "kind": "memorandum", "date": "2013-06-20"}
    return [ItemInput(action="create", record_type="agreement", data=data)]


def propose(author, title="Memorandum on tourism", **extra) -> Proposal:
    return review.proposal_create(author=author, items=memo(title), summary="new", **extra)


def revise(proposal: Proposal, author, title: str) -> Proposal:
    return review.proposal_revise(proposal_id=proposal.pk, author=author, items=memo(title))


def test_every_revision_raises_the_version(researcher):
    draft = propose(researcher, draft=True)
    assert draft.version == 1
    assert revise(draft, researcher, "Second wording").version == 2
    submitted = review.proposal_submit(proposal_id=draft.pk, author=researcher)
    assert submitted.version == 2  # submitting changes nothing a reviewer reads
    saved = review.proposal_save(
        author=researcher, items=memo("Third wording"), summary="s", proposal_id=draft.pk, position=0
    )
    assert saved.version == 3
    assert Proposal.objects.get(pk=draft.pk).version == 3


def test_approving_a_version_revised_since_publishes_nothing(researcher, reviewer):
    proposal = propose(researcher, "What the reviewer read")
    revise(proposal, researcher, "What the author slipped in")

    with pytest.raises(review.StaleVersion, match="you read version 1, it is now 2"):
        review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer, version=1)

    assert not Record.objects.exists() and not Revision.objects.exists()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.conflict, proposal.reviewer) == (ProposalStatus.SUBMITTED, None, None)
    approved = review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer, version=2)
    assert approved.status == ProposalStatus.APPROVED
    assert Record.objects.get().label == "What the author slipped in"


def test_revising_a_claimed_proposal_releases_the_claim_and_tells_the_reviewer(
    researcher, reviewer, django_capture_on_commit_callbacks
):
    proposal = propose(researcher)
    review.proposal_claim(proposal_id=proposal.pk, reviewer=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        revise(proposal, researcher, "Memorandum on tourism, corrected")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.claimed_by, proposal.claimed_at) == (ProposalStatus.SUBMITTED, None, None)
    assert Proposal.objects.awaiting_review().filter(pk=proposal.pk, claimed_by__isnull=True).exists()
    notice = Notification.objects.get(user=reviewer, proposal=proposal)
    assert (notice.kind, notice.actor) == (Notification.Kind.CHANGED, researcher)
    assert "changed" in notice.message and "version 2" in notice.message
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    page = page_client(reviewer).get("/notifications/")
    assert f"Rita Researcher changed proposal #{proposal.pk}, which you were reviewing" in page.content.decode()


def test_revising_an_unclaimed_proposal_tells_nobody(researcher):
    proposal = propose(researcher)
    revise(proposal, researcher, "Memorandum, corrected")
    assert not Notification.objects.exists()


def test_the_page_shows_the_version_and_approves_only_the_one_it_showed(researcher, reviewer):
    proposal = propose(researcher, "What the reviewer read")
    client = page_client(reviewer)
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert '<input type="hidden" name="version" value="1">' in page
    revise(proposal, researcher, "What the author slipped in")

    response = client.post(f"/proposals/{proposal.pk}/approve/", {"comment": "ok", "version": "1"}, follow=True)

    assert "you read version 1, it is now 2" in response.content.decode()
    assert not Record.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED
    assert '<input type="hidden" name="version" value="2">' in response.content.decode()
    client.post(f"/proposals/{proposal.pk}/approve/", {"comment": "ok", "version": "2"})
    assert Record.objects.get().label == "What the author slipped in"


def test_a_garbled_version_from_the_page_is_refused(researcher, reviewer):
    proposal = propose(researcher)
    response = page_client(reviewer).post(f"/proposals/{proposal.pk}/approve/", {"version": "1x"}, follow=True)
    assert "Reload the proposal" in response.content.decode()
    assert not Record.objects.exists()
