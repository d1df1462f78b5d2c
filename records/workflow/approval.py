"""Approval: every change of a proposal published as one unit, or none of them.

Under row locks on the proposal and its records, a change whose base revision is still current is
applied as proposed; one whose record moved on is merged three-way when the fields it changes were
untouched since its base, and otherwise the approval is refused with a Conflict that the author is
told about. Each record gets a new immutable revision, its snapshot read back from the tables.
`progress(n)`, when given, is told how many changes are written so far (the worker's approval of a
large proposal reports it, records/workflow/queued_approval.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from psycopg.types.json import Jsonb

from portal.models import AuditEntry
from records.content.registry import RecordTypeSpec, registry
from records.models import (
    Notification,
    Proposal,
    ProposalAction,
    ProposalItem,
    ProposalStatus,
    Record,
    RecordStatus,
    Revision,
)
from records.workflow.errors import Conflict, ProposalInvalid, StaleVersion
from records.workflow.indexing import records_reindex
from records.workflow.items import items_rebase, items_validate
from records.workflow.links import references, withdrawals_check
from records.workflow.notifications import notify
from records.workflow.publishing import allocate_ids, states_write
from records.workflow.readings import readings_published
from records.workflow.steps import (
    audit,
    proposal_decide,
    proposal_for_review,
    proposal_lock,
    records_lock,
    retried_on_deadlock,
)


@retried_on_deadlock
def proposal_approve(
    *,
    proposal_id: int,
    reviewer: AbstractBaseUser,
    comment: str = "",
    version: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Proposal:
    """Publish every change of the proposal as one unit, or none of them (see the module docstring).
    `version`: the one the reviewer read; StaleVersion if the proposal was revised since (None: unchecked)."""
    try:
        with transaction.atomic():
            return _approve(proposal_id, reviewer, (comment or "").strip(), version, progress)
    except Conflict as conflict:
        _conflict_record(proposal_id, reviewer, conflict)
        raise


def proposal_approvable(proposal_id: int, reviewer: AbstractBaseUser, version: int | None) -> Proposal:
    """The proposal, locked, if `reviewer` may approve it now, at the `version` they read (None: any);
    else WrongStatus, StaleVersion, ClaimHeld or PermissionDenied. Inside the caller's transaction."""
    refusal = gettext("This proposal is %(status)s; only a submitted one can be approved.")
    proposal = proposal_for_review(proposal_id, reviewer, refusal)
    if version is not None and version != proposal.version:
        raise StaleVersion(
            gettext("The proposal was changed since you read it (you read version %(read)s, it is now %(now)s).")
            % {"read": version, "now": proposal.version}
            + " "
            + gettext("Read it again and approve the current version.")
        )
    return proposal


def _approve(
    proposal_id: int, reviewer: AbstractBaseUser, comment: str, version: int | None, progress: Progress | None
) -> Proposal:
    proposal = proposal_approvable(proposal_id, reviewer, version)
    written = _publish(proposal, reviewer, list(proposal.items.all()), progress or _silent)
    proposal_decide(proposal, reviewer, ProposalStatus.APPROVED, comment)
    proposal.conflict = None
    proposal.claimed_by = None
    proposal.save()
    audit(
        reviewer,
        AuditEntry.Action.PROPOSAL_APPROVED,
        proposal,
        revisions=[[item.record_id, item.revision.number] for item, _ in written],
    )
    notify(
        proposal,
        Notification.Kind.APPROVED,
        f"Your proposal #{proposal.pk} was approved by {reviewer.public_name} and is published.",
        [proposal.author],
        actor=reviewer,
    )
    return proposal


Progress = Callable[[int], None]


def _silent(done: int) -> None:
    pass


def _publish(
    proposal: Proposal, reviewer, items: list[ProposalItem], progress: Progress
) -> list[tuple[ProposalItem, Record]]:
    """Rebase, validate and write every change; a new revision each. Raises Conflict."""
    # The records written and those referred to, locked in id order so that two approvals cannot deadlock
    # and no record referred to is withdrawn meanwhile.
    locked = records_lock([i.record_id for i in items if i.record_id], _referred(items))
    for item, data in zip(items, _rebase(items, locked), strict=True):
        item.data = data
    merged = _referred(items) - locked.keys()
    if merged:  # a merge brought references of its own
        locked.update(records_lock((), merged))
    _references_check(items, locked)
    try:
        validated = items_validate(items)
    except ProposalInvalid as exc:
        raise Conflict(
            gettext_noop("The proposal is no longer valid against the published records."), exc.errors
        ) from exc

    creates = [item for item in items if item.action == ProposalAction.CREATE]
    ids = dict(zip([item.ref for item in creates], allocate_ids(len(creates)), strict=True))
    written = _write(items, locked, validated, ids, progress)
    withdrawals_check(items, proposing=False)
    _revisions_create(proposal, reviewer, written)
    before = _previous_snapshots(written)
    _reindex_inside([place.pk for item, place in written if _place_moved(item, before)])
    renamed = [record.pk for item, record in written if _renamed(item, before)]
    readings_published([record.pk for _, record in written], renamed)
    return written


