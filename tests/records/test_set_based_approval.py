"""The set-based approval publishes a mixed change set (new records linked by $ref, updates merged from
an old base) exactly as publishing each record alone would."""

from records.models import Record
from records.workflow import review
from records.workflow.publishing import load_record
from records.workflow.review import ItemInput
from tests.factories import propose_update, publish
from tests.records.published import assert_published_as_one_at_a_time


def test_a_mixed_change_set_publishes_what_publishing_each_record_alone_would(researcher, reviewer):
    kz = publish("place", name="Kazakhstan", kind="country")
    omsk = publish("place", name="Omsk Region", kind="region")
    ministry = publish("organization", name="Ministry of Trade", kind="ministry", country=kz.pk)
    stale = propose_update(ministry, researcher, notes="From the 1996 report.")  # from revision 1, merged
    review.proposal_approve(
        proposal_id=propose_update(ministry, researcher, name="Ministry of Trade and Integration").pk,
        reviewer=reviewer,
    )
    items = [
        ItemInput(
            action="create", record_type="place", ref="$semey", data={"name": "Semey", "kind": "city", "parent": "$ek"}
        ),
        ItemInput(
            action="create",
            record_type="place",
            ref="$ek",
            data={"name": "East Kazakhstan", "kind": "region", "parent": kz.pk},
        ),
        ItemInput(
            action="update",
            record_type="place",
            record_id=omsk.pk,
            base_revision=1,
            data={"name": "Omsk Oblast", "aliases": ["Omsk"]},
        ),
        ItemInput(
            action="update",
            record_type="place",
            record_id=kz.pk,
            base_revision=1,
            data={"name": "Republic of Kazakhstan"},
        ),
        ItemInput(
            action="create",
            record_type="agreement",
            ref="$agr",
            data={
                "title": "Agreement on the border of East Kazakhstan",
                "kind": "agreement",
                "date": "1995-03",
                "spheres": ["tourism"],
                "place_signed": "$semey",
            },
        ),
        *[ItemInput.of(item) for item in stale.items.all()],
    ]
    proposal = review.proposal_create(author=researcher, items=items, summary="mixed")
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)

    ministry = load_record(ministry.pk)
    assert (ministry.label, ministry.notes, ministry.revision) == (
        "Ministry of Trade and Integration",
        "From the 1996 report.",
        3,
    )
    semey = load_record(proposal.items.get(ref="$semey").record_id)
    assert load_record(semey.parent_id).label == "East Kazakhstan"
    assert kz.pk in Record.objects.get(pk=semey.pk).place_ids
    assert_published_as_one_at_a_time(Record.objects.order_by("id").values_list("id", flat=True))
