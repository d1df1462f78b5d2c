"""An author's steps: propose, revise, submit, withdraw — and `proposal_save`, which the pages call.

A draft is stored as typed; a submitted proposal has passed every check that guards published data
(records/workflow/items.py). Each step is one transaction.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from portal.models import AuditEntry
from records.models import Notification, Proposal, ProposalItem, ProposalStatus
from records.workflow.errors import NotFound, WrongStatus
from records.workflow.items import (
    MAX_ITEMS,
    ItemInput,
    items_check,
    items_prepare,
    items_refs_check,
    items_write,
)
from records.workflow.notifications import notify
from records.workflow.rights import check_author, check_proposer
from records.workflow.steps import audit, proposal_lock

OPEN = (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)


def proposal_create(
    *,
    author: AbstractBaseUser,
    items: list[ItemInput],
    summary: str = "",
    draft: bool = False,
    max_items: int = MAX_ITEMS,
) -> Proposal:
    """Propose one or more record changes; submitted for review at once unless `draft`.
    (`max_items` is raised only by trusted bulk loaders such as load_seed.)"""
    check_proposer(author)
    items = items_prepare(items, max_items)
    if draft:
        items_refs_check(items)  # a draft is stored as typed, but never with a dangling "$ref"
    else:
        items_check(items)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            author=author,
            summary=summary.strip()[:500],
            status=ProposalStatus.DRAFT if draft else ProposalStatus.SUBMITTED,
            submitted_at=None if draft else timezone.now(),
        )
        items_write(proposal, items)
        if not draft:
            audit(author, AuditEntry.Action.PROPOSAL_SUBMITTED, proposal)
    return proposal


def proposal_revise(
    *, proposal_id: int, author: AbstractBaseUser, items: list[ItemInput], summary: str | None = None
) -> Proposal:
    """The author replaces the changes of an undecided proposal (e.g. rebases it after a conflict).
    Its version goes up; a submitted one goes back to the queue, its claim released and the reviewer told."""
    # Who and when before what: someone else's or a decided proposal is refused whatever the changes say
    # (and again under the lock, below).
    _check_revisable(Proposal.objects.filter(pk=proposal_id).first(), author)
    items = items_prepare(items)
    with transaction.atomic():
        proposal = proposal_lock(proposal_id)
        _check_revisable(proposal, author)
        if proposal.status == ProposalStatus.SUBMITTED:
            items_check(items)
        else:
            items_refs_check(items)
        proposal.items.all().delete()
        items_write(proposal, items)
        if summary is not None:
            proposal.summary = summary.strip()[:500]
        proposal.conflict = None
        proposal.version += 1  # an approval naming an older version is refused (what was read is not this)
        reviewer = proposal.claimed_by if proposal.status == ProposalStatus.SUBMITTED else None
        proposal.claimed_by, proposal.claimed_at = None, None  # back to the queue, to be read again
        proposal.save()
        if reviewer is not None:
            notify(
                proposal,
                Notification.Kind.CHANGED,
                f"Proposal #{proposal.pk}, which you claimed, was changed by {author.public_name} "
                f"(now version {proposal.version}); it is back in the queue.",
                [reviewer],
                actor=author,
            )
    return proposal


def _check_revisable(proposal: Proposal | None, author: AbstractBaseUser) -> None:
    if proposal is None:
        raise NotFound(gettext("No such proposal."))
    check_author(proposal, author, gettext("Only the proposal's author can change it."))
    if proposal.status not in OPEN:
        raise WrongStatus(
            gettext("This proposal is %(status)s; it cannot change any more.")
            % {"status": proposal.get_status_display()}
        )


def proposal_submit(*, proposal_id: int, author: AbstractBaseUser) -> Proposal:
    """draft → submitted, after validating every change by the rules that guard published data."""
    with transaction.atomic():
        proposal = proposal_lock(proposal_id)
        check_author(proposal, author, gettext("Only the proposal's author can submit it."))
        if proposal.status != ProposalStatus.DRAFT:
            raise WrongStatus(gettext("Only a draft can be submitted."))
        items = list(proposal.items.all())
        items_check(items)
        for item in items:
            item.save(update_fields=["data"])
        proposal.status = ProposalStatus.SUBMITTED
        proposal.submitted_at = timezone.now()
        proposal.save()
        audit(author, AuditEntry.Action.PROPOSAL_SUBMITTED, proposal)
    return proposal


def proposal_withdraw(*, proposal_id: int, author: AbstractBaseUser) -> Proposal:
    with transaction.atomic():
        proposal = proposal_lock(proposal_id)
        check_author(proposal, author, gettext("Only the proposal's author can withdraw it."))
        if proposal.status not in OPEN:
            raise WrongStatus(gettext("Only a draft or a submitted proposal can be withdrawn."))
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.claimed_by = None
        proposal.save()
        audit(author, AuditEntry.Action.PROPOSAL_WITHDRAWN, proposal)
    return proposal


def proposal_save(
    *,
    author: AbstractBaseUser,
    items: list[ItemInput],
    summary: str,
    proposal_id: int | None = None,
    position: int | None = None,
    submit: bool = True,
) -> Proposal:
    """Save what an author typed, as the pages do: without `proposal_id` a new proposal, submitted (or a
    draft unless `submit`); with it, the author's proposal revised, and submitted too if it was a draft
    and `submit`. With `position`, `items` holds the one change that replaces the proposal's change at
    that position (a page edits one change at a time); the others stay as they are.

    Revising and submitting are two steps: a revised draft stays saved when its submission is refused."""
    if proposal_id is None:
        return proposal_create(author=author, items=items, summary=summary, draft=not submit)
    if position is not None:
        items = _items_replacing(proposal_id, position, items[0])
    proposal = proposal_revise(proposal_id=proposal_id, author=author, items=items, summary=summary)
    if submit and proposal.status == ProposalStatus.DRAFT:
        proposal = proposal_submit(proposal_id=proposal.pk, author=author)
    return proposal


def _items_replacing(proposal_id: int, position: int, replacement: ItemInput) -> list[ItemInput]:
    """The proposal's changes with the one at `position` replaced (keeping its "$ref")."""
    items = [ItemInput.of(item) for item in ProposalItem.objects.filter(proposal_id=proposal_id)]
    if not 0 <= position < len(items):
        raise NotFound(gettext("No such proposal."))  # or none of its changes stands at that position
    replacement.ref = items[position].ref
    items[position] = replacement
    return items
