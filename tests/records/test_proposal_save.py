"""proposal_save, the one step the pages call: a new proposal (submitted or a draft), or an open one
revised — and submitted when it was a draft — one change at a time or all at once."""

import pytest
from django.core.exceptions import PermissionDenied

from records.models import ProposalStatus
from records.workflow import review
from records.workflow.review import ItemInput
from tests.factories import publish

pytestmark = pytest.mark.django_db


def new_place(name: str, **data) -> ItemInput:
    return ItemInput(action="create", record_type="place", data={"name": name, **data})


def test_it_creates_a_submitted_proposal_or_a_draft(researcher):
    submitted = review.proposal_save(author=researcher, items=[new_place("Omsk Region", kind="region")], summary="new")
    draft = review.proposal_save(author=researcher, items=[new_place("Nowhere")], summary="later", submit=False)

    assert submitted.status == ProposalStatus.SUBMITTED and submitted.summary == "new"
    assert draft.status == ProposalStatus.DRAFT and draft.items.get().data == {"name": "Nowhere"}


def test_it_revises_a_draft_and_submits_it(researcher):
    draft = review.proposal_save(author=researcher, items=[new_place("Omsk")], summary="draft", submit=False)

    saved = review.proposal_save(
        author=researcher,
        items=[new_place("Omsk Region", kind="region")],
        summary="Omsk Region",
        proposal_id=draft.pk,
    )

    assert saved.pk == draft.pk
    assert (saved.status, saved.summary) == (ProposalStatus.SUBMITTED, "Omsk Region")
    assert saved.items.get().data["name"] == "Omsk Region"


def test_a_draft_stays_a_draft_when_saved_without_submitting(researcher):
    draft = review.proposal_save(author=researcher, items=[new_place("Omsk")], summary="draft", submit=False)

    saved = review.proposal_save(
        author=researcher, items=[new_place("Omsk Oblast")], summary="draft", proposal_id=draft.pk, submit=False
    )

    assert saved.status == ProposalStatus.DRAFT and saved.items.get().data == {"name": "Omsk Oblast"}


def test_it_replaces_one_change_at_a_position_and_keeps_the_others(researcher):
    place = publish("place", name="Kurgan Region", kind="region")
    draft = review.proposal_create(
        author=researcher,
        items=[
            ItemInput(action="create", record_type="place", ref="$omsk", data={"name": "Omsk"}),
            ItemInput(action="update", record_type="place", record_id=place.pk, base_revision=1, data={"notes": "a"}),
        ],
        summary="two changes",
        draft=True,
    )

    saved = review.proposal_save(
        author=researcher,
        items=[new_place("Omsk Region", kind="region")],
        summary="two changes",
        proposal_id=draft.pk,
        position=0,
    )

    first, second = saved.items.order_by("position")
    assert saved.status == ProposalStatus.SUBMITTED
    assert (first.ref, first.data["name"]) == ("$omsk", "Omsk Region")
    assert (second.record_id, second.data["notes"]) == (place.pk, "a")


def test_a_revised_draft_stays_saved_when_its_submission_is_refused(researcher):
    draft = review.proposal_save(author=researcher, items=[new_place("Omsk")], summary="draft", submit=False)

    with pytest.raises(review.ProposalInvalid) as exc:
        review.proposal_save(author=researcher, items=[new_place("Omsk Oblast")], summary="s", proposal_id=draft.pk)

    assert "kind" in exc.value.errors[0]["data"]
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.DRAFT and draft.items.get().data == {"name": "Omsk Oblast"}


def test_only_the_author_saves_their_proposal(researcher, researcher2):
    draft = review.proposal_save(author=researcher, items=[new_place("Omsk")], summary="draft", submit=False)

    with pytest.raises(PermissionDenied):
        review.proposal_save(author=researcher2, items=[new_place("Mine")], summary="s", proposal_id=draft.pk)
    with pytest.raises(review.NotFound):
        review.proposal_save(
            author=researcher, items=[new_place("Omsk")], summary="s", proposal_id=draft.pk, position=1
        )
