"""What every step of the workflow shares: the proposal locked for the step, and the audit entry it leaves."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from portal.models import AuditEntry
from records.models import Proposal
from records.workflow.errors import NotFound


def proposal_lock(proposal_id: int) -> Proposal:
    """The proposal, row-locked until the transaction ends (call inside one)."""
    try:
        return Proposal.objects.select_for_update().get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound(gettext("No such proposal.")) from None


def audit(actor, action: str, proposal: Proposal, **detail: Any) -> None:
    AuditEntry.objects.create(actor=actor, action=action, target=f"proposal:{proposal.pk}", detail=detail)
