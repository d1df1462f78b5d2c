"""Test data through factories: users with roles, and records published through the real workflow.

`publish()` proposes a record as one user and approves it as another, exactly as the portal does, so
every factory-made record has its revision 1, snapshot and search index.
"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from portal.roles import user_set_roles
from records.models import Record
from records.workflow import review
from records.workflow.publishing import load_record

PASSWORD = "correct horse battery staple 7"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.LazyAttribute(lambda u: u.username.capitalize())

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            user_set_roles(user=self, roles=list(extracted))


class PlaceData(factory.DictFactory):
    name = factory.Sequence(lambda n: f"Place {n}")
    kind = "region"


class OrganizationData(factory.DictFactory):
    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = "akimat"


class PersonData(factory.DictFactory):
    name = factory.Sequence(lambda n: f"Person {n}")


class AgreementData(factory.DictFactory):
    title = factory.Sequence(lambda n: f"Agreement {n}")
    kind = "agreement"
    date = "2001-09-03"


class EventData(factory.DictFactory):
    name = factory.Sequence(lambda n: f"Event {n}")
    kind = "visit"
    date = "1999-12"


class StatisticData(factory.DictFactory):
    indicator = "trade_turnover"
    value = "12.8"
    currency = "USD"
    date = "2001"


class SourceData(factory.DictFactory):
    title = factory.Sequence(lambda n: f"Source {n}")
    kind = "book"
    date = "2010"


DATA = {
    "place": PlaceData,
    "organization": OrganizationData,
    "person": PersonData,
    "agreement": AgreementData,
    "event": EventData,
    "statistic": StatisticData,
    "source": SourceData,
}


def staff_pair() -> tuple:
    """A researcher and a reviewer used only to publish factory records."""
    User = get_user_model()
    author = User.objects.filter(username="factory-author").first() or UserFactory(
        username="factory-author", roles=["researcher"]
    )
    approver = User.objects.filter(username="factory-reviewer").first() or UserFactory(
        username="factory-reviewer", roles=["reviewer"]
    )
    return author, approver


def publish(record_type: str, *, author=None, reviewer=None, **fields) -> Record:
    """Create a published record of `record_type` (revision 1) through proposal and approval."""
    default_author, default_reviewer = staff_pair()
    data = DATA[record_type](**fields)
    proposal = review.proposal_create(
        author=author or default_author,
        items=[review.ItemInput(action="create", record_type=record_type, data=data)],
        summary=f"factory {record_type}",
    )
    proposal = review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer or default_reviewer)
    return load_record(proposal.items.get().record_id, record_type)


def propose_update(record: Record, author, **changes):
    return review.proposal_create(
        author=author,
        items=[
            review.ItemInput(
                action="update",
                record_type=record.record_type,
                record_id=record.pk,
                base_revision=record.revision,
                data=changes,
            )
        ],
        summary="edit",
    )


def publish_many(record_type: str, count: int, *, author=None, reviewer=None, **fields) -> list[Record]:
    """`count` published records of one type, made by one proposal (a change set) and one approval."""
    default_author, default_reviewer = staff_pair()
    items = [
        review.ItemInput(action="create", record_type=record_type, data=DATA[record_type](**fields))
        for _ in range(count)
    ]
    proposal = review.proposal_create(
        author=author or default_author, items=items, summary=f"factory {count} {record_type}", max_items=max(count, 1)
    )
    proposal = review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer or default_reviewer)
    ids = list(proposal.items.order_by("position").values_list("record_id", flat=True))
    spec_model = load_record(ids[0], record_type).__class__
    return list(spec_model.objects.filter(pk__in=ids).order_by("pk"))
