"""A large proposal is approved by the worker, not inside the reviewer's request: the same approval
(four-eyes, version, conflicts), progress shown on the page and in the API, and a refused approval
leaves nothing published and says why. The worker runs for real (tests/queue.py)."""

from __future__ import annotations

import pytest

from records.models import ApprovalRun, Proposal, Record
from records.workflow import review
from tests.factories import publish_many
from tests.queue import queue_emptied, worker_run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def small_threshold(settings):
    queue_emptied()
    settings.APPROVAL_INLINE_MAX_ITEMS = 2


def renames(author, places, suffix: str = " (renamed)") -> Proposal:
    return review.proposal_create(author=author, items=rename_items(places, suffix), summary="renames")


def rename_items(places, suffix: str = " (renamed)") -> list[review.ItemInput]:
    return [
        review.ItemInput(
            action="update",
            record_type="place",
            record_id=place.pk,
            base_revision=place.revision,
            data={"name": place.label + suffix, "names": {"en": place.label + suffix}},
        )
        for place in places
    ]


def test_a_large_approval_is_queued_shown_in_progress_and_published_by_the_worker(as_user, researcher, reviewer):
    places = publish_many("place", 3, kind="city")
    proposal = renames(researcher, places)

    assert as_user(researcher).post(f"/api/v1/changes/{proposal.pk}/approve/", {}).status_code == 403  # four eyes
    answer = as_user(reviewer).post(f"/api/v1/changes/{proposal.pk}/approve/", {"version": proposal.version})

    assert answer.status_code == 202, answer.content
    assert answer.json()["status"] == "submitted"
    assert answer.json()["approval"] == {"state": "queued", "done": 0, "total": 3, "error": ""}
    assert not Record.objects.filter(label__endswith="(renamed)").exists()  # nothing published yet
    page = as_user(reviewer).get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Approving: 0 of 3 changes published" in page
    again = as_user(reviewer).post(f"/api/v1/changes/{proposal.pk}/approve/", {})
    assert again.status_code == 409 and "being approved already" in again.json()["detail"]

    worker_run()

    after = as_user(researcher).get(f"/api/v1/changes/{proposal.pk}/").json()
    assert (after["status"], after["approval"], after["reviewer"]) == ("approved", None, reviewer.public_name)
    assert Record.objects.published().filter(label__endswith="(renamed)").count() == 3
    assert not ApprovalRun.objects.exists()


def test_a_refused_approval_in_the_worker_publishes_nothing_and_says_why(as_user, researcher, reviewer, reviewer2):
    places = publish_many("place", 3, kind="city")
    proposal = renames(researcher, places)
    assert as_user(reviewer).post(f"/api/v1/changes/{proposal.pk}/approve/", {}).status_code == 202
    # Meanwhile someone renames one of the places: the queued approval now conflicts with it.
    other = renames(researcher, places[:1], " (elsewhere)")
    review.proposal_approve(proposal_id=other.pk, reviewer=reviewer2)

    worker_run()

    after = as_user(reviewer).get(f"/api/v1/changes/{proposal.pk}/").json()
    assert after["status"] == "submitted"
    assert after["approval"]["state"] == "failed"
    assert "changed since this proposal was made" in after["approval"]["error"]
    assert not Record.objects.filter(label__endswith="(renamed)").exists()  # none of the three
    page = as_user(reviewer).get(f"/proposals/{proposal.pk}/").content.decode()
    assert "The approval was refused and nothing was published" in page

    for place in places:
        place.refresh_from_db()
    # The author rebases the changes: the old reason no longer applies.
    review.proposal_revise(proposal_id=proposal.pk, author=researcher, items=rename_items(places))
    assert as_user(reviewer).get(f"/api/v1/changes/{proposal.pk}/").json()["approval"] is None


def test_the_page_approves_a_large_proposal_through_the_worker(as_user, researcher, reviewer):
    places = publish_many("place", 3, kind="city")
    proposal = renames(researcher, places)

    answer = as_user(reviewer).post(f"/proposals/{proposal.pk}/approve/", {"version": proposal.version}, follow=True)

    page = answer.content.decode()
    assert "being approved in the background" in page
    assert "Approving: 0 of 3 changes published" in page
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"
    worker_run()
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"
    assert "Approving:" not in as_user(reviewer).get(f"/proposals/{proposal.pk}/").content.decode()


def test_progress_is_seen_by_others_while_the_approval_is_still_open(monkeypatch, as_user, researcher, reviewer):
    """The worker's step, run here: while its transaction is still open (before the read model is
    rendered), another connection already reads how many changes are written."""
    import psycopg
    from django.db import connection

    from records.workflow import approval, queued_approval

    places = publish_many("place", 3, kind="city")
    proposal = renames(researcher, places)
    as_user(reviewer).post(f"/api/v1/changes/{proposal.pk}/approve/", {})
    seen = []
    published = approval.readings_published

    def looking(*args, **kwargs):
        with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
            seen.append(other.execute("SELECT state, done, total FROM records_approvalrun").fetchall())
            seen.append(other.execute("SELECT status FROM records_proposal WHERE id = %s", [proposal.pk]).fetchall())
        return published(*args, **kwargs)

    monkeypatch.setattr(approval, "readings_published", looking)
    queued_approval.approval_work(proposal.pk)

    assert seen == [[("running", 3, 3)], [("submitted",)]]
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"
