"""Between JSON states and published rows: validate a state, read a record's state, write one.

`state_validate` is the single validation path (proposals, approvals, seed file, forms all call it);
`state_of` gives the canonical snapshot of a published record; `state_write` writes a validated state
into a record's rows. Only `records.workflow.review` calls `state_write`, inside the approval transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from rest_framework import serializers

from records.content.registry import RecordTypeSpec, registry
from records.content.schemas import RecordRef, RecordRefList, is_new_ref
from records.dates import edtf
from records.models import Record, RecordStatus


class ContentInvalid(Exception):
    """A state failed validation; `errors` maps field names to messages, as DRF gives them."""

    def __init__(self, errors: Any) -> None:
        super().__init__("invalid state")
        self.errors = errors


def state_validate(
    record_type: str,
    data: Any,
    *,
    refs: dict[str, str] | None = None,
    record_id: int | None = None,
    cache: dict | None = None,
) -> tuple[dict, dict]:
    """Validate `data` as a `record_type` state. Returns (canonical JSON, validated values) or raises
    ContentInvalid. `refs` names the new records of the same proposal ("$org1" → "organization")."""
    spec = registry.get(record_type)
    context: dict[str, Any] = cache if cache is not None else {}
    context.update({"refs": refs or {}, "record_id": record_id})
    serializer = spec.schema(data=data, context=context)
    if not serializer.is_valid():
        raise ContentInvalid(serializer.errors)
    return serializer.data, serializer.validated_data


def state_of(record: Record) -> dict:
    """The canonical state of a record as stored (load it through `spec.with_state` to avoid N+1)."""
    return dict(registry.get(record.record_type).schema(record).data)


def load_record(pk: int, record_type: str | None = None) -> Record | None:
    """A record as its concrete type, with everything its state needs; any status."""
    if record_type is None:
        record_type = Record.objects.filter(pk=pk).values_list("record_type", flat=True).first()
        if record_type is None:
            return None
    spec = registry.get(record_type)
    return spec.with_state(spec.model.objects.filter(pk=pk)).first()


def allocate_ids(count: int) -> list[int]:
    """Permanent ids for new records, taken from the records' sequence (never reused)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('records_record', 'id')) FROM generate_series(1, %s)", [count]
        )
        return [row[0] for row in cursor.fetchall()]


def _resolve(field: serializers.Field, value: Any, ids: dict[str, int]) -> Any:
    """A reference field's value with a new record's "$ref" replaced by its id. Only reference fields
    are resolved: a text that starts with "$" ("$2 billion memorandum") stays text."""
    if isinstance(field, RecordRef) and is_new_ref(value):
        return ids[value]
    if isinstance(field, RecordRefList):
        return [ids[v] if is_new_ref(v) else v for v in value]
    return value


def state_write(
    spec: RecordTypeSpec, record: Record | None, validated: dict, *, new_id: int | None, ids: dict[str, int]
) -> Record:
    """Write a validated state into a new record (`new_id`) or an existing, locked one; replace its links."""
    if record is None:
        record = spec.model(pk=new_id, record_type=spec.name, revision=1, status=RecordStatus.PUBLISHED)
        creating = True
    else:
        creating = False
    state = spec.schema()
    meta = spec.model._meta
    relations: list[tuple[str, serializers.Field, Any]] = []
    for field in state.fields.values():
        if field.read_only:
            continue
        value = validated.get(field.source)
        try:
            model_field = meta.get_field(field.source)
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and model_field.concrete and not model_field.many_to_many:
            if isinstance(field, serializers.ListSerializer):  # JSON lists such as a source's authors
                value = [dict(item) for item in value]
            setattr(record, field.source, _resolve(field, value, ids))
        else:
            relations.append((field.source, field, value))
    bounds = edtf.parse(record.date) if record.date else edtf.Bounds(None, None)
    record.date_lower, record.date_upper = bounds.lower, bounds.upper
    record.save(force_insert=creating)

    for source, field, value in relations:
        manager = getattr(record, source)
        if getattr(manager, "through", None) is not None:  # many-to-many
            manager.set(_resolve(field, value, ids))
            continue
        link_model = manager.model
        owner = manager.field.name
        manager.all().delete()
        link_fields = {child.source: child for child in field.child.fields.values()}
        rows = []
        for position, item in enumerate(value):
            row = {key: _resolve(link_fields.get(key), val, ids) for key, val in item.items()}
            if hasattr(link_model, "date_lower") and row.get("date"):
                b = edtf.parse(row["date"])
                row["date_lower"], row["date_upper"] = b.lower, b.upper
            rows.append(link_model(**{owner: record, "position": position}, **row))
        link_model.objects.bulk_create(rows)
    return record
