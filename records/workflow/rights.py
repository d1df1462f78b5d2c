"""Who may do what: propose, review, and act on one proposal (four eyes: never review your own)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from records.models import Proposal


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
