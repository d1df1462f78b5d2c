"""The moderation workflow: propose, review by a second person, publish with history; nothing is lost."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from portal.models import AuditEntry
from records.models import (
    Agreement,
    Notification,
    Organization,
    Proposal,
    ProposalStatus,
    Record,
    RecordStatus,
    Revision,
    Source,
)
from records.workflow import review
from records.workflow.publishing import load_record, state_of
from records.workflow.review import ItemInput
from tests.factories import propose_update, publish


def create(author, record_type, **data) -> Proposal:
    return review.proposal_create(
        author=author, items=[ItemInput(action="create", record_type=record_type, data=data)], summary="new"
    )


def test_approving_a_new_record_publishes_revision_one(researcher, reviewer, django_capture_on_commit_callbacks):
    proposal = create(
        researcher, "agreement", title="Agreement on tourism", kind="agreement", date="1992-07-16", spheres=["tourism"]
    )
    assert proposal.status == ProposalStatus.SUBMITTED
    assert not Record.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        proposal = review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer, comment="Checked the file")

    agreement = Agreement.objects.get()
    assert (agreement.label, agreement.revision, agreement.status) == ("Agreement on tourism", 1, "published")
    assert str(agreement.date_lower) == "1992-07-16"
    revision = Revision.objects.get(record=agreement)
    assert (revision.number, revision.author, revision.reviewer) == (1, researcher, reviewer)
    assert revision.snapshot == state_of(load_record(agreement.pk))
    assert proposal.status == ProposalStatus.APPROVED and proposal.decision_comment == "Checked the file"
    assert AuditEntry.objects.filter(action="proposal_approved", actor=reviewer).exists()
    assert Notification.objects.get(user=researcher, kind="approved", proposal=proposal).actor == reviewer
    assert len(mail.outbox) == 1 and "approved" in mail.outbox[0].subject
    assert mail.outbox[0].to == [researcher.email]


def test_nobody_approves_their_own_proposal(researcher, reviewer):
    mine = create(reviewer, "place", name="Omsk Region", kind="region")
    with pytest.raises(PermissionDenied, match="own proposal"):
        review.proposal_approve(proposal_id=mine.pk, reviewer=reviewer)
    with pytest.raises(PermissionDenied, match="own proposal"):
        review.proposal_reject(proposal_id=mine.pk, reviewer=reviewer, reason="no")
    with pytest.raises(PermissionDenied, match="own proposal"):
        review.proposal_claim(proposal_id=mine.pk, reviewer=reviewer)
    assert not Record.objects.exists()
    assert Proposal.objects.get(pk=mine.pk).status == ProposalStatus.SUBMITTED


def test_only_reviewers_approve_and_only_researchers_propose(researcher, researcher2, newcomer):
    proposal = create(researcher, "place", name="Omsk Region", kind="region")
    with pytest.raises(PermissionDenied, match="Only reviewers"):
        review.proposal_approve(proposal_id=proposal.pk, reviewer=researcher2)
    with pytest.raises(PermissionDenied, match="researcher role"):
        create(newcomer, "place", name="Tyumen Region", kind="region")


def test_rejecting_needs_a_reason_and_publishes_nothing(researcher, reviewer, django_capture_on_commit_callbacks):
    proposal = create(researcher, "place", name="Nowhere", kind="region")
    with pytest.raises(review.ProposalInvalid):
        review.proposal_reject(proposal_id=proposal.pk, reviewer=reviewer, reason="   ")
    with django_capture_on_commit_callbacks(execute=True):
        review.proposal_reject(proposal_id=proposal.pk, reviewer=reviewer, reason="No source supports it.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and proposal.decision_comment == "No source supports it."
    assert not Record.objects.exists()
    assert Notification.objects.get(user=researcher, kind="rejected").actor == reviewer
    assert "rejected" in mail.outbox[0].subject
    with pytest.raises(review.WrongStatus):
        review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)


def test_an_update_publishes_a_new_revision_and_keeps_the_old(researcher, reviewer):
    place = publish("place", name="Korgan region", kind="region")
    proposal = propose_update(place, researcher, name="Kurgan Region", aliases=["Korgan region"])
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)
    place = load_record(place.pk)
    assert (place.label, place.aliases, place.revision) == ("Kurgan Region", ["Korgan region"], 2)
    revisions = list(Revision.objects.filter(record=place).order_by("number"))
    assert [r.snapshot["name"] for r in revisions] == ["Korgan region", "Kurgan Region"]


def test_an_update_holds_the_complete_state(researcher, reviewer):
    place = publish("place", name="Omsk Region", kind="region", iso_code="RU-OMS", aliases=["Omsk oblast"])
    proposal = propose_update(place, researcher, notes="Borders North Kazakhstan.")
    data = proposal.items.get().data
    assert (data["name"], data["iso_code"], data["aliases"], data["notes"]) == (
        "Omsk Region",
        "RU-OMS",
        ["Omsk oblast"],
        "Borders North Kazakhstan.",
    )


def test_stale_proposals_on_other_fields_are_merged(researcher, researcher2, reviewer):
    place = publish("place", name="Omsk Region", kind="region")
    rename = propose_update(place, researcher, name="Omsk Oblast")
    annotate = propose_update(place, researcher2, notes="Partner of North Kazakhstan since 2001.")
    review.proposal_approve(proposal_id=rename.pk, reviewer=reviewer)
    review.proposal_approve(proposal_id=annotate.pk, reviewer=reviewer)
    place = load_record(place.pk)
    assert (place.label, place.notes, place.revision) == ("Omsk Oblast", "Partner of North Kazakhstan since 2001.", 3)


def test_stale_proposals_on_the_same_field_conflict_and_the_author_is_told(
    researcher, researcher2, reviewer, django_capture_on_commit_callbacks
):
    place = publish("place", name="Korgan", kind="region")
    first = propose_update(place, researcher, name="Kurgan Region")
    second = propose_update(place, researcher2, name="Kurgan Oblast")
    review.proposal_approve(proposal_id=first.pk, reviewer=reviewer)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(review.Conflict) as exc:
        review.proposal_approve(proposal_id=second.pk, reviewer=reviewer)
    assert exc.value.items[0]["fields"]["name"] == {
        "base": "Korgan",
        "current": "Kurgan Region",
        "proposed": "Kurgan Oblast",
    }
    second.refresh_from_db()
    assert second.status == ProposalStatus.SUBMITTED
    assert second.conflict["items"]["0"]["fields"]["name"]["current"] == "Kurgan Region"
    assert Notification.objects.get(user=researcher2, kind="conflict").actor == reviewer
    assert any("could not be approved" in m.subject for m in mail.outbox)
    assert load_record(place.pk).label == "Kurgan Region"

    # The author rebases on the current revision; now it applies.
    review.proposal_revise(
        proposal_id=second.pk,
        author=researcher2,
        items=[
            ItemInput(
                action="update",
                record_type="place",
                record_id=place.pk,
                base_revision=2,
                data={"name": "Kurgan Oblast"},
            )
        ],
    )
    review.proposal_approve(proposal_id=second.pk, reviewer=reviewer)
    assert load_record(place.pk).label == "Kurgan Oblast"


def test_proposing_on_a_stale_base_that_clashes_is_refused(researcher, researcher2, reviewer):
    place = publish("place", name="Korgan", kind="region")
    review.proposal_approve(proposal_id=propose_update(place, researcher, name="Kurgan Region").pk, reviewer=reviewer)
    with pytest.raises(review.Conflict):
        propose_update(place, researcher2, name="Kurgan Oblast")  # still based on revision 1
    assert propose_update(place, researcher2, notes="fine").status == "submitted"


def test_withdraw_keeps_history_and_revert_restores(researcher, reviewer):
    place = publish("place", name="Semipalatinsk Region", kind="region", date="1939/1997")
    withdraw = review.proposal_create(
        author=researcher,
        items=[ItemInput(action="withdraw", record_type="place", record_id=place.pk, base_revision=1)],
        summary="Duplicate",
    )
    review.proposal_approve(proposal_id=withdraw.pk, reviewer=reviewer)
    record = Record.objects.get(pk=place.pk)
    assert (record.status, record.revision) == (RecordStatus.WITHDRAWN, 2)
    assert not Record.objects.published().filter(pk=place.pk).exists()
    assert Revision.objects.get(record=place, number=2).snapshot["name"] == "Semipalatinsk Region"

    with pytest.raises(review.ProposalInvalid, match="invalid"):
        propose_update(Record.objects.get(pk=place.pk), researcher, name="Semey Region")

    revert = review.proposal_create(
        author=researcher,
        items=[ItemInput(action="revert", record_type="place", record_id=place.pk, base_revision=2, revert_to=1)],
        summary="Not a duplicate after all",
    )
    review.proposal_approve(proposal_id=revert.pk, reviewer=reviewer)
    record = load_record(place.pk)
    assert (record.status, record.revision, record.label, record.date) == (
        "published",
        3,
        "Semipalatinsk Region",
        "1939/1997",
    )
    assert list(Revision.objects.filter(record=place).order_by("number").values_list("action", flat=True)) == [
        "create",
        "withdraw",
        "revert",
    ]


def test_a_change_set_is_approved_as_one_unit(researcher, reviewer):
    items = [
        ItemInput(
            action="create",
            record_type="agreement",
            ref="$deal",
            data={
                "title": "Agreement on equipment",
                "kind": "contract",
                "date": "2014-09",
                "parties": [{"id": "$company", "role": "buyer"}, {"id": "$czech", "role": "seller"}],
                "citations": [{"source": "$src", "locator": "p. 2"}],
            },
        ),
        ItemInput(
            action="create",
            record_type="organization",
            ref="$company",
            data={"name": "Techstroyinnovation LLP", "kind": "company"},
        ),
        ItemInput(
            action="create",
            record_type="organization",
            ref="$czech",
            data={"name": "Friedlantske strojirny Rasl a syn", "kind": "company", "citations": [{"source": "$src"}]},
        ),
        ItemInput(
            action="create",
            record_type="source",
            ref="$src",
            data={"title": "Department of Tourism report", "kind": "web_page", "date": "2014"},
        ),
    ]
    proposal = review.proposal_create(author=researcher, items=items, summary="Czech contract")
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)
    deal = load_record(Agreement.objects.get().pk)
    parties = {(link.party.label, link.role_id) for link in deal.party_links.all()}
    assert parties == {("Techstroyinnovation LLP", "buyer"), ("Friedlantske strojirny Rasl a syn", "seller")}
    source = Source.objects.get()
    assert [c.source_id for c in deal.citations.all()] == [source.pk]
    assert Revision.objects.filter(proposal=proposal).count() == 4
    # The stored snapshot names real ids, not the proposal's references.
    snapshot = Revision.objects.get(record=deal).snapshot
    assert {p["id"] for p in snapshot["parties"]} == set(Organization.objects.values_list("pk", flat=True))


def test_a_change_set_with_one_bad_item_stores_nothing(researcher):
    items = [
        ItemInput(action="create", record_type="organization", ref="$a", data={"name": "Akimat", "kind": "akimat"}),
        ItemInput(
            action="create",
            record_type="agreement",
            data={"title": "Memo", "kind": "memorandum", "date": "2001-13-45", "parties": [{"id": "$a"}]},
        ),
    ]
    with pytest.raises(review.ProposalInvalid) as exc:
        review.proposal_create(author=researcher, items=items)
    assert "date" in exc.value.errors[1]["data"]
    assert not Proposal.objects.exists() and not Record.objects.exists()


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (ItemInput(action="create", record_type="planet", data={}), "record_type"),
        (ItemInput(action="destroy", record_type="place", data={}), "action"),
        (ItemInput(action="update", record_type="place", record_id=999999, base_revision=1, data={}), "record"),
        (ItemInput(action="create", record_type="place", record_id=5, data={"name": "x", "kind": "region"}), "record"),
        (ItemInput(action="create", record_type="place", ref="noprefix", data={"name": "x", "kind": "region"}), "ref"),
    ],
)
def test_malformed_changes_are_refused_naming_the_field(researcher, item, field):
    with pytest.raises(review.ProposalInvalid) as exc:
        review.proposal_create(author=researcher, items=[item])
    assert field in exc.value.errors[0]
    assert not Proposal.objects.exists()


def test_base_revision_must_exist(researcher):
    place = publish("place", name="Omsk Region", kind="region")
    with pytest.raises(review.ProposalInvalid) as exc:
        review.proposal_create(
            author=researcher,
            items=[ItemInput(action="update", record_type="place", record_id=place.pk, base_revision=7, data={})],
        )
    assert "revisions 1 to 1" in str(exc.value.errors[0]["base_revision"])


def test_drafts_are_validated_when_submitted(researcher, reviewer):
    draft = review.proposal_create(
        author=researcher,
        draft=True,
        items=[
            ItemInput(action="create", record_type="event", data={"name": "Visit", "kind": "visit", "date": "soon"})
        ],
    )
    assert draft.status == ProposalStatus.DRAFT
    with pytest.raises(review.WrongStatus):
        review.proposal_approve(proposal_id=draft.pk, reviewer=reviewer)
    with pytest.raises(review.ProposalInvalid):
        review.proposal_submit(proposal_id=draft.pk, author=researcher)
    review.proposal_revise(
        proposal_id=draft.pk,
        author=researcher,
        items=[
            ItemInput(
                action="create", record_type="event", data={"name": "Visit", "kind": "visit", "date": "2002-08-28"}
            )
        ],
    )
    review.proposal_submit(proposal_id=draft.pk, author=researcher)
    review.proposal_approve(proposal_id=draft.pk, reviewer=reviewer)
    assert Record.objects.get().label == "Visit"


def test_authors_may_withdraw_undecided_proposals_only(researcher, researcher2, reviewer):
    proposal = create(researcher, "place", name="Omsk Region", kind="region")
    with pytest.raises(PermissionDenied):
        review.proposal_withdraw(proposal_id=proposal.pk, author=researcher2)
    review.proposal_withdraw(proposal_id=proposal.pk, author=researcher)
    with pytest.raises(review.WrongStatus):
        review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)


def test_claims_keep_reviewers_from_duplicating_work(researcher, reviewer, reviewer2):
    proposal = create(researcher, "place", name="Omsk Region", kind="region")
    review.proposal_claim(proposal_id=proposal.pk, reviewer=reviewer)
    with pytest.raises(review.WrongStatus, match="Already claimed by Vera Reviewer"):
        review.proposal_claim(proposal_id=proposal.pk, reviewer=reviewer2)
    review.proposal_claim(proposal_id=proposal.pk, reviewer=reviewer, release=True)
    assert review.proposal_claim(proposal_id=proposal.pk, reviewer=reviewer2).claimed_by == reviewer2


def test_discussion_notifies_the_other_side(researcher, reviewer):
    proposal = create(researcher, "place", name="Omsk Region", kind="region")
    review.comment_add(proposal_id=proposal.pk, author=reviewer, body="Which archive file says so?")
    assert Notification.objects.get(user=researcher, kind="comment").actor == reviewer
    review.comment_add(proposal_id=proposal.pk, author=researcher, body="SANKR, fund 669.")
    assert Notification.objects.get(user=reviewer, kind="comment").actor == researcher
    with pytest.raises(review.ProposalInvalid):
        review.comment_add(proposal_id=proposal.pk, author=researcher, body="  ")


def test_others_cannot_comment_on_a_draft_they_cannot_see(researcher, researcher2):
    draft = review.proposal_create(
        author=researcher,
        draft=True,
        items=[ItemInput(action="create", record_type="place", data={"name": "Omsk Region", "kind": "region"})],
    )
    with pytest.raises(review.NotFound):
        review.comment_add(proposal_id=draft.pk, author=researcher2, body="Hello")


def test_moving_a_place_updates_what_is_filed_under_its_country(researcher, reviewer):
    kazakhstan = publish("place", name="Kazakhstan", kind="country", iso_code="KZ")
    russia = publish("place", name="Russia", kind="country", iso_code="RU")
    region = publish("place", name="Misfiled Region", kind="region", parent=kazakhstan.pk)
    agreement = publish("agreement", title="Agreement", kind="agreement", date="2001", parties=[{"id": region.pk}])
    assert kazakhstan.pk in Record.objects.get(pk=agreement.pk).place_ids
    review.proposal_approve(proposal_id=propose_update(region, researcher, parent=russia.pk).pk, reviewer=reviewer)
    place_ids = Record.objects.get(pk=agreement.pk).place_ids
    assert russia.pk in place_ids and kazakhstan.pk not in place_ids
