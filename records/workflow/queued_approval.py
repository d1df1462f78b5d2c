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

A worker can die mid-approval (killed, the machine restarted) and a job can be lost. `approval_check`
compares a queued or running run with its job: a job of a worker whose heartbeat stopped (procrastinate's
`get_stalled_jobs`) is retried once through procrastinate (the approval is one transaction, so the dead
one published nothing); a job that stalled again, ended (failed, cancelled, aborted) or is gone leaves the
run `failed` with STOPPED, and approve queues it anew. The worker runs it every minute
(`records.check_approvals`); the proposal's page and API run it before showing a run in progress, and
approve before refusing with "being approved already".
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from procrastinate.contrib.django import app as queue
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.jobs import Status
from procrastinate.manager import JobManager
from procrastinate.sql import queries as procrastinate_sql

from records.models import ApprovalRun, Proposal, ProposalItem, ProposalStatus
from records.models.proposals import approval_shown
from records.workflow.approval import proposal_approvable, proposal_approve
from records.workflow.errors import Conflict, NotFound, ProposalInvalid, WrongStatus
from records.workflow.rights import check_reviewer

APPROVAL_JOB = "records.approve_proposal"
APPROVAL_QUEUE = "approvals"
IN_PROGRESS = (ApprovalRun.State.QUEUED, ApprovalRun.State.RUNNING)
REFUSED = (Conflict, ProposalInvalid, WrongStatus, NotFound, PermissionDenied)
# A worker that sent no heartbeat for this long is dead: procrastinate's own default (get_stalled_jobs, and
# the worker's stalled_worker_timeout; a worker beats every 10 s, from its event loop, also during a job).
STALLED_AFTER_SECONDS = 30
RETRIES = 1  # a stalled approval job is queued again this many times, then the run fails
# Stored in English (it may be written during anyone's request), shown in the reader's language.
STOPPED = gettext_noop("The worker stopped before the approval finished; nothing was published. Approve again.")
FAILED = gettext_noop("The approval failed; nothing was published. Try again.")


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
    _refuse_while_running(proposal_id, reviewer)
    with transaction.atomic():
        proposal = proposal_approvable(proposal_id, reviewer, version)
        run = ApprovalRun.objects.select_for_update().filter(proposal=proposal).first()
        if run is not None and run.state in IN_PROGRESS:
            approval_check(proposal.pk)  # its job may have died: then the run has failed now
            run.refresh_from_db(fields=["state"])
            if run.state in IN_PROGRESS:
                raise WrongStatus(gettext("This proposal is being approved already."))
        job_id = queue.configure_task(name=APPROVAL_JOB, queue=APPROVAL_QUEUE).defer(proposal_id=proposal.pk)
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
                "job_id": job_id,
            },
        )
    return proposal


def _refuse_while_running(proposal_id: int, reviewer: AbstractBaseUser) -> None:
    """A run the worker is running holds the proposal's lock until it ends: say so at once (after the
    four-eyes check), rather than wait for the lock, unless its worker is dead."""
    run = ApprovalRun.objects.filter(proposal_id=proposal_id, state=ApprovalRun.State.RUNNING).first()
    proposal = Proposal.objects.filter(pk=proposal_id).first() if run is not None else None
    if proposal is None:
        return
    check_reviewer(proposal, reviewer)
    if _job_state(run)[0] == _ALIVE:
        raise WrongStatus(gettext("This proposal is being approved already."))


def approval_work(proposal_id: int) -> None:
    """The worker's job: approve the proposal as the reviewer did, reporting progress; on a refusal the
    run is `failed` with the reason (the approval's transaction left nothing published)."""
    started = ApprovalRun.objects.filter(proposal_id=proposal_id, state=ApprovalRun.State.QUEUED).update(
        state=ApprovalRun.State.RUNNING
    )
    if not started:
        return  # approved already (the run is gone), or the run failed: nothing to do
    run = ApprovalRun.objects.select_related("reviewer", "proposal").get(proposal_id=proposal_id)
    if run.proposal.status != ProposalStatus.SUBMITTED:
        ApprovalRun.objects.filter(pk=run.pk).delete()  # published (or withdrawn) meanwhile: nothing to do
        return
    runs = ApprovalRun.objects.filter(pk=run.pk)
    report, close = _reporter(run.pk)
    try:
        proposal_approve(
            proposal_id=proposal_id, reviewer=run.reviewer, comment=run.comment, version=run.version, progress=report
        )
    except REFUSED as exc:
        runs.update(state=ApprovalRun.State.FAILED, error=_reason(exc)[:2000])
        return
    except Exception:
        runs.update(state=ApprovalRun.State.FAILED, error=FAILED)
        raise
    finally:
        close()
    runs.delete()  # published: the proposal's status says so


