"""A revision racing an approval in real threads against real PostgreSQL: the reviewer's version decides."""

import pytest

from records.models import Proposal, Record
from records.workflow import review
from records.workflow.review import ItemInput
from tests.factories import UserFactory
from tests.records.test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def memo(title: str) -> list[ItemInput]:
    return [
        ItemInput(action="create", record_type="agreement", data={"title": title, "kind": "memorandum", "date": "2013"})
    ]


@pytest.mark.parametrize("attempt", range(3))
def test_what_is_published_is_the_version_the_reviewer_read(attempt):
    author, reviewer = UserFactory(roles=["researcher"]), UserFactory(roles=["reviewer"])
    proposal = review.proposal_create(author=author, items=memo("What the reviewer read"), summary="race")

    approved, revised = race(
        [
            lambda: review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer, version=1),
            lambda: review.proposal_revise(proposal_id=proposal.pk, author=author, items=memo("Slipped in")),
        ]
    )

    final = Proposal.objects.get(pk=proposal.pk)
    if isinstance(approved, Proposal):  # the approval took the lock first: the revision comes too late
        assert isinstance(revised, review.WrongStatus), revised
        assert (final.status, final.version) == ("approved", 1)
        assert Record.objects.get().label == "What the reviewer read"
    else:  # the revision took it first: the approval names a stale version and publishes nothing
        assert isinstance(approved, review.StaleVersion), approved
        assert isinstance(revised, Proposal), revised
        assert (final.status, final.version) == ("submitted", 2)
        assert not Record.objects.exists()
