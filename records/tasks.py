"""Background jobs of the records, run by the worker (`python manage.py procrastinate worker`).

The queue is procrastinate on the portal's own PostgreSQL: a job deferred inside a transaction is
queued if and only if that transaction commits, and no other server is needed. `make demo` starts a
worker beside the web server; in production one or more run beside the app servers (README,
*Deploying*). Lower layers defer jobs by their name (`tasks_defer`), so the workflow never imports
this module.
"""

from __future__ import annotations

from django.db import transaction
from procrastinate.contrib.django import app

from records.imports.running import IMPORT_JOB, import_files_remove, import_work
from records.workflow.queued_approval import APPROVAL_JOB, APPROVAL_QUEUE, approval_work, approvals_check
from records.workflow.readings import readings_refresh_stale_batch


@app.task(name="records.refresh_stale_readings", queue="readings", retry=3, pass_context=False)
def refresh_stale_readings() -> int:
    """Render again the bodies a rename shown by very many records marked stale, a batch per
    transaction so that no long transaction holds their locks."""
    total = 0
    while True:
        with transaction.atomic():
            done = readings_refresh_stale_batch()
        if not done:
            return total
        total += done


@app.task(name=IMPORT_JOB, queue="imports", pass_context=False)
def run_import(import_id: int) -> None:
    """Check an uploaded file, or propose a checked one (records/imports/running.py)."""
    import_work(import_id)


@app.task(name=APPROVAL_JOB, queue=APPROVAL_QUEUE, pass_context=False)
def approve_proposal(proposal_id: int) -> None:
    """Approve a large proposal as its reviewer asked (records/workflow/queued_approval.py)."""
    approval_work(proposal_id)


@app.periodic(cron="* * * * *", periodic_id="check-approvals")
@app.task(
    name="records.check_approvals", queue=APPROVAL_QUEUE, queueing_lock="records.check_approvals", pass_context=False
)
def check_approvals(timestamp: int) -> int:
    """Every minute: an approval whose worker died is retried once, or fails so that it can be approved
    again (queued_approval.approval_check); never stuck "being approved"."""
    return approvals_check()


@app.periodic(cron="17 3 * * *", periodic_id="remove-import-files")
@app.task(name="records.remove_import_files", queue="imports", pass_context=False)
def remove_import_files(timestamp: int) -> int:
    """Every night: remove the stored files of finished imports past their retention (their records stay)."""
    return import_files_remove()