def approval_checked(proposal: Proposal) -> ApprovalRun | None:
    """The run the proposal's page and API show (approval_shown), after approval_check when it is in
    progress and its job is no longer alive."""
    run = approval_shown(proposal)
    if run is None or run.state not in IN_PROGRESS or _job_state(run)[0] == _ALIVE:
        return run
    approval_check(proposal.pk)
    return ApprovalRun.objects.filter(pk=run.pk).first()  # gone if the proposal was published meanwhile


def approvals_check() -> int:
    """approval_check for every run in progress (the worker's periodic job); how many it settled."""
    queued = ApprovalRun.objects.filter(state__in=IN_PROGRESS).values_list("proposal_id", flat=True)
    return sum(approval_check(proposal_id) for proposal_id in list(queued))


def approval_check(proposal_id: int) -> bool:
    """Settle the proposal's run if it is queued or running but its job is not alive (module docstring):
    retry a stalled job once, else fail the run with STOPPED (a run of a proposal published or withdrawn
    meanwhile is removed). True if it did something."""
    with transaction.atomic():
        # Its own row only: the worker's approval holds the proposal's lock for as long as it runs.
        run = ApprovalRun.objects.select_for_update(of=("self",)).filter(proposal_id=proposal_id).first()
        if run is None or run.state not in IN_PROGRESS:
            return False
        state, attempts = _job_state(run)
        if state == _ALIVE:
            return False
        retry = state == _STALLED and attempts < RETRIES
        if state == _STALLED:  # procrastinate's own retry, or the job ends failed instead of `doing` for ever
            if retry:
                _jobs().retry_job_by_id(run.job_id, retry_at=timezone.now())
            else:
                # what JobManager.finish_job_by_id_async runs, synchronously on Django's connection
                _jobs().connector.execute_query(
                    query=procrastinate_sql["finish_job"],
                    job_id=run.job_id,
                    status=Status.FAILED.value,
                    delete_job=False,
                )
        runs = ApprovalRun.objects.filter(pk=run.pk)
        if Proposal.objects.filter(pk=proposal_id, status=ProposalStatus.SUBMITTED).exists():
            if retry:
                runs.update(state=ApprovalRun.State.QUEUED, done=0)
            else:
                runs.update(state=ApprovalRun.State.FAILED, error=STOPPED)
        else:
            runs.delete()
    return True


_ALIVE, _STALLED, _ENDED = "alive", "stalled", "ended"


def _job_state(run: ApprovalRun) -> tuple[str, int]:
    """Whether the run's job is alive (waiting, or run by a worker that still beats), stalled (its worker
    stopped beating) or ended (succeeded, failed, cancelled, aborted, or gone), and its attempts."""
    job = ProcrastinateJob.objects.filter(pk=run.job_id).values("status", "attempts").first() if run.job_id else None
    if job is None:
        return _ENDED, 0
    if job["status"] == Status.TODO.value:
        return _ALIVE, job["attempts"]
    if job["status"] != Status.DOING.value:
        return _ENDED, job["attempts"]
    # What JobManager.get_stalled_jobs runs (async only there), synchronously on Django's connection: an
    # async_to_sync bridge fails in a thread that already runs an event loop.
    stalled = _jobs().connector.execute_query_all(
        query=procrastinate_sql["select_stalled_jobs_by_heartbeat"],
        queue=APPROVAL_QUEUE,
        task_name=APPROVAL_JOB,
        seconds_since_heartbeat=STALLED_AFTER_SECONDS,
    )
    return (_STALLED if run.job_id in {row["id"] for row in stalled} else _ALIVE), job["attempts"]


def _jobs() -> JobManager:
    """procrastinate's job manager on Django's connection (the worker's app has a connector of its own):
    its queries run in the caller's transaction."""
    return JobManager(DjangoConnector())


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
