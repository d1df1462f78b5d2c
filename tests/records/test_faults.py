"""Faults, for real: a process killed in the middle of an approval leaves everything as it was.

The approval runs in a separate Python process against the test database. The test holds a lock on
the audit table, which approval writes to last, after the record's rows and its new revision. The
process says on its output when it reaches that step (and then waits for the lock, its writes not
committed); it is then killed (SIGKILL: no cleanup, no rollback from Python), and PostgreSQL must have
undone all of it.
"""

from __future__ import annotations

import select
import signal
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings

from portal import pgtools
from records.models import ProposalStatus, Record, Revision
from records.workflow import review
from tests.factories import propose_update, publish, staff_pair

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

REACHED = "writing the audit entry"
APPROVE = f"""
import django, sys
django.setup()
from django.contrib.auth import get_user_model
from records.workflow import approval, review

audit = approval.audit
def announced_audit(*args, **kwargs):
    print({REACHED!r}, flush=True)
    return audit(*args, **kwargs)
approval.audit = announced_audit

reviewer = get_user_model().objects.get(pk=int(sys.argv[2]))
review.proposal_approve(proposal_id=int(sys.argv[1]), reviewer=reviewer, version=int(sys.argv[3]))
"""


def line_from(worker: subprocess.Popen, seconds: float) -> str:
    """The worker's next line of output, waiting at most `seconds` (and failing with its errors if none)."""
    ready, _, _ = select.select([worker.stdout], [], [], seconds)
    line = worker.stdout.readline().decode().strip() if ready else ""
    if not line:
        worker.kill()
        raise AssertionError(f"the approving process said nothing: {worker.stderr.read().decode()[-3000:]}")
    return line


def test_a_process_killed_during_an_approval_leaves_everything_as_before():
    author, reviewer = staff_pair()
    place = publish("place", name="Kurgan Region", kind="region", author=author, reviewer=reviewer)
    proposal = propose_update(place, author, notes="Set before the crash")
    revisions_before = Revision.objects.count()

    holder = psycopg.connect(pgtools.conninfo())
    holder.execute("LOCK TABLE portal_auditentry IN EXCLUSIVE MODE")  # inside holder's open transaction
    env = pgtools.client_env() | {"DATABASE_URL": pgtools.database_url(), "DJANGO_SETTINGS_MODULE": "portal.settings"}
    worker = subprocess.Popen(
        [sys.executable, "-c", APPROVE, str(proposal.pk), str(reviewer.pk), str(proposal.version)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert line_from(worker, 60) == REACHED
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        holder.rollback()
        holder.close()

    assert worker.returncode == -signal.SIGKILL
    place.refresh_from_db()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert place.revision == 1 and place.notes == ""
    assert Revision.objects.count() == revisions_before
    # And the portal carries on: the same proposal approves cleanly afterwards.
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer, version=proposal.version)
    assert Record.objects.get(pk=place.pk).notes == "Set before the crash"
    assert Revision.objects.filter(record=place).count() == 2
