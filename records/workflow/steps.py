"""What the steps of the workflow share: the proposal locked for the step, a reviewer's decision on
it, and the audit entry a step leaves."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext

from portal.models import AuditEntry
from records.models import Proposal, ProposalStatus
from records.workflow.errors import NotFound, WrongStatus
from records.workflow.rights import check_claim, check_reviewer


def proposal_lock(proposal_id: int) -> Proposal:
    """The proposal, row-locked until the transaction ends (call inside one)."""
    try:
        return Proposal.objects.select_for_update().get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound(gettext("No such proposal.")) from None


def proposal_for_review(
    proposal_id: int, reviewer: AbstractBaseUser, refusal: str, *, deciding: bool = True
) -> Proposal:
    """The proposal, locked, if `reviewer` may review it and it is submitted; otherwise WrongStatus with
    `refusal` (which may name the proposal's `%(status)s`). To decide it (`deciding`), nobody else may
    hold a live claim on it (ClaimHeld)."""
    proposal = proposal_lock(proposal_id)
    check_reviewer(proposal, reviewer)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise WrongStatus(refusal % {"status": proposal.get_status_display()})
    if deciding:
        check_claim(proposal, reviewer)
    return proposal


def proposal_decide(proposal: Proposal, reviewer: AbstractBaseUser, status: str, comment: str) -> None:
    """Record the reviewer's decision on the proposal (the caller saves it)."""
    proposal.status = status
    proposal.reviewer = reviewer
    proposal.decided_at = timezone.now()
    proposal.decision_comment = comment[:5000]


def audit(actor, action: str, proposal: Proposal, **detail: Any) -> None:
    AuditEntry.objects.create(actor=actor, action=action, target=f"proposal:{proposal.pk}", detail=detail)
