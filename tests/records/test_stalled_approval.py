"""An approval run by the worker never stays stuck: a worker killed mid-approval leaves nothing
published and its job is retried once through procrastinate; a job that stalls again, fails, is
cancelled or is lost leaves the run failed with the reason, and approving again works. The worker and
PostgreSQL are real (tests/queue.py); a dead worker's silence is its heartbeat set back in time."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from procrastinate.contrib.django import app as queue
from procrastinate.contrib.django.models import ProcrastinateJob

from bench import serving
from portal import pgtools
from records.models import ApprovalRun, Proposal, Record, Revision
from records.workflow import queued_approval
from tests.factories import publish_many
from tests.queue import queue_emptied, worker_run
from tests.records.test_queued_approval import renames

pytestmark = pytest.mark.django_db(transaction=True)
STOPPED = "The worker stopped before the approval finished; nothing was published. Approve again."


@pytest.fixture(autouse=True)
def small_threshold(settings):
    queue_emptied()
    settings.APPROVAL_INLINE_MAX_ITEMS = 2


def queued(as_user, researcher, reviewer) -> tuple[Proposal, list[Record]]:
    places = publish_many("place", 3, kind="city")
    proposal = renames(researcher, places)
    assert as_user(reviewer).post(f"/api/v1/changes/{proposal.pk}/approve/", {}).status_code == 202
    return proposal, places


def approval_seen(as_user, user, proposal: Proposal) -> dict | None:
    return as_user(user).get(f"/api/v1/changes/{proposal.pk}/").json()["approval"]


def run_job() -> ProcrastinateJob:
    return ProcrastinateJob.objects.get(pk=ApprovalRun.objects.get().job_id)


def taken_by_a_worker_that_dies() -> None:
    """What a worker does with the approval job (procrastinate's own functions: register, fetch, then
    approval_work marks the run running), after which it dies: its heartbeat stops."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT worker_id FROM procrastinate_register_worker_v1()")
        worker_id = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM procrastinate_fetch_job_v2(ARRAY['approvals']::varchar[], %s)", [worker_id])
        assert cursor.fetchone()[0] == ApprovalRun.objects.get().job_id
    ApprovalRun.objects.update(state=ApprovalRun.State.RUNNING, done=1)
    heartbeats_stopped()


def heartbeats_stopped() -> None:
    """Every worker registered so far last beat an hour ago (as after a kill or a machine restart)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour'")


@contextmanager
def run_changes_heard() -> Iterator[psycopg.Connection]:
    """A connection LISTENing to every write of an approval run (a trigger of this test's own, dropped
    afterwards): the test blocks until the worker reports, instead of polling."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_approval_run_told() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            " PERFORM pg_notify('approval_run', NEW.state || ' ' || NEW.done); RETURN NULL; END $$;"
            " CREATE TRIGGER test_approval_run_told AFTER INSERT OR UPDATE ON records_approvalrun"
            " FOR EACH ROW EXECUTE FUNCTION test_approval_run_told()"
        )
    listener = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        listener.execute("LISTEN approval_run")
        yield listener
    finally:
        listener.close()
        with connection.cursor() as cursor:
            cursor.execute("DROP FUNCTION test_approval_run_told() CASCADE")


def heard(listener: psycopg.Connection, payload: str, why: Callable[[], str], seconds: float = 120) -> None:
    """Block until the run's write `payload` ("running 3") is told, for at most `seconds`."""
    if not any(note.payload == payload for note in listener.notifies(timeout=seconds)):
        raise AssertionError(f"never told {payload!r}: {why()}")


def test_a_worker_killed_mid_approval_publishes_nothing_and_the_job_is_retried(tmp_path, as_user, researcher, reviewer):
    proposal, places = queued(as_user, researcher, reviewer)
    # Another transaction holds one of the records' read-model rows: the worker's approval writes every
    # change, then waits there, inside its transaction, until it is killed.
    blocker = psycopg.connect(**connection.get_connection_params())
    blocker.execute("SELECT 1 FROM records_reading WHERE record_id = %s FOR UPDATE", [places[-1].pk])
    with run_changes_heard() as listener:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "approvals"],
            env=serving.production_env(pgtools.database_url()),
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "worker.log").open("w"),
        )
        try:
            heard(listener, "running 3", lambda: f"worker {worker.poll()}: {(tmp_path / 'worker.log').read_text()}")
        except BaseException:
            worker.kill()
            raise
    try:
        # Alive and beating: the run is left alone and a second approve is refused.
        assert approval_seen(as_user, reviewer, proposal) == {"state": "running", "done": 3, "total": 3, "error": ""}
        again = as_user(reviewer).post(f"/api/v1/changes/{proposal.pk}/approve/", {})
        assert again.status_code == 409 and "being approved already" in again.json()["detail"]
    finally:
        worker.kill()
        worker.wait()
    blocker.close()  # the dead worker's transaction can only roll back now

    assert not Record.objects.filter(label__endswith="(renamed)").exists()
    assert run_job().status == "doing"
    assert approval_seen(as_user, reviewer, proposal)["state"] == "running"  # its heartbeat is recent still
    heartbeats_stopped()

    # The reviewer opening the proposal sees the truth: the job was queued again through procrastinate.
    assert approval_seen(as_user, reviewer, proposal) == {"state": "queued", "done": 0, "total": 3, "error": ""}
    assert (run_job().status, run_job().attempts) == ("todo", 1)
    worker_run()
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"
    assert Record.objects.published().filter(label__endswith="(renamed)").count() == 3
    assert Revision.objects.filter(record_id__in=[p.pk for p in places]).count() == 6  # each once
    assert not ApprovalRun.objects.exists()


