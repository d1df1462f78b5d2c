"""The moderation workflow, written once for every record type.

propose → (draft) → submitted → approved | rejected, or withdrawn by the author. Every path that
changes published content — pages, API, admin, the seed loader — calls these functions, so every
change leaves the same history and passes the same four-eyes check. Each function is one transaction;
e-mail goes out on commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from portal.models import AuditEntry
from records.content.registry import registry
from records.models import (
    Comment,
    Notification,
    Proposal,
    ProposalAction,
    ProposalItem,
    ProposalStatus,
    Record,
    RecordStatus,
    Revision,
)
from records.workflow.history import MergeConflict, state_merge
from records.workflow.indexing import record_reindex
from records.workflow.publishing import ContentInvalid, allocate_ids, load_record, state_validate, state_write

MAX_ITEMS = 100


class ProposalInvalid(Exception):
    """The proposal's content is invalid; `errors` is keyed by item index, then by field."""

    def __init__(self, errors: dict[int, Any]) -> None:
        super().__init__("invalid proposal")
        self.errors = errors


class Conflict(Exception):
    """The records moved on since the proposal's base revisions and the changes overlap."""

    def __init__(self, message: str, items: dict[int, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.items = items or {}


class WrongStatus(Exception):
    """The proposal is not in a state that allows this step (e.g. it was already decided)."""


class NotFound(Exception):
    pass


@dataclass
class ItemInput:
    """One record change as a client states it."""

    action: str
    record_type: str
    record_id: int | None = None
    base_revision: int | None = None
    revert_to: int | None = None
    ref: str = ""
    data: dict = field(default_factory=dict)


# ------------------------------------------------------------------ rights


def can_propose(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("records.propose_change")


def can_review(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("records.review_proposal")


def _check_reviewer(proposal: Proposal, reviewer: AbstractBaseUser) -> None:
    if proposal.author_id == reviewer.pk:
        raise PermissionDenied(gettext("You cannot review your own proposal; another reviewer must."))
    if not can_review(reviewer):
        raise PermissionDenied(gettext("Only reviewers can approve or reject proposals."))


def _lock(proposal_id: int) -> Proposal:
    try:
        return Proposal.objects.select_for_update().get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound(gettext("No such proposal.")) from None


def _audit(actor, action: str, proposal: Proposal, **detail: Any) -> None:
    AuditEntry.objects.create(actor=actor, action=action, target=f"proposal:{proposal.pk}", detail=detail)


def _notify(proposal: Proposal, kind: str, message: str, users: list) -> None:
    """In-app notice now; e-mail once the transaction commits."""
    recipients = [user for user in users if user is not None]
    Notification.objects.bulk_create(
        [Notification(user=user, proposal=proposal, kind=kind, message=message[:500]) for user in recipients]
    )
    addresses = [user.email for user in recipients if user.email]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(f"[Bailanys] {message[:120]}", message, None, addresses, fail_silently=True)
        )


# ------------------------------------------------------------------ proposing


def _prepare_items(items: list[ItemInput], max_items: int = MAX_ITEMS) -> list[ItemInput]:
    """Check each item's shape and target; fill an update's data from its base revision."""
    errors: dict[int, Any] = {}
    if not items:
        raise ProposalInvalid({0: {"non_field_errors": [gettext("A proposal needs at least one change.")]}})
    if len(items) > max_items:
        raise ProposalInvalid(
            {0: {"non_field_errors": [gettext("A proposal holds at most %(max)s changes.") % {"max": max_items}]}}
        )
    refs_seen: set[str] = set()
    records_seen: set[int] = set()
    targets = {
        r.pk: r for r in Record.objects.filter(pk__in=[i.record_id for i in items if isinstance(i.record_id, int)])
    }
    for index, item in enumerate(items):
        problems: dict[str, list[str]] = {}
        if registry.find(item.record_type) is None:
            problems["record_type"] = [
                gettext("Unknown record type; use one of: %(types)s.") % {"types": ", ".join(registry.names())}
            ]
        if item.action not in ProposalAction.values:
            problems["action"] = [gettext("Use create, update, withdraw or revert.")]
        if problems:
            errors[index] = problems
            continue
        if item.action == ProposalAction.CREATE:
            if item.record_id is not None:
                problems["record"] = [gettext("A new record has no id yet; leave 'record' out.")]
            item.ref = item.ref or f"${index + 1}"
            if not item.ref.startswith("$") or len(item.ref) > 40:
                problems["ref"] = [gettext("A reference to a new record starts with $ (e.g. $org1).")]
            elif item.ref in refs_seen:
                problems["ref"] = [gettext("Two new records share this reference.")]
            refs_seen.add(item.ref)
            if not isinstance(item.data, dict):
                problems["data"] = [gettext("Expected an object with the record's fields.")]
            errors.update({index: problems} if problems else {})
            continue
        record = targets.get(item.record_id) if isinstance(item.record_id, int) else None
        if record is None or record.record_type != item.record_type:
            problems["record"] = [
                gettext("No %(type)s has the id %(id)s.") % {"type": item.record_type, "id": item.record_id}
            ]
        elif record.pk in records_seen:
            problems["record"] = [gettext("The same record is changed twice in one proposal.")]
        else:
            records_seen.add(record.pk)
            if item.base_revision is None:
                item.base_revision = record.revision if item.action == ProposalAction.REVERT else None
            if item.base_revision is None:
                problems["base_revision"] = [gettext("Give the revision your change is based on.")]
            elif not 1 <= item.base_revision <= record.revision:
                problems["base_revision"] = [
                    gettext("Record %(id)s has revisions 1 to %(n)s.") % {"id": record.pk, "n": record.revision}
                ]
            elif item.action == ProposalAction.UPDATE and record.status == RecordStatus.WITHDRAWN:
                problems["record"] = [gettext("This record was withdrawn; propose a revert to restore it.")]
            elif item.action == ProposalAction.WITHDRAW and record.status == RecordStatus.WITHDRAWN:
                problems["record"] = [gettext("This record is already withdrawn.")]
            elif item.action == ProposalAction.REVERT:
                if item.revert_to is None or not 1 <= item.revert_to <= record.revision:
                    problems["revert_to"] = [gettext("Give a revision between 1 and %(n)s.") % {"n": record.revision}]
                else:
                    item.data = Revision.objects.get(record=record, number=item.revert_to).snapshot
            elif item.action == ProposalAction.UPDATE:
                if not isinstance(item.data, dict):
                    problems["data"] = [gettext("Expected an object with the fields to change.")]
                else:
                    base = Revision.objects.get(record=record, number=item.base_revision).snapshot
                    item.data = {**base, **item.data}
            elif item.action == ProposalAction.WITHDRAW:
                item.data = {}
        if problems:
            errors[index] = problems
    if errors:
        raise ProposalInvalid(errors)
    return items


def _validate_items(items: list) -> dict[int, dict]:
    """Validate every created or changed state, each knowing the new records of the same proposal.
    Replaces each item's data with its canonical form and returns the validated values by item index.
    Raises ProposalInvalid."""
    refs = {item.ref: item.record_type for item in items if item.action == ProposalAction.CREATE}
    validated: dict[int, dict] = {}
    errors: dict[int, Any] = {}
    cache: dict = {}
    for index, item in enumerate(items):
        if item.action == ProposalAction.WITHDRAW:
            continue
        try:
            item.data, validated[index] = state_validate(
                item.record_type, item.data, refs=refs, record_id=item.record_id, cache=cache
            )
        except ContentInvalid as exc:
            errors[index] = {"data": exc.errors}
    if errors:
        raise ProposalInvalid(errors)
    return validated


def _rebase(item, record: Record) -> tuple[dict | None, dict | None]:
    """The item's change re-applied on the record's current revision: (data, None), or (None, conflict)
    when the record moved on since the item's base revision in the fields the item changes."""
    if record.revision == item.base_revision:
        if item.action == ProposalAction.UPDATE and record.status == RecordStatus.WITHDRAWN:
            return None, {"record": record.pk, "withdrawn": True, "fields": {}}
        return item.data, None
    moved = {"record": record.pk, "base_revision": item.base_revision, "current_revision": record.revision}
    if item.action == ProposalAction.WITHDRAW or record.status == RecordStatus.WITHDRAWN:
        return None, {**moved, "fields": {}}
    snapshots = dict(
        Revision.objects.filter(record=record, number__in=[item.base_revision, record.revision]).values_list(
            "number", "snapshot"
        )
    )
    try:
        return state_merge(snapshots[item.base_revision], snapshots[record.revision], item.data), None
    except MergeConflict as exc:
        return None, {**moved, "fields": exc.fields}


def _check_stale(items: list) -> None:
    """A change based on an old revision is only accepted if it does not clash with what changed since."""
    records = Record.objects.in_bulk([item.record_id for item in items if item.action != ProposalAction.CREATE])
    conflicts: dict[int, Any] = {}
    for index, item in enumerate(items):
        if item.action != ProposalAction.CREATE:
            _, conflict = _rebase(item, records[item.record_id])
            if conflict:
                conflicts[index] = conflict
    if conflicts:
        raise Conflict(gettext_noop("The record has changed since the revision your change is based on."), conflicts)


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
    if not can_propose(author):
        raise PermissionDenied(
            gettext("Your account cannot propose changes yet; an administrator grants the researcher role.")
        )
    items = _prepare_items(items, max_items)
    if not draft:
        _validate_items(items)
        _check_stale(items)
    with transaction.atomic():
        now = timezone.now()
        proposal = Proposal.objects.create(
            author=author,
            summary=summary.strip()[:500],
            status=ProposalStatus.DRAFT if draft else ProposalStatus.SUBMITTED,
            submitted_at=None if draft else now,
        )
        ProposalItem.objects.bulk_create(
            [
                ProposalItem(
                    proposal=proposal,
                    position=index,
                    action=item.action,
                    record_type=item.record_type,
                    record_id=item.record_id,
                    ref=item.ref if item.action == ProposalAction.CREATE else "",
                    base_revision=item.base_revision,
                    revert_to=item.revert_to,
                    data=item.data,
                )
                for index, item in enumerate(items)
            ]
        )
        if not draft:
            _audit(author, AuditEntry.Action.PROPOSAL_SUBMITTED, proposal)
    return proposal


def proposal_revise(
    *, proposal_id: int, author: AbstractBaseUser, items: list[ItemInput], summary: str | None = None
) -> Proposal:
    """The author replaces the changes of an undecided proposal (e.g. rebases it after a conflict)."""
    items = _prepare_items(items)
    with transaction.atomic():
        proposal = _lock(proposal_id)
        if proposal.author_id != author.pk:
            raise PermissionDenied(gettext("Only the proposal's author can change it."))
        if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED):
            raise WrongStatus(
                gettext("This proposal is %(status)s; it cannot change any more.")
                % {"status": proposal.get_status_display()}
            )
        if proposal.status == ProposalStatus.SUBMITTED:
            _validate_items(items)
            _check_stale(items)
        proposal.items.all().delete()
        ProposalItem.objects.bulk_create(
            [
                ProposalItem(
                    proposal=proposal,
                    position=index,
                    action=item.action,
                    record_type=item.record_type,
                    record_id=item.record_id,
                    ref=item.ref if item.action == ProposalAction.CREATE else "",
                    base_revision=item.base_revision,
                    revert_to=item.revert_to,
                    data=item.data,
                )
                for index, item in enumerate(items)
            ]
        )
        if summary is not None:
            proposal.summary = summary.strip()[:500]
        proposal.conflict = None
        proposal.save()
    return proposal


def proposal_submit(*, proposal_id: int, author: AbstractBaseUser) -> Proposal:
    """draft → submitted, after validating every change by the rules that guard published data."""
    with transaction.atomic():
        proposal = _lock(proposal_id)
        if proposal.author_id != author.pk:
            raise PermissionDenied(gettext("Only the proposal's author can submit it."))
        if proposal.status != ProposalStatus.DRAFT:
            raise WrongStatus(gettext("Only a draft can be submitted."))
        items = list(proposal.items.all())
        _validate_items(items)
        _check_stale(items)
        for item in items:
            item.save(update_fields=["data"])
        proposal.status = ProposalStatus.SUBMITTED
        proposal.submitted_at = timezone.now()
        proposal.save()
        _audit(author, AuditEntry.Action.PROPOSAL_SUBMITTED, proposal)
    return proposal


def proposal_withdraw(*, proposal_id: int, author: AbstractBaseUser) -> Proposal:
    with transaction.atomic():
        proposal = _lock(proposal_id)
        if proposal.author_id != author.pk:
            raise PermissionDenied(gettext("Only the proposal's author can withdraw it."))
        if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED):
            raise WrongStatus(gettext("Only a draft or a submitted proposal can be withdrawn."))
        proposal.status = ProposalStatus.WITHDRAWN
        proposal.claimed_by = None
        proposal.save()
        _audit(author, AuditEntry.Action.PROPOSAL_WITHDRAWN, proposal)
    return proposal


# ------------------------------------------------------------------ reviewing


def proposal_claim(*, proposal_id: int, reviewer: AbstractBaseUser, release: bool = False) -> Proposal:
    """Mark a submitted proposal as being reviewed by `reviewer`, so others do not duplicate the work."""
    with transaction.atomic():
        proposal = _lock(proposal_id)
        _check_reviewer(proposal, reviewer)
        if proposal.status != ProposalStatus.SUBMITTED:
            raise WrongStatus(gettext("Only a submitted proposal can be claimed."))
        if release:
            if proposal.claimed_by_id == reviewer.pk:
                proposal.claimed_by, proposal.claimed_at = None, None
        else:
            if proposal.claimed_by_id not in (None, reviewer.pk):
                raise WrongStatus(gettext("Already claimed by %(name)s.") % {"name": proposal.claimed_by.public_name})
            proposal.claimed_by, proposal.claimed_at = reviewer, timezone.now()
        proposal.save(update_fields=["claimed_by", "claimed_at", "updated_at"])
    return proposal


def proposal_reject(*, proposal_id: int, reviewer: AbstractBaseUser, reason: str) -> Proposal:
    reason = (reason or "").strip()
    with transaction.atomic():
        proposal = _lock(proposal_id)
        _check_reviewer(proposal, reviewer)
        if proposal.status != ProposalStatus.SUBMITTED:
            raise WrongStatus(
                gettext("This proposal is %(status)s; only a submitted one can be rejected.")
                % {"status": proposal.get_status_display()}
            )
        if not reason:
            raise ProposalInvalid({0: {"reason": [gettext("Say why the proposal is rejected.")]}})
        proposal.status = ProposalStatus.REJECTED
        proposal.reviewer = reviewer
        proposal.decided_at = timezone.now()
        proposal.decision_comment = reason[:5000]
        proposal.save()
        _audit(reviewer, AuditEntry.Action.PROPOSAL_REJECTED, proposal, reason=reason[:500])
        _notify(
            proposal,
            Notification.Kind.REJECTED,
            f"Your proposal #{proposal.pk} was rejected by {reviewer.public_name}: {reason}",
            [proposal.author],
        )
    return proposal


def proposal_approve(*, proposal_id: int, reviewer: AbstractBaseUser, comment: str = "") -> Proposal:
    """Publish every change of the proposal as one unit, or none of them.

    Under row locks on the proposal and its records: a change whose base revision is still current is
    applied as proposed; one whose record moved on is merged three-way when the fields it changes
    were untouched since its base, and otherwise the approval is refused with a Conflict that the
    author is told about. Each record gets a new immutable revision.
    """
    try:
        with transaction.atomic():
            return _approve(proposal_id, reviewer, (comment or "").strip())
    except Conflict as conflict:
        _record_conflict(proposal_id, reviewer, conflict)
        raise


def _approve(proposal_id: int, reviewer: AbstractBaseUser, comment: str) -> Proposal:
    proposal = _lock(proposal_id)
    _check_reviewer(proposal, reviewer)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise WrongStatus(
            gettext("This proposal is %(status)s; only a submitted one can be approved.")
            % {"status": proposal.get_status_display()}
        )
    items = list(proposal.items.all())
    # Lock in id order so that two approvals touching the same records cannot deadlock.
    locked = Record.objects.select_for_update().filter(pk__in=[i.record_id for i in items if i.record_id])
    locked = {record.pk: record for record in locked.order_by("pk")}

    conflicts: dict[int, Any] = {}
    for index, item in enumerate(items):
        if item.action != ProposalAction.CREATE:
            item.data, conflict = _rebase(item, locked[item.record_id])
            if conflict:
                conflicts[index] = conflict
    if conflicts:
        raise Conflict(
            gettext_noop("The record has changed since this proposal was made, in the same fields."), conflicts
        )
    try:
        validated = _validate_items(items)
    except ProposalInvalid as exc:
        raise Conflict(
            gettext_noop("The proposal is no longer valid against the published records."), exc.errors
        ) from exc

    creates = [item for item in items if item.action == ProposalAction.CREATE]
    ids = dict(zip([item.ref for item in creates], allocate_ids(len(creates)), strict=True))
    written = [
        _publish_item(item, locked.get(item.record_id), validated.get(index), ids) for index, item in enumerate(items)
    ]
    for item, record in written:
        _revision_create(proposal, reviewer, item, record)
    _reindex_inside(place.pk for item, place in written if _place_moved(item, place))

    proposal.status = ProposalStatus.APPROVED
    proposal.reviewer = reviewer
    proposal.decided_at = timezone.now()
    proposal.decision_comment = comment[:5000]
    proposal.conflict = None
    proposal.claimed_by = None
    proposal.save()
    _audit(
        reviewer,
        AuditEntry.Action.PROPOSAL_APPROVED,
        proposal,
        revisions=[[item.record_id, item.revision.number] for item, _ in written],
    )
    _notify(
        proposal,
        Notification.Kind.APPROVED,
        f"Your proposal #{proposal.pk} was approved by {reviewer.public_name} and is published.",
        [proposal.author],
    )
    return proposal


def _publish_item(item: ProposalItem, locked: Record | None, validated: dict | None, ids: dict[str, int]):
    """Write one approved change into the published tables; returns (item, record)."""
    spec = registry.get(item.record_type)
    if item.action == ProposalAction.CREATE:
        record = state_write(spec, None, validated, new_id=ids[item.ref], ids=ids)
    elif item.action == ProposalAction.WITHDRAW:
        record = locked
        record.status = RecordStatus.WITHDRAWN
        record.revision += 1
        record.save(update_fields=["status", "revision", "updated_at"])
    else:
        record = spec.model.objects.get(pk=item.record_id)
        record.revision += 1
        record.status = RecordStatus.PUBLISHED
        record = state_write(spec, record, validated, new_id=None, ids=ids)
    return item, record


def _revision_create(proposal: Proposal, reviewer, item: ProposalItem, record: Record) -> Revision:
    """The immutable revision of a just-published change, with the snapshot read back from the tables."""
    if item.action == ProposalAction.WITHDRAW:
        snapshot = Revision.objects.get(record_id=record.pk, number=record.revision - 1).snapshot
    else:
        loaded = load_record(record.pk, item.record_type)
        record_reindex(loaded)
        snapshot = registry.get(item.record_type).schema(loaded).data
    item.revision = Revision.objects.create(
        record_id=record.pk,
        number=record.revision,
        action=item.action,
        snapshot=snapshot,
        summary=proposal.summary,
        proposal=proposal,
        author_id=proposal.author_id,
        reviewer=reviewer,
    )
    item.record_id = record.pk
    item.save(update_fields=["revision", "record", "data"])
    return item.revision


def _place_moved(item: ProposalItem, record: Record) -> bool:
    if item.record_type != "place" or item.action in (ProposalAction.CREATE, ProposalAction.WITHDRAW):
        return False
    before = Revision.objects.get(record_id=record.pk, number=record.revision - 1).snapshot
    return before.get("parent") != item.data.get("parent")


def _reindex_inside(place_ids) -> None:
    """A place moved to another parent: what was filed under its old ancestors is filed anew."""
    for place_id in place_ids:
        inside = Record.objects.filter(place_ids__contains=[place_id]).exclude(pk=place_id)
        for record in inside.only("pk", "record_type"):
            record_reindex(load_record(record.pk, record.record_type))


def _record_conflict(proposal_id: int, reviewer: AbstractBaseUser, conflict: Conflict) -> None:
    """Tell the author what changed, so the proposal can be revised; the proposal stays submitted."""
    with transaction.atomic():
        proposal = _lock(proposal_id)
        proposal.conflict = {"message": conflict.message, "items": {str(k): v for k, v in conflict.items.items()}}
        proposal.save(update_fields=["conflict", "updated_at"])
        _audit(reviewer, AuditEntry.Action.PROPOSAL_CONFLICT, proposal, message=conflict.message)
        _notify(
            proposal,
            Notification.Kind.CONFLICT,
            f"Your proposal #{proposal.pk} could not be approved: {conflict.message} Please revise it.",
            [proposal.author],
        )


# ------------------------------------------------------------------ discussion


def comment_add(*, proposal_id: int, author: AbstractBaseUser, body: str) -> Comment:
    body = (body or "").strip()
    if not body:
        raise ProposalInvalid({0: {"body": [gettext("Write something.")]}})
    with transaction.atomic():
        proposal = Proposal.objects.visible_to(author).filter(pk=proposal_id).first()
        if proposal is None:
            raise NotFound(gettext("No such proposal."))
        comment = Comment.objects.create(proposal=proposal, author=author, body=body[:10000])
        others = {proposal.author_id, proposal.claimed_by_id, *proposal.comments.values_list("author_id", flat=True)}
        others.discard(author.pk)
        others.discard(None)
        from django.contrib.auth import get_user_model

        _notify(
            proposal,
            Notification.Kind.COMMENT,
            f"{author.public_name} commented on proposal #{proposal.pk}.",
            list(get_user_model().objects.filter(pk__in=others)),
        )
    return comment
