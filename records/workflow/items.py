"""The changes of a proposal: as a client states them, checked, validated and rebased on what is published.

`items_prepare` checks each change's shape and target and fills in what follows from its base
revision; `items_check` validates every resulting state and refuses a change whose record moved on
in the fields it changes; `items_rebase` re-applies the changes on the records' current revisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

from records.content.registry import registry
from records.content.schemas import new_refs_in, strings_in
from records.models import Proposal, ProposalAction, ProposalItem, Record, RecordStatus, Revision
from records.workflow.errors import Conflict, ProposalInvalid
from records.workflow.history import MergeConflict, state_merge
from records.workflow.links import withdrawals_check
from records.workflow.publishing import states_validate

MAX_ITEMS = 100


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

    @classmethod
    def of(cls, item: ProposalItem) -> ItemInput:
        """A stored change stated again (to revise a proposal while keeping its other changes)."""
        return cls(
            action=item.action,
            record_type=item.record_type,
            record_id=item.record_id,
            base_revision=item.base_revision,
            revert_to=item.revert_to,
            ref=item.ref,
            data=item.data,
        )


def items_prepare(items: list[ItemInput], max_items: int = MAX_ITEMS) -> list[ItemInput]:
    """Check each item's shape and target; fill an update's data from its base revision."""
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
    errors: dict[int, Any] = {}
    for index, item in enumerate(items):
        problems = _shape_problems(item)
        if not problems:
            if item.action == ProposalAction.CREATE:
                problems = _creation_problems(index, item, refs_seen)
            else:
                target = targets.get(item.record_id) if isinstance(item.record_id, int) else None
                problems = _change_problems(item, target, records_seen)
        if problems:
            errors[index] = problems
    if errors:
        raise ProposalInvalid(errors)
    return items


def items_refs_check(items: list[ItemInput]) -> None:
    """What a draft must pass besides its shape: every "$ref" in a reference field names a new record
    of the proposal (a submitted proposal's full validation checks the same), and its data holds no NUL,
    which PostgreSQL cannot store (validation refuses it in every text field). Raises ProposalInvalid."""
    refs = {item.ref for item in items if item.action == ProposalAction.CREATE}
    errors = {
        index: problems
        for index, item in enumerate(items)
        if (problems := _undefined_refs(item, refs) or _nul_in(item.data))
    }
    if errors:
        raise ProposalInvalid(errors)


def _nul_in(data: Any) -> dict[str, list[str]]:
    if any("\x00" in text for text in strings_in(data)):
        return {"data": [gettext("Text cannot hold a NUL character (U+0000).")]}
    return {}


def _undefined_refs(item: ItemInput, refs: set[str]) -> dict[str, Any]:
    """A "$ref" in a reference field that no new record of the proposal defines, refused as soon as it is
    proposed (a draft too), in the shape of the field's validation error. Text fields are not looked at."""
    if item.action not in (ProposalAction.CREATE, ProposalAction.UPDATE):
        return {}
    errors: dict[Any, Any] = {}
    for path, value in new_refs_in(registry.get(item.record_type).schema().fields, item.data):
        if value in refs:
            continue
        *parents, last = path
        node = errors
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = [gettext("%(ref)s names no new record of this proposal.") % {"ref": repr(value[:40])}]
    return {"data": errors} if errors else {}


def _shape_problems(item: ItemInput) -> dict[str, list[str]]:
    problems = {}
    if registry.find(item.record_type) is None:
        problems["record_type"] = [
            gettext("Unknown record type; use one of: %(types)s.") % {"types": ", ".join(registry.names())}
        ]
    if item.action not in ProposalAction.values:
        problems["action"] = [gettext("Use create, update, withdraw or revert.")]
    return problems


def _creation_problems(index: int, item: ItemInput, refs_seen: set[str]) -> dict[str, list[str]]:
    """A new record: no id, a "$ref" of its own within the proposal, its fields as an object."""
    problems = {}
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
    return problems


def _change_problems(item: ItemInput, record: Record | None, records_seen: set[int]) -> dict[str, list[str]]:
    """A change to an existing record, checked against its revisions; an update's data is completed from
    its base revision, a revert's is the revision it restores, a withdrawal's is empty."""
    if record is None or record.record_type != item.record_type:
        return {
            "record": [gettext("No %(type)s has the id %(id)s.") % {"type": item.record_type, "id": item.record_id}]
        }
    if record.pk in records_seen:
        return {"record": [gettext("The same record is changed twice in one proposal.")]}
    records_seen.add(record.pk)
    if item.base_revision is None and item.action == ProposalAction.REVERT:
        item.base_revision = record.revision
    if item.base_revision is None:
        return {"base_revision": [gettext("Give the revision your change is based on.")]}
    if not 1 <= item.base_revision <= record.revision:
        return {
            "base_revision": [
                gettext("Record %(id)s has revisions 1 to %(n)s.") % {"id": record.pk, "n": record.revision}
            ]
        }
    withdrawn = record.status == RecordStatus.WITHDRAWN
    if item.action == ProposalAction.UPDATE and withdrawn:
        return {"record": [gettext("This record was withdrawn; propose a revert to restore it.")]}
    if item.action == ProposalAction.WITHDRAW and withdrawn:
        return {"record": [gettext("This record is already withdrawn.")]}
    if item.action == ProposalAction.REVERT:
        if item.revert_to is None or not 1 <= item.revert_to <= record.revision:
            return {"revert_to": [gettext("Give a revision between 1 and %(n)s.") % {"n": record.revision}]}
        item.data = Revision.objects.get(record=record, number=item.revert_to).snapshot
    elif item.action == ProposalAction.UPDATE:
        if not isinstance(item.data, dict):
            return {"data": [gettext("Expected an object with the fields to change.")]}
        base = Revision.objects.get(record=record, number=item.base_revision).snapshot
        item.data = {**base, **item.data}
    else:
        item.data = {}
    return {}


def items_validate(items: list, *, refs: dict[str, str] | None = None, cache: dict | None = None) -> dict[int, dict]:
    """Validate every created or changed state, each knowing the new records of the same proposal.
    Replaces each item's data with its canonical form and returns the validated values by item index.
    Raises ProposalInvalid. (An import validates a long change set a part at a time: `refs` then names
    the new records of all its parts, and `cache` carries what one part looked up to the next.)"""
    if refs is None:
        refs = {item.ref: item.record_type for item in items if item.action == ProposalAction.CREATE}
    validated: dict[int, dict] = {}
    errors: dict[int, Any] = {}
    cache = {} if cache is None else cache
    groups: dict[tuple[str, int | None], list[int]] = {}  # new records of a type are validated together
    for index, item in enumerate(items):
        if item.action != ProposalAction.WITHDRAW:
            groups.setdefault((item.record_type, item.record_id), []).append(index)
    for (record_type, record_id), indexes in groups.items():
        results, problems = states_validate(
            record_type, [items[i].data for i in indexes], refs=refs, record_id=record_id, cache=cache
        )
        errors.update((indexes[position], {"data": found}) for position, found in problems.items())
        for index, (data, values) in zip(indexes, results, strict=False):
            items[index].data, validated[index] = data, values
    if errors:
        raise ProposalInvalid(dict(sorted(errors.items())))
    return validated


def items_check(items: list) -> None:
    """What a submitted proposal must pass: every state valid, and every change based on an old
    revision still applicable (it does not clash with what changed since). Raises ProposalInvalid or Conflict."""
    items_validate(items)
    withdrawals_check(items, proposing=True)
    records = Record.objects.in_bulk([item.record_id for item in items if item.action != ProposalAction.CREATE])
    items_rebase(items, records, gettext_noop("The record has changed since the revision your change is based on."))


def items_rebase(items: list, records: dict[int, Record], message: str) -> list[dict]:
    """Each item's data re-applied on its record's current revision (a new record's as it is).
    Raises Conflict(`message`) naming every item whose record moved on in the fields it changes."""
    rebased: list[dict] = []
    conflicts: dict[int, Any] = {}
    for index, item in enumerate(items):
        data, conflict = (
            (item.data, None) if item.action == ProposalAction.CREATE else _rebase(item, records[item.record_id])
        )
        rebased.append(data)
        if conflict:
            conflicts[index] = conflict
    if conflicts:
        raise Conflict(message, conflicts)
    return rebased


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


def items_write(proposal: Proposal, items: list[ItemInput]) -> None:
    """Store the items as the proposal's changes, in their order (a new record keeps its "$ref")."""
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
