"""Withdrawing a record that published records still refer to is refused, when proposed and when approved;
and a pending change of a record withdrawn meanwhile is a clear conflict."""

import pytest
from django.utils import translation

from records.models import Proposal, ProposalStatus, Record, Revision
from records.workflow import review
from records.workflow.links import inbound_links
from tests.conftest import client_for
from tests.conftest import page_client as as_
from tests.editing.helpers import text_of
from tests.factories import propose_update, publish


def withdrawal(record) -> review.ItemInput:
    return review.ItemInput(
        action="withdraw", record_type=record.record_type, record_id=record.pk, base_revision=record.revision
    )


def propose_withdrawal(record, author) -> Proposal:
    return review.proposal_create(author=author, items=[withdrawal(record)], summary="duplicate")


@pytest.fixture
def kazakhstan(db):
    return publish("place", name="Kazakhstan", kind="country")


LINKS = {
    "party": ("place", lambda target: publish("agreement", parties=[{"id": target.pk}])),
    "parent": ("place", lambda target: publish("place", parent=target.pk)),
    "citation": ("source", lambda target: publish("place", citations=[{"source": target.pk}])),
    "subject": ("organization", lambda target: publish("statistic", subjects=[{"id": target.pk}])),
    "many-to-many": ("agreement", lambda target: publish("event", agreements=[target.pk])),
    "position": (
        "organization",
        lambda target: publish("person", positions=[{"title": "Akim", "organization": target.pk}]),
    ),
}


