"""Approvals racing each other in real threads against real PostgreSQL: row locks decide, nothing is lost."""

import threading

import pytest
from django.db import connection

from records.models import Proposal, Revision
from records.workflow import review
from records.workflow.publishing import load_record
from tests.factories import UserFactory, propose_update, publish

pytestmark = pytest.mark.django_db(transaction=True)


def race(functions) -> list:
    """Run the functions at the same moment in threads; return each one's result or exception."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # the exception is the result under test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_competing_edits_of_one_field_exactly_one_wins():
    researcher = UserFactory(roles=["researcher"])
    reviewers = [UserFactory(roles=["reviewer"]) for _ in range(4)]
    place = publish("place", name="Korgan", kind="region")
    proposals = [propose_update(place, researcher, name=f"Kurgan variant {n}") for n in range(4)]

    results = race(
        [
            lambda p=p, r=r: review.proposal_approve(proposal_id=p.pk, reviewer=r)
            for p, r in zip(proposals, reviewers, strict=True)
        ]
    )

    winners = [r for r in results if isinstance(r, Proposal)]
    conflicts = [r for r in results if isinstance(r, review.Conflict)]
    assert len(winners) == 1 and len(conflicts) == 3, results
    assert list(Revision.objects.filter(record=place).order_by("number").values_list("number", flat=True)) == [1, 2]
    assert load_record(place.pk).label == Proposal.objects.get(pk=winners[0].pk).items.get().data["name"]
    assert Proposal.objects.filter(status="submitted", conflict__isnull=False).count() == 3


def test_competing_edits_of_different_fields_all_apply_in_gapless_revisions():
    researcher = UserFactory(roles=["researcher"])
    reviewers = [UserFactory(roles=["reviewer"]) for _ in range(4)]
    place = publish("place", name="Omsk Region", kind="region")
    changes = [
        {"notes": "Borders North Kazakhstan."},
        {"iso_code": "RU-OMS"},
        {"aliases": ["Omsk oblast"]},
        {"date_text": "since 1934"},
    ]
    proposals = [propose_update(place, researcher, **change) for change in changes]

    results = race(
        [
            lambda p=p, r=r: review.proposal_approve(proposal_id=p.pk, reviewer=r)
            for p, r in zip(proposals, reviewers, strict=True)
        ]
    )

    assert all(isinstance(r, Proposal) for r in results), results
    assert list(Revision.objects.filter(record=place).order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    place = load_record(place.pk)
    assert (place.notes, place.iso_code, place.aliases, place.date_text) == (
        "Borders North Kazakhstan.",
        "RU-OMS",
        ["Omsk oblast"],
        "since 1934",
    )


def test_one_proposal_approved_twice_at_once_is_published_once():
    researcher = UserFactory(roles=["researcher"])
    reviewers = [UserFactory(roles=["reviewer"]) for _ in range(3)]
    proposal = review.proposal_create(
        author=researcher,
        items=[
            review.ItemInput(action="create", record_type="place", data={"name": "Tyumen Region", "kind": "region"})
        ],
    )

    results = race([lambda r=r: review.proposal_approve(proposal_id=proposal.pk, reviewer=r) for r in reviewers])

    assert sum(isinstance(r, Proposal) for r in results) == 1
    assert sum(isinstance(r, review.WrongStatus) for r in results) == 2
    assert Revision.objects.filter(proposal=proposal).count() == 1
