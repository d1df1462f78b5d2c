"""A reviewer's steps short of approval — claim, release, reject — and the discussion of a proposal."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from portal.models import AuditEntry
from records.models import Comment, Notification, Proposal, ProposalStatus
from records.workflow.errors import ClaimHeld, NotFound, ProposalInvalid
from records.workflow.notifications import notify
from records.workflow.rights import claim_refusal
from records.workflow.steps import audit, proposal_decide, proposal_for_review


def proposal_claim(*, proposal_id: int, reviewer: AbstractBaseUser, release: bool = False) -> Proposal:
    """Claim a submitted proposal for `reviewer` (or renew their claim) until BAILANYS_CLAIM_TIMEOUT_MINUTES
    from now: while the claim is live only they may approve or reject it. Someone else's live claim is
    refused (ClaimHeld); a lapsed one is taken over, its holder told and the audit log noting it.
    `release` gives up one's own claim."""
    with transaction.atomic():
        proposal = proposal_for_review(
            proposal_id, reviewer, gettext("Only a submitted proposal can be claimed."), deciding=False
        )
        previous = proposal.claimed_by if proposal.claimed_by_id not in (None, reviewer.pk) else None
        if release:
            if proposal.claimed_by_id == reviewer.pk:
                proposal.claimed_by, proposal.claimed_at = None, None
        else:
            if previous is not None and proposal.claim_live():
                raise ClaimHeld(claim_refusal(proposal))
            proposal.claimed_by, proposal.claimed_at = reviewer, timezone.now()
        proposal.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
        if previous is not None and not release:
            _claim_taken(proposal, reviewer, previous)
    return proposal


def _claim_taken(proposal: Proposal, reviewer: AbstractBaseUser, previous: AbstractBaseUser) -> None:
    """A lapsed claim taken over: the audit log keeps who had it, and they are told."""
    audit(reviewer, AuditEntry.Action.PROPOSAL_CLAIM_TAKEN, proposal, previous=previous.pk)
    notify(
        proposal,
        Notification.Kind.CLAIM,
        f"Your claim on proposal #{proposal.pk} lapsed; {reviewer.public_name} is reviewing it now.",
        [previous],
        actor=reviewer,
    )


def proposal_reject(*, proposal_id: int, reviewer: AbstractBaseUser, reason: str) -> Proposal:
    reason = (reason or "").strip()
    with transaction.atomic():
        refusal = gettext("This proposal is %(status)s; only a submitted one can be rejected.")
        proposal = proposal_for_review(proposal_id, reviewer, refusal)
        if not reason:
            raise ProposalInvalid({0: {"reason": [gettext("Say why the proposal is rejected.")]}})
        proposal_decide(proposal, reviewer, ProposalStatus.REJECTED, reason)
        proposal.save()
        audit(reviewer, AuditEntry.Action.PROPOSAL_REJECTED, proposal, reason=reason[:500])
        notify(
            proposal,
            Notification.Kind.REJECTED,
            f"Your proposal #{proposal.pk} was rejected by {reviewer.public_name}: {reason}",
            [proposal.author],
            actor=reviewer,
        )
    return proposal


def comment_add(*, proposal_id: int, author: AbstractBaseUser, body: str) -> Comment:
    """A message in the proposal's discussion; everyone else in it (author, claimer, commenters) is told."""
    body = (body or "").strip()
    if not body:
        raise ProposalInvalid({0: {"body": [gettext("Write something.")]}})
    with transaction.atomic():
        proposal = Proposal.objects.visible_to(author).filter(pk=proposal_id).first()
        if proposal is None:
            raise NotFound(gettext("No such proposal."))
        comment = Comment.objects.create(proposal=proposal, author=author, body=body[:10000])
        others = {proposal.author_id, proposal.claimed_by_id, *proposal.comments.values_list("author_id", flat=True)}
        others.discard(author.pk)
        others.discard(None)
        notify(
            proposal,
            Notification.Kind.COMMENT,
            f"{author.public_name} commented on proposal #{proposal.pk}.",
            get_user_model().objects.filter(pk__in=others),
            actor=author,
        )
    return comment
