"""Properties that hold for every input, checked by hypothesis over generated values (derandomized, so a
run is repeatable): dates and text are accepted or refused with a message, never crash; validation is
a fixed point; and a proposal is either refused with nothing written or published exactly as validated."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from records.content.registry import registry
from records.content.schemas import VocabularyField, plain_text, reference_values
from records.dates import edtf
from records.models import Proposal, ProposalItem, RecordStatus, Revision
from records.workflow import review
from records.workflow.publishing import ContentInvalid, load_record, state_of, state_validate
from tests.factories import UserFactory, publish
from tests.records.strategies import edtf_dates, junk, now_and_then, states, words

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


class Rollback(Exception):
    """Ends an example's transaction, so that each example starts from the same published world."""


def outcome(function, *args, **kwargs) -> tuple[Any, Exception | None]:
    """What `function` returned, or the validation error it raised (anything else fails the test)."""
    try:
        return function(*args, **kwargs), None
    except (ValidationError, serializers.ValidationError, ContentInvalid) as error:
        return None, error


# ------------------------------------------------------------------ without the database


@PROPERTY
@given(st.text(max_size=120) | edtf_dates())
def test_any_text_as_a_date_is_accepted_with_bounds_or_refused_with_a_message(value):
    bounds, error = outcome(edtf.parse, value)
    if error is not None:
        assert isinstance(error, ValidationError) and all(message.strip() for message in error.messages)
    else:
        assert bounds.lower is None or bounds.upper is None or bounds.lower <= bounds.upper


@PROPERTY
@given(edtf_dates())
def test_dates_as_historians_write_them_are_accepted_and_bound_their_years(value):
    bounds, error = outcome(edtf.parse, value)
    if error is not None:
        # The only refusal of a well-formed value: an interval that ends before it begins.
        assert "/" in value and "ends before it begins" in error.messages[0], (value, error)
        return
    first_year = value.lstrip("./").split("/")[0][:4]
    if first_year.isdigit() and not value.startswith(("/", "..")):
        assert bounds.lower is not None and bounds.lower.year <= int(first_year) or "?" in value or "~" in value


@PROPERTY
@given(words | st.text(max_size=60))
def test_plain_text_is_kept_exactly_or_refused_with_a_message(value):
    kept, error = outcome(plain_text, value)
    if error is not None:
        assert isinstance(error, serializers.ValidationError) and error.detail
    else:
        assert kept == value


# ------------------------------------------------------------------ with the database


@pytest.fixture
def world(db) -> dict[str, Any]:
    """A few published records of each type to link to, the vocabularies' codes, and the "$refs" that
    the proposals below may define."""
    kz = publish("place", name="Kazakhstan", kind="country", iso_code="KZ")
    region = publish("place", name="East Kazakhstan Region", kind="region", parent=kz.pk)
    akimat = publish("organization", name="Akimat", kind="akimat", place=region.pk)
    book = publish("source", title="Book", kind="book", authors=[{"family": "Ivanov"}], date="2010")
    agreement = publish("agreement", title="Agreement", parties=[{"id": region.pk}], citations=[{"source": book.pk}])
    person = publish("person", name="Akim")
    codes = {}
    for spec in registry:
        for field in _fields(spec.schema()):
            if isinstance(field, VocabularyField):
                codes[field.vocabulary] = list(field.vocabulary.objects.values_list("code", flat=True))
    ids: dict[str, list[int]] = {}
    for record in (kz, region, akimat, book, agreement, person):
        ids.setdefault(record.record_type, []).append(record.pk)
    return {
        "ids": ids,
        "codes": codes,
        "refs": {f"$new_{spec.name}": spec.name for spec in registry},
        "missing_id": 9_999_999,
        "records": [kz, region, akimat, book, agreement, person],
    }


def _fields(schema: serializers.Serializer):
    for field in schema.fields.values():
        yield field
        child = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(child, serializers.Serializer):
            yield from _fields(child)


@pytest.mark.parametrize("record_type", registry.names())
def test_validation_accepts_or_refuses_and_its_canonical_form_is_a_fixed_point(world, record_type):
    refs = world["refs"]
    accepted = 0

    @PROPERTY
    @given(data=now_and_then(states(record_type, world), junk, one_in=10))
    def check(data):
        nonlocal accepted
        result, error = outcome(state_validate, record_type, copy.deepcopy(data), refs=refs)
        if error is not None:
            assert isinstance(error, ContentInvalid) and error.errors, data
            return
        canonical = result[0]
        accepted += 1
        again, _ = state_validate(record_type, copy.deepcopy(canonical), refs=refs)
        assert again == canonical

    check()
    assert accepted >= 3, f"the strategy for {record_type} hardly ever makes a valid state"


@st.composite
def change_sets(draw, world: dict[str, Any]) -> list[review.ItemInput]:
    """One to three new records (each may link to the others by "$ref"), sometimes an update of a
    published record based on its current revision."""
    items = []
    for record_type in draw(st.lists(st.sampled_from(registry.names()), min_size=1, max_size=3, unique=True)):
        data = draw(states(record_type, world))
        items.append(review.ItemInput("create", record_type, ref=f"$new_{record_type}", data=data))
    if draw(st.booleans()):
        record = draw(st.sampled_from(world["records"]))
        data = draw(states(record.record_type, world))
        items.append(review.ItemInput("update", record.record_type, record_id=record.pk, base_revision=1, data=data))
    return items


def test_a_proposal_is_refused_with_nothing_written_or_published_exactly_as_validated(world):
    author = UserFactory(username="author", roles=["researcher"])
    reviewer = UserFactory(username="reviewer", roles=["reviewer"])
    outcomes = {"refused": 0, "published": 0}

    @PROPERTY
    @given(items=change_sets(world))
    def check(items):
        counts = (Proposal.objects.count(), ProposalItem.objects.count(), Revision.objects.count())
        try:
            with transaction.atomic():
                _propose_and_approve(items, author, reviewer, counts, outcomes)
                raise Rollback
        except Rollback:
            pass

    check()
    assert outcomes["refused"] >= 5 and outcomes["published"] >= 5, outcomes


def _propose_and_approve(items, author, reviewer, counts, outcomes) -> None:
    try:
        proposal = review.proposal_create(author=author, items=copy.deepcopy(items))
    except (review.ProposalInvalid, review.Conflict):
        outcomes["refused"] += 1
        assert (Proposal.objects.count(), ProposalItem.objects.count(), Revision.objects.count()) == counts
        return
    reviewed = {item.position: copy.deepcopy(item.data) for item in proposal.items.all()}
    approved = review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer, version=proposal.version)
    assert approved.status == "approved"
    outcomes["published"] += 1
    published = list(approved.items.order_by("position"))
    new_ids = {item.ref: item.record_id for item in published if item.ref}
    assert Revision.objects.count() == counts[2] + len(published)  # one revision per change, no more
    for item in published:
        record = load_record(item.record_id, item.record_type)
        assert record.status == RecordStatus.PUBLISHED
        assert record.revision == (1 if item.action == "create" else 2)
        expected = _resolve_refs(item.record_type, reviewed[item.position], new_ids)
        assert state_of(record) == expected, item.record_type


def _resolve_refs(record_type: str, data: dict, new_ids: dict[str, int]) -> dict:
    """What the reviewer read, with each "$ref" replaced by the id its record was given."""
    data = copy.deepcopy(data)
    for path, value in reference_values(registry.get(record_type).schema().fields, data):
        if isinstance(value, str) and value in new_ids:
            target = data
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = new_ids[value]
    return data
