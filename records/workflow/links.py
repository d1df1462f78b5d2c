"""Links between records: which existing records a proposed state refers to, and which published records
still refer to a record, so that it is not withdrawn from under them.

Both are read from the structure, never listed per type: outbound links from the content schema's
record references (`RecordRef`, `RecordRefList`, nested link schemas), inbound links from the models'
foreign keys to `Record` (a record type's own fields, and the links and citations a record owns).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext, gettext_noop

from records.content.registry import registry
from records.content.schemas import reference_values
from records.models import ProposalAction, Record, RecordStatus
from records.models.base import MAX_ID
from records.workflow.errors import Conflict, ProposalInvalid

SHOWN = 5  # referring records named in a refusal; one more is fetched to know there are more


def references(record_type: str, data: Any) -> set[int]:
    """Ids of the existing records a state (canonical JSON) refers to; a new record's "$ref" is no id."""
    fields = _schema_fields(record_type)
    return _ids(value for _, value in reference_values(fields, data)) if fields is not None else set()


@functools.cache
def _schema_fields(record_type: str) -> dict | None:
    """A type's content schema fields, made once (making them copies every field: an approval asks for
    the references of each of its changes)."""
    spec = registry.find(record_type)
    return spec.schema().fields if spec is not None else None


def _ids(values: Iterable[Any]) -> set[int]:
    ids = set()
    for value in values:
        if isinstance(value, str) and value.isdigit() and len(value) < 20:
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
            ids.add(value)
    return ids


@dataclass(frozen=True)
class Inbound:
    """One kind of link to a record: rows of `model` whose `field` names it, owned by the record at `owner`."""

    model: type[models.Model]
    field: str
    owner: str  # the owning record's id, as a values_list path ("pk" when the row is the record itself)
    status: str  # the path to the owning record's status


def _is_record(model: Any) -> bool:
    return isinstance(model, type) and issubclass(model, Record)


@functools.cache
def inbound_links() -> tuple[Inbound, ...]:
    """Every foreign key from published content to a record, read from the models: a record type's own
    fields (a place's parent, an agreement's place) and its many-to-many fields, and the links and
    citations a record owns (the foreign key that cascades with its owner) naming another record.
    Revisions and proposals refer to records too, but they are history and work, not content."""
    found = []
    for model in apps.get_app_config("records").get_models():
        fields = [f for f in model._meta.local_fields if f.many_to_one and _is_record(f.related_model)]
        if _is_record(model):
            for field in fields:
                if not field.remote_field.parent_link:
                    found.append(Inbound(model, field.name, "pk", "status"))
            for field in model._meta.local_many_to_many:
                if _is_record(field.related_model):
                    found.append(Inbound(model, field.name, "pk", "status"))
            continue
        owners = [f for f in fields if f.remote_field.on_delete is models.CASCADE]
        if len(owners) != 1:
            continue
        owner = owners[0]
        for field in fields:
            if field is not owner:
                found.append(Inbound(model, field.name, f"{owner.name}_id", f"{owner.name}__status"))
    return tuple(found)


def referring(record_id: int, exclude: Iterable[int] = ()) -> list[int]:
    """Up to SHOWN + 1 published records (other than `exclude`) that still refer to the record."""
    found: dict[int, None] = {}
    exclude = set(exclude) | {record_id}
    for link in inbound_links():
        wanted = SHOWN + 1 - len(found)
        if wanted <= 0:
            break
        rows = (
            link.model.objects.filter(**{link.field: record_id, link.status: RecordStatus.PUBLISHED})
            .exclude(**{f"{link.owner}__in": exclude})
            .exclude(**{f"{link.owner}__in": list(found)})
            .order_by()
            .values_list(link.owner, flat=True)
            .distinct()[:wanted]
        )
        found.update(dict.fromkeys(rows))
    return list(found)


def referring_refusal(record_id: int, exclude: Iterable[int] = ()) -> str | None:
    """Why the record cannot be withdrawn (naming a few of the published records that refer to it and how
    many there are), or None when nothing published refers to it."""
    ids = referring(record_id, exclude)
    if not ids:
        return None
    labels = dict(Record.objects.filter(pk__in=ids[:SHOWN]).values_list("pk", "label"))
    names = ", ".join(f"{labels.get(pk, '')} (#{pk})" for pk in ids[:SHOWN])
    if len(ids) > SHOWN:
        return gettext(
            "More than %(count)s published records still refer to this record, among them %(names)s; "
            "change or withdraw those first."
        ) % {"count": SHOWN, "names": names}
    return gettext(
        "%(count)s published record(s) still refer to this record: %(names)s; change or withdraw those first."
    ) % {"count": len(ids), "names": names}


def withdrawals_check(items: list, *, proposing: bool) -> None:
    """Refuse to withdraw a record that published records still refer to. When `proposing`, records the
    same proposal changes do not count (the approval checks again, once they are written); at approval
    the check runs after every change is written, so it sees the proposal's outcome. Raises
    ProposalInvalid (proposing) or Conflict (approving), naming a few of the referring records."""
    changed = {item.record_id for item in items if item.record_id} if proposing else set()
    problems: dict[int, Any] = {}
    for index, item in enumerate(items):
        if item.action != ProposalAction.WITHDRAW or not item.record_id:
            continue
        refusal = referring_refusal(item.record_id, changed)
        if refusal is not None:
            problems[index] = {"record": [refusal]}
    if not problems:
        return
    if proposing:
        raise ProposalInvalid(problems)
    raise Conflict(
        gettext_noop("A record this proposal withdraws is still referred to by published records."),
        {index: {"record": items[index].record_id, "fields": {}, "data": data} for index, data in problems.items()},
    )
