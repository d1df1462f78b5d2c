"""Background jobs on the queue (procrastinate on the portal's PostgreSQL), run by a real worker
process: a rename shown by very many bodies queues one job in the approval's transaction, and the
worker renders the stale bodies again."""

from __future__ import annotations

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from records.models import Reading
from records.workflow import readings, review
from tests.factories import propose_update, publish, publish_many, staff_pair
from tests.queue import queue_emptied, worker_run
from tests.representations import serialized

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def queue_empty():
    queue_emptied()


def rename(record, name: str) -> None:
    author, reviewer = staff_pair()
    proposal = propose_update(record, author, name=name, names={"en": name})
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)
    record.refresh_from_db()


def test_a_wide_rename_queues_one_job_and_a_worker_renders_the_stale_bodies(monkeypatch, api):
    kz = publish("place", name="Kazakhstan")
    agreements = publish_many("agreement", 4, parties=[{"id": kz.pk, "role": "party"}])
    monkeypatch.setattr(readings, "RENAME_INLINE", 2)

    rename(kz, "Qazaqstan")
    rename(kz, "Qazaqstan Respublikasy")  # a second wide rename while the first job still waits

    assert Reading.objects.filter(stale=True, language="").count() == 4
    jobs = ProcrastinateJob.objects.filter(task_name=readings.REFRESH_JOB)
    assert [job.status for job in jobs] == ["todo"]  # one waiting job is enough for both
    # Readers meanwhile get the new name, rendered from the revision.
    listed = api.get("/api/v1/agreements/", {"ordering": "id"}).json()["results"]
    assert {row["parties"][0]["name"] for row in listed} == {"Qazaqstan Respublikasy"}

    worker_run()

    assert [job.status for job in jobs.all()] == ["succeeded"]
    assert not Reading.objects.filter(stale=True).exists()
    for agreement in agreements:
        assert Reading.objects.get(record_id=agreement.pk, language="").body.count("Qazaqstan Respublikasy") == 1
        response = api.get(f"/api/v1/agreements/{agreement.pk}/")
        assert response.content == serialized(agreement)


def test_a_rejected_approval_queues_no_job(monkeypatch):
    """The job is queued in the approval's transaction: an approval that fails leaves no job behind."""
    kz = publish("place", name="Kazakhstan")
    publish_many("agreement", 3, parties=[{"id": kz.pk, "role": "party"}])
    monkeypatch.setattr(readings, "RENAME_INLINE", 1)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away after the bodies were marked")

    monkeypatch.setattr(readings, "readings_store", fail)
    with pytest.raises(RuntimeError):
        rename(kz, "Qazaqstan")
    assert not ProcrastinateJob.objects.exists()
    assert not Reading.objects.filter(stale=True).exists()
