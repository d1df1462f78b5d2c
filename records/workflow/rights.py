"""Who may do what: propose, review, and act on one proposal (four eyes: never review your own)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext

from records.models import Proposal
from records.workflow.errors import ClaimHeld


def can_propose(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("records.propose_change")


def can_review(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("records.review_proposal")


def check_proposer(user: AbstractBaseUser) -> None:
    if not can_propose(user):
        raise PermissionDenied(
            gettext("Your account cannot propose changes yet; an administrator grants the researcher role.")
        )


def check_author(proposal: Proposal, user: AbstractBaseUser, message: str) -> None:
    """Only the proposal's author may take this step; `message` says which step."""
    if proposal.author_id != user.pk:
        raise PermissionDenied(message)


def check_reviewer(proposal: Proposal, reviewer: AbstractBaseUser) -> None:
    if proposal.author_id == reviewer.pk:
        raise PermissionDenied(gettext("You cannot review your own proposal; another reviewer must."))
    if not can_review(reviewer):
        raise PermissionDenied(gettext("Only reviewers can approve or reject proposals."))


def claim_refusal(proposal: Proposal) -> str:
    """Who holds the proposal's claim and until when, as a refusal tells it."""
    until = formats.date_format(timezone.localtime(proposal.claim_expires_at), "Y-m-d H:i T")
    return gettext("Already claimed by %(name)s until %(until)s: only they may approve or reject it until then.") % {
        "name": proposal.claimed_by.public_name,
        "until": until,
    }


def check_claim(proposal: Proposal, reviewer: AbstractBaseUser) -> None:
    """While another reviewer's claim is live, only they may decide the proposal (ClaimHeld otherwise)."""
    if proposal.claimed_by_id not in (None, reviewer.pk) and proposal.claim_live():
        raise ClaimHeld(claim_refusal(proposal))