def _referred(items: list[ProposalItem]) -> set[int]:
    """The existing records the proposal's new states refer to."""
    found: set[int] = set()
    for item in items:
        if item.action != ProposalAction.WITHDRAW:
            found |= references(item.record_type, item.data)
    return found


def _rebase(items: list[ProposalItem], locked: dict[int, Record]) -> list[dict]:
    """The changes re-applied on the current revisions; a record withdrawn meanwhile is a conflict of its own."""
    try:
        return items_rebase(
            items, locked, gettext_noop("The record has changed since this proposal was made, in the same fields.")
        )
    except Conflict as conflict:
        changed = [items[index].record_id for index in conflict.items]
        if any(locked[pk].status == RecordStatus.WITHDRAWN for pk in changed):
            raise Conflict(
                gettext_noop("A record this proposal changes was withdrawn meanwhile."), conflict.items
            ) from conflict
        raise


def _references_check(items: list[ProposalItem], locked: dict[int, Record]) -> None:
    """Refuse to publish a state that refers to a withdrawn record (the records are locked: it stays so)."""
    problems: dict[int, dict] = {}
    for index, item in enumerate(items):
        if item.action == ProposalAction.WITHDRAW:
            continue
        gone = sorted(
            pk
            for pk in references(item.record_type, item.data)
            if pk in locked and locked[pk].status == RecordStatus.WITHDRAWN
        )
        if gone:
            names = ", ".join(f"{locked[pk].label} (#{pk})" for pk in gone)
            message = gettext("It refers to a withdrawn record: %(names)s.") % {"names": names}
            problems[index] = {"record": item.record_id, "fields": {}, "data": {"non_field_errors": [message]}}
    if problems:
        raise Conflict(gettext_noop("A record this proposal refers to was withdrawn meanwhile."), problems)


def _write(
    items: list[ProposalItem],
    locked: dict[int, Record],
    validated: dict[int, dict],
    ids: dict[str, int],
    progress: Progress,
) -> list[tuple[ProposalItem, Record]]:
    """Write the approved changes into the published tables, set-based: the records of each type in a
    few statements whatever their number (records/workflow/publishing.py). Returns (item, record) in order."""
    records: dict[int, Record] = {}  # by item index
    withdrawn = [item.record_id for item in items if item.action == ProposalAction.WITHDRAW]
    if withdrawn:
        Record.objects.filter(pk__in=withdrawn).update(
            status=RecordStatus.WITHDRAWN, revision=F("revision") + 1, updated_at=timezone.now()
        )
        for index, item in enumerate(items):
            if item.action == ProposalAction.WITHDRAW:
                records[index] = locked[item.record_id]
                records[index].status = RecordStatus.WITHDRAWN
                records[index].revision += 1
    by_type: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if item.action != ProposalAction.WITHDRAW:
            by_type.setdefault(item.record_type, []).append(index)
    for record_type, indexes in by_type.items():
        spec = registry.get(record_type)
        changed = spec.model.objects.in_bulk([items[i].record_id for i in indexes if items[i].record_id])
        writes = []
        for index in indexes:
            record = changed.get(items[index].record_id)
            if record is not None:
                record.revision += 1
                record.status = RecordStatus.PUBLISHED
            writes.append((record, validated[index], ids.get(items[index].ref) if record is None else None))
        for index, record in zip(indexes, states_write(spec, writes, ids=ids), strict=True):
            records[index] = record
        progress(len(records))
    return [(item, records[index]) for index, item in enumerate(items)]


