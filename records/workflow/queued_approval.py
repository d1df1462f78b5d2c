"""Approving a large proposal in the worker, not inside the reviewer's request.

A reviewer's approve (`approval_request`) approves a proposal of up to `inline_max_items()` changes at
once (`proposal_approve`). A larger one is checked as far as it can be without publishing — the
reviewer may review it (four-eyes), it is submitted, nobody else holds a claim, the version is the one
the reviewer read — and an ApprovalRun is queued with the job APPROVAL_JOB in the same transaction.
The worker (`approval_work`) then calls the same `proposal_approve`, with the same reviewer, comment
and version, so every rule of an approval holds (transaction, conflicts, three-way merge): it publishes
every change or none. Meanwhile the run shows "approving: n of N" (written on a connection of its own,
since the approval's transaction holds the proposal's lock until it commits); a refused approval leaves
the run `failed`, with the reason, and the proposal submitted.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext
from procrastinate.contrib.django import app as queue

from records.models import ApprovalRun, Proposal, ProposalItem
from records.workflow.approval import proposal_approve
from records.workflow.errors import Conflict, NotFound, ProposalInvalid, StaleVersion, WrongStatus
from records.workflow.steps import proposal_for_review

APPROVAL_JOB = "records.approve_proposal"
IN_PROGRESS = (ApprovalRun.State.QUEUED, ApprovalRun.State.RUNNING)
REFUSED = (Conflict, ProposalInvalid, WrongStatus, NotFound, PermissionDenied)


def inline_max_items() -> int:
    """Proposals of up to this many changes are approved inside the request (APPROVAL_INLINE_MAX_ITEMS)."""
    return getattr(settings, "APPROVAL_INLINE_MAX_ITEMS", 1000)


def approval_request(
    *, proposal_id: int, reviewer: AbstractBaseUser, comment: str = "", version: int | None = None
) -> Proposal:
    """What a reviewer's approve does: publish now, or queue the approval of a large proposal for the
    worker (then the proposal stays submitted, with its `approval_run`). Raises what proposal_approve
    raises for what can be told before publishing (WrongStatus, StaleVersion, ClaimHeld, PermissionDenied)."""
    total = ProposalItem.objects.filter(proposal_id=proposal_id).count()
    if total <= inline_max_items():
        return proposal_approve(proposal_id=proposal_id, reviewer=reviewer, comment=comment, version=version)
    with transaction.atomic():
        refusal = gettext("This proposal is %(status)s; only a submitted one can be approved.")
        proposal = proposal_for_review(proposal_id, reviewer, refusal)
        if version is not None and version != proposal.version:
            raise StaleVersion(
                gettext("The proposal was changed since you read it (you read version %(read)s, it is now %(now)s).")
                % {"read": version, "now": proposal.version}
            )
        run = ApprovalRun.objects.select_for_update().filter(proposal=proposal).first()
        if run is not None and run.state in IN_PROGRESS:
            raise WrongStatus(gettext("This proposal is being approved already."))
        ApprovalRun.objects.update_or_create(
            proposal=proposal,
            defaults={
                "reviewer": reviewer,
                "comment": (comment or "").strip(),
                "version": proposal.version,
                "state": ApprovalRun.State.QUEUED,
                "done": 0,
                "total": total,
                "error": "",
            },
        )
        queue.configure_task(name=APPROVAL_JOB, queue="approvals").defer(proposal_id=proposal.pk)
    return proposal


def approval_work(proposal_id: int) -> None:
    """The worker's job: approve the proposal as the reviewer did, reporting progress; on a refusal the
    run is `failed` with the reason (the approval's transaction left nothing published)."""
    started = ApprovalRun.objects.filter(proposal_id=proposal_id, state=ApprovalRun.State.QUEUED).update(
        state=ApprovalRun.State.RUNNING
    )
    if not started:
        return
    run = ApprovalRun.objects.select_related("reviewer").get(proposal_id=proposal_id)
    report, close = _reporter(run.pk)
    try:
        proposal_approve(
            proposal_id=proposal_id, reviewer=run.reviewer, comment=run.comment, version=run.version, progress=report
        )
    except REFUSED as exc:
        close()
        ApprovalRun.objects.filter(pk=run.pk).update(state=ApprovalRun.State.FAILED, error=_reason(exc)[:2000])
        return
    except Exception:
        close()
        ApprovalRun.objects.filter(pk=run.pk).update(
            state=ApprovalRun.State.FAILED, error=gettext("The approval failed; nothing was published. Try again.")
        )
        raise
    close()
    ApprovalRun.objects.filter(pk=run.pk).delete()  # published: the proposal's status says so


def _reason(exc: Exception) -> str:
    if isinstance(exc, Conflict):
        return gettext(exc.message)
    if isinstance(exc, ProposalInvalid):
        return gettext("The proposal is no longer valid against the published records.")
    return str(exc) or exc.__class__.__name__


def _reporter(run_id: int) -> tuple[Callable[[int], None], Callable[[], None]]:
    """progress(n) written at once on a second connection of its own (autocommit, outside Django's pool,
    which may hold one connection only), and how to close it."""
    second = psycopg.connect(**connection.get_connection_params(), autocommit=True)

    def report(done: int) -> None:
        second.execute("UPDATE records_approvalrun SET done = %s WHERE id = %s", [done, run_id])

    return report, second.close