@pytest.fixture(autouse=True)
def in_english():
    """The workflow's messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize("link", LINKS)
def test_a_record_still_referred_to_cannot_be_proposed_for_withdrawal(link, researcher):
    record_type, refer = LINKS[link]
    target = publish(record_type)
    referrer = refer(target)

    with pytest.raises(review.ProposalInvalid) as refused:
        propose_withdrawal(target, researcher)

    message = refused.value.errors[0]["record"][0]
    assert f"1 published record(s) still refer to this record: {referrer.label} (#{referrer.pk})" in message
    assert not Proposal.objects.filter(author=researcher).exists()


def test_the_inbound_links_are_read_from_every_foreign_key_to_a_record(db):
    found = {(link.model.__name__, link.field) for link in inbound_links()}
    assert {
        ("AgreementParty", "party"),
        ("EventParticipant", "participant"),
        ("Place", "parent"),
        ("PlaceBorder", "neighbour"),
        ("Succession", "predecessor"),
        ("Citation", "source"),
        ("StatisticSubject", "subject"),
        ("Position", "organization"),
        ("Event", "agreements"),
        ("Organization", "place"),
        ("Source", "archive"),
    } <= found
    assert not {model for model, _field in found} & {"Revision", "ProposalItem"}


def test_the_api_refuses_withdrawing_a_place_used_as_a_party_with_400(kazakhstan, researcher):
    agreement = publish("agreement", title="Treaty of friendship", parties=[{"id": kazakhstan.pk}])
    body = {"action": "withdraw", "record_type": "place", "record": kazakhstan.pk, "base_revision": 1}

    response = client_for(researcher).post("/api/v1/changes/", body, format="json")

    assert response.status_code == 400
    assert f"Treaty of friendship (#{agreement.pk})" in response.json()["errors"]["record"][0]
    assert not Proposal.objects.filter(author=researcher).exists()


def test_the_page_refuses_withdrawing_a_place_used_as_a_party(kazakhstan, researcher):
    publish("agreement", title="Treaty of friendship", parties=[{"id": kazakhstan.pk}])

    response = as_(researcher).post(f"/places/{kazakhstan.pk}/withdraw/", {"summary": "Duplicate"})

    assert response.status_code == 400
    assert "still refer to this record: Treaty of friendship" in text_of(response.content)
    assert not Proposal.objects.filter(author=researcher).exists()


def test_many_referring_records_are_named_a_few_and_counted_as_more(kazakhstan, researcher):
    for n in range(8):
        publish("organization", name=f"Akimat {n}", place=kazakhstan.pk)
    with pytest.raises(review.ProposalInvalid) as refused:
        propose_withdrawal(kazakhstan, researcher)
    message = refused.value.errors[0]["record"][0]
    assert message.startswith("More than 5 published records still refer to this record, among them Akimat")
    assert message.count("(#") == 5


def test_an_unreferenced_record_is_still_withdrawn(kazakhstan, researcher, reviewer):
    publish("agreement", title="Withdrawn treaty", parties=[{"id": kazakhstan.pk}])
    lonely = publish("place", name="Lonely village", kind="city")
    response = client_for(researcher).post(
        "/api/v1/changes/",
        {"action": "withdraw", "record_type": "place", "record": lonely.pk, "base_revision": 1},
        format="json",
    )
    assert response.status_code == 201, response.content
    review.proposal_approve(proposal_id=response.json()["id"], reviewer=reviewer)
    assert Record.objects.get(pk=lonely.pk).status == "withdrawn"


def test_a_record_and_everything_referring_to_it_can_be_withdrawn_together(kazakhstan, researcher, reviewer):
    agreement = publish("agreement", parties=[{"id": kazakhstan.pk}])
    proposal = review.proposal_create(author=researcher, items=[withdrawal(kazakhstan), withdrawal(agreement)])
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)
    assert set(Record.objects.filter(pk__in=[kazakhstan.pk, agreement.pk]).values_list("status", flat=True)) == {
        "withdrawn"
    }


def test_the_approval_refuses_a_withdrawal_once_a_record_refers_to_it(kazakhstan, researcher, reviewer):
    pending = propose_withdrawal(kazakhstan, researcher)
    agreement = publish("agreement", title="Later treaty", parties=[{"id": kazakhstan.pk}])

    response = client_for(reviewer).post(f"/api/v1/changes/{pending.pk}/approve/", {}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "A record this proposal withdraws is still referred to by published records."
    assert f"Later treaty (#{agreement.pk})" in body["conflicts"]["0"]["data"]["record"][0]
    assert Record.objects.get(pk=kazakhstan.pk).status == "published"
    pending.refresh_from_db()
    assert pending.status == ProposalStatus.SUBMITTED and pending.conflict is not None


def test_a_pending_update_of_a_record_withdrawn_meanwhile_is_a_clear_conflict(kazakhstan, researcher, reviewer):
    update = propose_update(kazakhstan, researcher, notes="Capital: Astana.")
    review.proposal_approve(proposal_id=propose_withdrawal(kazakhstan, researcher).pk, reviewer=reviewer)

    response = client_for(reviewer).post(f"/api/v1/changes/{update.pk}/approve/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == "A record this proposal changes was withdrawn meanwhile."
    assert list(Revision.objects.filter(record=kazakhstan).values_list("number", flat=True).order_by("number")) == [
        1,
        2,
    ]
    record = Record.objects.get(pk=kazakhstan.pk)
    assert (record.status, record.notes) == ("withdrawn", "")
    update.refresh_from_db()
    assert update.status == ProposalStatus.SUBMITTED and "withdrawn" in update.conflict["message"]


def test_a_pending_record_referring_to_one_withdrawn_meanwhile_is_not_published(kazakhstan, researcher, reviewer):
    create = review.proposal_create(
        author=researcher,
        items=[
            review.ItemInput(
                action="create",
                record_type="agreement",
                data={"title": "Late treaty", "kind": "agreement", "date": "2001", "parties": [{"id": kazakhstan.pk}]},
            )
        ],
    )
    review.proposal_approve(proposal_id=propose_withdrawal(kazakhstan, researcher).pk, reviewer=reviewer)

    with pytest.raises(review.Conflict, match="refers to was withdrawn meanwhile") as refused:
        review.proposal_approve(proposal_id=create.pk, reviewer=reviewer)

    assert f"Kazakhstan (#{kazakhstan.pk})" in refused.value.items[0]["data"]["non_field_errors"][0]
    assert not Record.objects.filter(label="Late treaty").exists()
