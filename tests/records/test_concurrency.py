"""Approvals racing each other in real threads against real PostgreSQL: row locks decide, nothing is lost."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from records.models import Proposal, Record, Revision
from records.workflow import approval, review
from records.workflow.links import referring
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


def create_agreement(author, party) -> Proposal:
    data = {"title": "Treaty", "kind": "agreement", "date": "2001", "parties": [{"id": party.pk}]}
    return review.proposal_create(
        author=author, items=[review.ItemInput(action="create", record_type="agreement", data=data)]
    )


def propose_withdrawal(author, record) -> Proposal:
    item = review.ItemInput(
        action="withdraw", record_type=record.record_type, record_id=record.pk, base_revision=record.revision
    )
    return review.proposal_create(author=author, items=[item], summary="duplicate")


def test_an_approval_holds_the_records_it_refers_to_until_it_commits(monkeypatch):
    researcher, reviewer = UserFactory(roles=["researcher"]), UserFactory(roles=["reviewer"])
    party = publish("place", name="Kazakhstan", kind="country")
    proposal = create_agreement(researcher, party)
    locked, release = threading.Event(), threading.Event()
    validate = approval.items_validate

    def paused(items):  # the approval stops here, its locks taken, until the test has looked
        locked.set()
        release.wait(timeout=30)
        return validate(items)

    monkeypatch.setattr(approval, "items_validate", paused)
    approving = threading.Thread(
        target=lambda: race([lambda: review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)])
    )
    approving.start()
    try:
        assert locked.wait(timeout=30)
        with pytest.raises(OperationalError, match="could not obtain lock"), transaction.atomic():
            Record.objects.select_for_update(nowait=True).get(pk=party.pk)  # what withdrawing it takes
    finally:
        release.set()
        approving.join()
    assert Proposal.objects.get(pk=proposal.pk).status == "approved"


def test_withdrawing_a_party_while_an_agreement_naming_it_is_approved_gives_one_clean_outcome():
    researcher = UserFactory(roles=["researcher"])
    reviewers = [UserFactory(roles=["reviewer"]) for _ in range(2)]
    for _round in range(3):
        party = publish("place", name="Kazakhstan", kind="country")
        creating, withdrawing = create_agreement(researcher, party), propose_withdrawal(researcher, party)

        results = race(
            [
                lambda p=creating: review.proposal_approve(proposal_id=p.pk, reviewer=reviewers[0]),
                lambda p=withdrawing: review.proposal_approve(proposal_id=p.pk, reviewer=reviewers[1]),
            ]
        )

        assert sorted(type(r).__name__ for r in results) == ["Conflict", "Proposal"], results
        status = Record.objects.get(pk=party.pk).status
        assert (status == "withdrawn") == isinstance(results[1], Proposal)
        if status == "withdrawn":
            assert referring(party.pk) == []
            assert "refers to was withdrawn" in results[0].message
        else:
            assert len(referring(party.pk)) == 1
            assert "still referred to" in results[1].message


def test_two_change_sets_touching_two_records_in_opposite_order_do_not_deadlock():
    researcher = UserFactory(roles=["researcher"])
    reviewers = [UserFactory(roles=["reviewer"]) for _ in range(2)]
    first, second = publish("place", name="Aktobe Region"), publish("place", name="Atyrau Region")

    def change_set(records, **fields):
        items = [
            review.ItemInput(
                action="update", record_type="place", record_id=r.pk, base_revision=r.revision, data=fields
            )
            for r in records
        ]
        return review.proposal_create(author=researcher, items=items, summary="both")

    forward = change_set([first, second], notes="West Kazakhstan.")
    backward = change_set([second, first], iso_code="KZ-AKT")
    results = race(
        [
            lambda: review.proposal_approve(proposal_id=forward.pk, reviewer=reviewers[0]),
            lambda: review.proposal_approve(proposal_id=backward.pk, reviewer=reviewers[1]),
        ]
    )

    assert all(isinstance(r, Proposal) for r in results), results  # different fields: both merge
    for record in (first, second):
        numbers = Revision.objects.filter(record=record).order_by("number").values_list("number", flat=True)
        assert list(numbers) == [1, 2, 3]
        assert (load_record(record.pk).notes, load_record(record.pk).iso_code) == ("West Kazakhstan.", "KZ-AKT")


def test_two_change_sets_clashing_on_two_records_in_opposite_order_give_one_conflict():
    researcher = UserFactory(roles=["researcher"])
    reviewers = [UserFactory(roles=["reviewer"]) for _ in range(2)]
    first, second = publish("place", name="Kostanay Region"), publish("place", name="Karaganda Region")
    items = [
        [
            review.ItemInput(action="update", record_type="place", record_id=r.pk, base_revision=1, data={"notes": n})
            for r in records
        ]
        for records, n in (([first, second], "one"), ([second, first], "two"))
    ]
    proposals = [review.proposal_create(author=researcher, items=i) for i in items]
    results = race(
        [
            lambda p=p, r=r: review.proposal_approve(proposal_id=p.pk, reviewer=r)
            for p, r in zip(proposals, reviewers, strict=True)
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Proposal"], results
    for record in (first, second):
        assert list(Revision.objects.filter(record=record).values_list("number", flat=True).order_by("number")) == [
            1,
            2,
        ]
    assert load_record(first.pk).notes == load_record(second.pk).notes
