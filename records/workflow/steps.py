"""What the steps of the workflow share: the proposal locked for the step, a reviewer's decision on
it, and the audit entry a step leaves."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext

from portal.models import AuditEntry
from records.models import Proposal, ProposalStatus, Record
from records.workflow.errors import NotFound, WrongStatus
from records.workflow.rights import check_claim, check_reviewer


def proposal_lock(proposal_id: int) -> Proposal:
    """The proposal, row-locked until the transaction ends (call inside one)."""
    try:
        return Proposal.objects.select_for_update().get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound(gettext("No such proposal.")) from None


def records_lock(update: Iterable[int], share: Iterable[int] = ()) -> dict[int, Record]:
    """Row locks on records until the transaction ends, taken in id order so that two approvals cannot
    deadlock: FOR UPDATE on the records a step writes (`update`), FOR SHARE on those it only refers to
    (`share`), which nobody can then withdraw or change until it commits. The locked rows, by id, as
    they are once locked."""
    update = set(update)
    wanted = sorted(update | set(share))
    locked: dict[int, Record] = {}
    for writing, run in itertools.groupby(wanted, key=lambda pk: pk in update):
        ids = list(run)
        if writing:
            rows = Record.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        else:  # Django's select_for_update has no FOR SHARE
            rows = Record.objects.raw("SELECT * FROM records_record WHERE id = ANY(%s) ORDER BY id FOR SHARE", [ids])
        locked.update((record.pk, record) for record in rows)
    return locked


Step = TypeVar("Step", bound=Callable[..., Any])
DEADLOCK = "40P01"  # PostgreSQL's SQLSTATE for a detected deadlock


def retried_on_deadlock(step: Step, attempts: int = 3) -> Step:
    """Run the step (one transaction) again when PostgreSQL broke a deadlock by aborting it, so that no
    deadlock reaches anyone; row locks in id order make one rare (records referred to by a merged change
    are locked late). Inside an outer transaction there is nothing to retry."""

    @functools.wraps(step)
    def run(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(attempts):
            try:
                return step(*args, **kwargs)
            except OperationalError as exc:
                deadlock = getattr(exc.__cause__, "sqlstate", None) == DEADLOCK
                if not deadlock or connection.in_atomic_block or attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    return run  # type: ignore[return-value]


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
