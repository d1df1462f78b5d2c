"""Faults, for real: a process killed in the middle of an approval leaves everything as it was.

The approval runs in a separate Python process against the test database. The test holds a lock on
the audit table, which approval writes to last, after the record's rows and its new revision: the
approval stops there with everything else written but not committed. The process is then killed
(SIGKILL: no cleanup, no rollback from Python), and PostgreSQL must have undone all of it.
"""

from __future__ import annotations

import inspect
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from records.models import Proposal, ProposalStatus, Record, Revision
from records.workflow import review
from tests.factories import propose_update, publish, staff_pair

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

APPROVE = """
import django, sys
django.setup()
from django.contrib.auth import get_user_model
from records.workflow import review
reviewer = get_user_model().objects.get(pk=int(sys.argv[2]))
review.proposal_approve(proposal_id=int(sys.argv[1]), reviewer=reviewer, **eval(sys.argv[3]))
"""


def conninfo() -> str:
    s = connection.settings_dict
    parts = {"host": s["HOST"], "port": s["PORT"], "user": s["USER"], "password": s["PASSWORD"], "dbname": s["NAME"]}
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def approval_extras(proposal: Proposal) -> dict:
    """Arguments beyond id and reviewer that this version of the workflow asks of an approval."""
    parameters = inspect.signature(review.proposal_approve).parameters
    return {"version": proposal.version} if "version" in parameters else {}


def wait_until_blocked(worker: subprocess.Popen, deadline: float) -> None:
    """Until the approving process waits for the lock (it has connected and written what comes before).
    Asked on a connection of its own: inside a transaction, pg_stat_activity would not change."""
    with psycopg.connect(conninfo(), autocommit=True) as monitor:
        _wait(monitor, worker, deadline)


def _wait(monitor: psycopg.Connection, worker: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline and worker.poll() is None:
        waiting = monitor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name <> 'holder' "
            "AND datname = current_database()"
        ).fetchone()[0]
        if waiting:
            return
        time.sleep(0.05)  # polling for a state, not timing anything
    raise AssertionError(f"the approving process never reached the audit table: {output_of(worker)}")


def output_of(worker: subprocess.Popen) -> str:
    if worker.poll() is None:
        return "(still running)"
    return worker.stderr.read().decode()[-3000:]


def test_a_process_killed_during_an_approval_leaves_everything_as_before():
    author, reviewer = staff_pair()
    place = publish("place", name="Kurgan Region", kind="region", author=author, reviewer=reviewer)
    proposal = propose_update(place, author, notes="Set before the crash")
    revisions_before = Revision.objects.count()

    holder = psycopg.connect(conninfo() + " application_name=holder")
    holder.execute("LOCK TABLE portal_auditentry IN EXCLUSIVE MODE")  # inside holder's open transaction
    env = dict(os.environ, DATABASE_URL=database_url(), DJANGO_SETTINGS_MODULE="portal.settings")
    worker = subprocess.Popen(
        [sys.executable, "-c", APPROVE, str(proposal.pk), str(reviewer.pk), repr(approval_extras(proposal))],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_blocked(worker, time.monotonic() + 25)  # before the statement timeout (30 s)
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
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer, **approval_extras(proposal))
    assert Record.objects.get(pk=place.pk).notes == "Set before the crash"
    assert Revision.objects.filter(record=place).count() == 2