def _revisions_create(proposal: Proposal, reviewer, written: list[tuple[ProposalItem, Record]]) -> None:
    """The immutable revisions of the just-published changes, with the snapshots read back from the
    tables (a batch of records of a type per query) and the search fields computed from the same loaded
    states; a withdrawal keeps its previous snapshot."""
    snapshots = _loaded_snapshots([record for item, record in written if item.action != ProposalAction.WITHDRAW])
    withdrawn = {record.pk: record.revision - 1 for item, record in written if item.action == ProposalAction.WITHDRAW}
    if withdrawn:
        rows = Revision.objects.filter(record_id__in=withdrawn, number__in=set(withdrawn.values()))
        snapshots.update(
            (pk, snapshot)
            for pk, number, snapshot in rows.values_list("record_id", "number", "snapshot")
            if withdrawn[pk] == number
        )
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                record_id=record.pk,
                number=record.revision,
                action=item.action,
                snapshot=snapshots[record.pk],
                summary=proposal.summary,
                proposal=proposal,
                author_id=proposal.author_id,
                reviewer=reviewer,
            )
            for item, record in written
        ],
        batch_size=BATCH,
    )
    for (item, record), revision in zip(written, revisions, strict=True):
        item.revision, item.record_id = revision, record.pk
    with connection.cursor() as cursor:  # one statement (bulk_update's CASE per row is slow for long sets)
        cursor.execute(
            "UPDATE records_proposal_item i SET revision_id = v.revision, record_id = v.record, data = v.data"
            " FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::jsonb[]) AS v(id, revision, record, data)"
            " WHERE i.id = v.id",
            [
                [item.pk for item, _ in written],
                [item.revision_id for item, _ in written],
                [item.record_id for item, _ in written],
                [Jsonb(item.data) for item, _ in written],
            ],
        )


BATCH = 500  # records loaded, or rows written, per statement


def _loaded(records: list[Record]) -> Iterator[tuple[RecordTypeSpec, list[Record]]]:
    """These records with their states loaded, a batch of one type at a time; their search fields are
    recomputed from the loaded states on the way."""
    by_type: dict[str, list[int]] = {}
    for record in records:
        by_type.setdefault(record.record_type, []).append(record.pk)
    for record_type, ids in by_type.items():
        spec = registry.get(record_type)
        for start in range(0, len(ids), BATCH):
            loaded = list(spec.with_state(spec.model.objects.filter(pk__in=ids[start : start + BATCH])))
            records_reindex(loaded)
            yield spec, loaded


def _loaded_snapshots(records: list[Record]) -> dict[int, dict]:
    """The canonical snapshots of these records as the tables hold them (their search fields recomputed)."""
    snapshots: dict[int, dict] = {}
    for spec, loaded in _loaded(records):
        data = spec.schema(loaded, many=True).data
        snapshots.update((record.pk, dict(state)) for record, state in zip(loaded, data, strict=True))
    return snapshots


CHANGED_ACTIONS = (ProposalAction.UPDATE, ProposalAction.REVERT)


def _previous_snapshots(written: list[tuple[ProposalItem, Record]]) -> dict[int, dict]:
    """The snapshots the changed records had before this approval (one query for them all)."""
    wanted = {record.pk: record.revision - 1 for item, record in written if item.action in CHANGED_ACTIONS}
    if not wanted:
        return {}
    rows = Revision.objects.filter(record_id__in=wanted, number__in=set(wanted.values()))
    rows = rows.values_list("record_id", "number", "snapshot")
    return {pk: snapshot for pk, number, snapshot in rows if wanted[pk] == number}


def _renamed(item: ProposalItem, before: dict[int, dict]) -> bool:
    """The change gave the record another name, in any language (other records' bodies show it)."""
    if item.action not in CHANGED_ACTIONS:
        return False
    name = registry.get(item.record_type).label_name
    previous, after = before[item.record_id], item.revision.snapshot
    return any(previous.get(key) != after.get(key) for key in (name, f"{name}s"))


def _place_moved(item: ProposalItem, before: dict[int, dict]) -> bool:
    if item.record_type != "place" or item.action not in CHANGED_ACTIONS:
        return False
    return before[item.record_id].get("parent") != item.data.get("parent")


def _reindex_inside(place_ids: list[int]) -> None:
    """A place moved to another parent: what was filed under its old ancestors is filed anew."""
    if place_ids:
        inside = Record.objects.filter(place_ids__overlap=place_ids).exclude(pk__in=place_ids)
        for _ in _loaded(list(inside.only("pk", "record_type"))):
            pass


def _conflict_record(proposal_id: int, reviewer: AbstractBaseUser, conflict: Conflict) -> None:
    """Tell the author what changed, so the proposal can be revised; the proposal stays submitted."""
    with transaction.atomic():
        proposal = proposal_lock(proposal_id)
        proposal.conflict = {"message": conflict.message, "items": {str(k): v for k, v in conflict.items.items()}}
        proposal.save(update_fields=["conflict", "updated_at"])
        audit(reviewer, AuditEntry.Action.PROPOSAL_CONFLICT, proposal, message=conflict.message)
        notify(
            proposal,
            Notification.Kind.CONFLICT,
            f"Your proposal #{proposal.pk} could not be approved: {conflict.message} Please revise it.",
            [proposal.author],
            actor=reviewer,
        )
