"""Between JSON states and published rows: validate a state, read a record's state, write one.

`state_validate` is the single validation path (proposals, approvals, seed file, forms all call it);
`state_of` gives the canonical snapshot of a published record; `states_write` writes validated states
into records' rows, set-based. Only the approval (records/workflow/approval.py) calls `states_write`,
inside its transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models.fields.related_descriptors import ManyToManyDescriptor
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.settings import api_settings

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
    results, errors = states_validate(record_type, [data], refs=refs, record_id=record_id, cache=cache)
    if errors:
        raise ContentInvalid(errors[0])
    return results[0]


def states_validate(
    record_type: str,
    datas: list[Any],
    *,
    refs: dict[str, str] | None = None,
    record_id: int | None = None,
    cache: dict | None = None,
) -> tuple[list[tuple[dict, dict]], dict[int, Any]]:
    """Validate many states of one type (of new records, or of the record `record_id`) with one schema,
    whose fields are made once. Returns ([(canonical JSON, validated values)], {}) or ([], errors by
    position, as DRF gives them)."""
    spec = registry.get(record_type)
    context: dict[str, Any] = cache if cache is not None else {}
    context.update({"refs": refs or {}, "record_id": record_id})
    schema = spec.schema(context=context)
    results: list[tuple[dict, dict]] = []
    errors: dict[int, Any] = {}
    for position, data in enumerate(datas):
        try:
            validated = schema.run_validation(data)
        except serializers.ValidationError as exc:
            errors[position] = _as_errors(exc.detail)
        else:
            results.append((schema.to_representation(validated), validated))
    return ([], errors) if errors else (results, {})


def _as_errors(detail: Any) -> Any:
    """A schema's errors as `Serializer.errors` gives them (an object, also when the state is missing)."""
    if isinstance(detail, list):
        if len(detail) == 1 and getattr(detail[0], "code", None) == "null":
            detail = [ErrorDetail("No data provided", code="null")]
        return {api_settings.NON_FIELD_ERRORS_KEY: detail}
    return detail


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


def states_write(
    spec: RecordTypeSpec, writes: list[tuple[Record | None, dict, int | None]], *, ids: dict[str, int]
) -> list[Record]:
    """Write validated states into records of one type, set-based whatever their number: each write is
    (an existing, locked record, whose revision the caller has moved on, or None; the validated state; the
    new record's id). New records are inserted a batch per statement and table, existing ones updated a
    batch per statement, and their links replaced with one delete and one insert per kind of link."""
    now = timezone.now()
    state = spec.schema()
    meta = spec.model._meta
    written: list[Record] = []
    created: list[Record] = []
    updated: list[Record] = []
    columns: set[str] = {"updated_at", "revision", "status", "date_lower", "date_upper"}
    relations: dict[str, tuple[serializers.Field, list[tuple[Record, Any]]]] = {}
    for record, validated, new_id in writes:
        if record is None:
            record = spec.model(record_type=spec.name, revision=1, status=RecordStatus.PUBLISHED, created_at=now)
            for parent_pk in {f.attname for f in (meta.pk, *(m._meta.pk for m in meta.get_parent_list()))}:
                setattr(record, parent_pk, new_id)
            created.append(record)
        else:
            updated.append(record)
        written.append(record)
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
                columns.add(model_field.name)
            else:
                relations.setdefault(field.source, (field, []))[1].append((record, value))
        bounds = edtf.parse(record.date) if record.date else edtf.Bounds(None, None)
        record.date_lower, record.date_upper = bounds.lower, bounds.upper
        record.updated_at = now
    _insert(spec.model, created)
    spec.model.objects.bulk_update(updated, sorted(columns), batch_size=BATCH)
    for source, (field, values) in relations.items():
        _links_replace(spec, source, field, values, [r.pk for r in updated], ids)
    return written


BATCH = 500  # rows a statement writes


def _insert(model: type[Record], records: list[Record]) -> None:
    """COPY new records of a type into each table of its inheritance chain (Django's bulk_create does not
    do multi-table inheritance; COPY fires each table's statement triggers once)."""
    if not records:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as wrapper:
        for table_model in [*reversed(model._meta.get_parent_list()), model]:
            fields = table_model._meta.local_concrete_fields
            columns = ", ".join(quote(field.column) for field in fields)
            with wrapper.cursor.copy(f"COPY {quote(table_model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for record in records:
                    copy.write_row(
                        [field.get_db_prep_save(getattr(record, field.attname), connection) for field in fields]
                    )


def _links_replace(spec, source: str, field, values: list[tuple[Record, Any]], existing: list[int], ids) -> None:
    """Replace the rows of one kind of link (a many-to-many field, or link rows the records own)."""
    descriptor = getattr(spec.model, source)
    if isinstance(descriptor, ManyToManyDescriptor):
        through = descriptor.through
        own, other = descriptor.field.m2m_field_name(), descriptor.field.m2m_reverse_field_name()
        if existing:
            through.objects.filter(**{f"{own}__in": existing}).delete()
        rows = [
            through(**{f"{own}_id": record.pk, f"{other}_id": getattr(target, "pk", target)})  # a term, or an id
            for record, value in values
            for target in _resolve(field, value, ids)
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
        return
    link_model = descriptor.rel.related_model
    owner = descriptor.field.name
    if existing:
        link_model.objects.filter(**{f"{owner}__in": existing}).delete()
    link_fields = {child.source: child for child in field.child.fields.values()}
    rows = []
    for record, value in values:
        for position, item in enumerate(value):
            row = {key: _resolve(link_fields.get(key), val, ids) for key, val in item.items()}
            if hasattr(link_model, "date_lower") and row.get("date"):
                b = edtf.parse(row["date"])
                row["date_lower"], row["date_upper"] = b.lower, b.upper
            rows.append(link_model(**{f"{owner}_id": record.pk, "position": position}, **row))
    link_model.objects.bulk_create(rows, batch_size=BATCH)