def test_a_job_that_stalls_twice_fails_the_run_and_the_reviewer_approves_again(as_user, researcher, reviewer):
    proposal, _places = queued(as_user, researcher, reviewer)
    taken_by_a_worker_that_dies()
    assert queued_approval.approvals_check() == 1  # retried once
    assert approval_seen(as_user, reviewer, proposal)["state"] == "queued"

    taken_by_a_worker_that_dies()
    page = as_user(reviewer).get(f"/proposals/{proposal.pk}/").content.decode()

    assert "The worker stopped before the approval finished" in page
    assert approval_seen(as_user, reviewer, proposal) == {"state": "failed", "done": 1, "total": 3, "error": STOPPED}
    assert run_job().status == "failed"  # not `doing` for ever
    in_russian = as_user(reviewer).get(f"/api/v1/changes/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert in_russian["approval"]["error"].startswith("Фоновый обработчик остановился")
    assert queued_approval.approvals_check() == 0
    assert not Record.objects.filter(label__endswith="(renamed)").exists()

    assert as_user(reviewer).post(f"/api/v1/changes/{proposal.pk}/approve/", {}).status_code == 202
    worker_run()
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"
    assert Record.objects.published().filter(label__endswith="(renamed)").count() == 3


@pytest.mark.parametrize("ending", ["stalled again", "failed", "cancelled", "lost"])
def test_a_job_that_ended_or_is_gone_fails_the_run_and_approve_queues_it_anew(
    ending, as_user, researcher, reviewer, reviewer2
):
    proposal, _places = queued(as_user, researcher, reviewer)
    job_id = ApprovalRun.objects.get().job_id
    if ending == "stalled again":
        taken_by_a_worker_that_dies()
        assert queued_approval.approvals_check() == 1
        taken_by_a_worker_that_dies()
    elif ending == "failed":
        taken_by_a_worker_that_dies()
        with connection.cursor() as cursor:  # as the worker ends a job that raised
            cursor.execute("SELECT procrastinate_finish_job_v1(%s, 'failed', false)", [job_id])
    elif ending == "cancelled":
        assert queue.job_manager.cancel_job_by_id(job_id)
    else:
        with connection.cursor() as cursor:  # e.g. removed by hand, or a database restored without it
            cursor.execute("DELETE FROM procrastinate_jobs WHERE id = %s", [job_id])

    # Approving again does not answer "being approved already": the dead run is seen and replaced.
    answer = as_user(reviewer2).post(f"/api/v1/changes/{proposal.pk}/approve/", {})

    assert answer.status_code == 202, answer.content
    assert answer.json()["approval"]["state"] == "queued"
    assert ApprovalRun.objects.get().job_id != job_id
    worker_run()
    after = as_user(researcher).get(f"/api/v1/changes/{proposal.pk}/").json()
    assert (after["status"], after["reviewer"]) == ("approved", reviewer2.public_name)


def test_the_worker_checks_by_itself_every_minute(as_user, researcher, reviewer):
    """The periodic job, run by a real worker: it retries the dead worker's job, which the same worker
    then runs."""
    periodic = {task.periodic_id: task for task in queue.periodic_registry.periodic_tasks.values()}
    assert periodic["check-approvals"].cron == "* * * * *"
    proposal, _places = queued(as_user, researcher, reviewer)
    taken_by_a_worker_that_dies()
    queue.configure_task(name="records.check_approvals").defer(timestamp=int(time.time()))

    worker_run()

    assert Proposal.objects.get(pk=proposal.pk).status == "approved"
    assert Record.objects.published().filter(label__endswith="(renamed)").count() == 3


def test_a_repeated_job_for_a_published_proposal_does_nothing(as_user, researcher, reviewer):
    proposal, places = queued(as_user, researcher, reviewer)
    worker_run()
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"
    revisions = Revision.objects.count()

    # The job again, as after a retry: no run any more.
    queue.configure_task(name=queued_approval.APPROVAL_JOB, queue="approvals").defer(proposal_id=proposal.pk)
    worker_run()
    # A run left behind by a worker that died after the approval committed.
    ApprovalRun.objects.create(proposal=proposal, reviewer=reviewer, version=proposal.version, total=3)
    queued_approval.approval_work(proposal.pk)

    assert Revision.objects.count() == revisions
    assert not ApprovalRun.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"
