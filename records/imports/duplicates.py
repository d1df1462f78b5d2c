"""Possible duplicates of an import's new records among the published ones, and authority ids looked up.

A new record may already be published: one with the same authority id (wikidata:Q232), or a similar
name (trigram similarity, pg_trgm, on an index of the names) in the same country (the places the row
refers to, with their ancestors). Each is found for the whole file in one query.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.db.models.fields.json import KT

from records.content.schemas import IDENTIFIER_KEY_RE, reference_values
from records.models import Place, ProposalAction, Record
from records.workflow.indexing import ancestors_and_self

NAME_SIMILARITY = 0.5  # trigram similarity from which a new record's name is a possible duplicate
PLACE_TYPES = ("place",)


def record_name(data: dict) -> str:
    names = data.get("names") or data.get("titles") or {}
    return data.get("name") or data.get("title") or names.get("en") or next(iter(names.values()), "")


def authority_lookup(wanted: dict[str, set[str]]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    published = Record.objects.published().order_by("-pk")  # the oldest record wins
    for scheme, values in wanted.items():
        if scheme == "iso":
            rows = Place.objects.filter(status="published", iso_code__in=[v.upper() for v in values])
            pairs = rows.order_by("-pk").values_list("iso_code", "pk")
        elif IDENTIFIER_KEY_RE.match(scheme):
            pairs = (
                published.annotate(ident=KT(f"identifiers__{scheme}"))
                .filter(ident__in=list(values))
                .values_list("ident", "pk")
            )
        else:
            continue
        for ident, pk in pairs:
            found[(scheme, ident)] = pk
    return found


def duplicates_find(spec, checked) -> list[dict]:
    """New records that may already be published: the same authority id, or a similar name in the same
    country (the places the row refers to, with their ancestors)."""
    creates = [
        (row, item)
        for row, item in zip(checked.rows, checked.items, strict=True)
        if item.action == ProposalAction.CREATE
    ]
    if not creates:
        return []
    found: dict[tuple[int, int], dict] = {}
    wanted: dict[str, set[str]] = defaultdict(set)
    for _, item in creates:
        for scheme, ident in (item.data.get("identifiers") or {}).items():
            wanted[scheme].add(ident)
    authority = authority_lookup(wanted)
    for row, item in creates:
        for scheme, ident in (item.data.get("identifiers") or {}).items():
            if (scheme, ident) in authority:
                pk = authority[(scheme, ident)]
                found[(row, pk)] = {"row": row, "record": pk, "reason": f"{scheme}:{ident}"}
    schema_fields = spec.schema().fields
    place_refs = {
        row: [
            value
            for path, value in reference_values(schema_fields, item.data)
            if isinstance(value, int) and _is_place_field(schema_fields, path)
        ]
        for row, item in creates
    }
    areas = {row: ancestors_and_self(places) if places else [] for row, places in place_refs.items()}
    names = [(row, record_name(item.data)) for row, item in creates if record_name(item.data)]
    if names:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL pg_trgm.similarity_threshold = {NAME_SIMILARITY}")
            cursor.execute(
                "SELECT q.row, r.id FROM unnest(%s::int[], %s::text[], %s::text[]) AS q(row, name, area)"
                " JOIN records_record r ON r.record_type = %s AND r.status = 'published' AND r.label %% q.name"
                " WHERE q.area = '{}' OR r.place_ids && q.area::bigint[] OR r.id = ANY(q.area::bigint[])",
                [
                    [row for row, _ in names],
                    [name for _, name in names],
                    ["{" + ",".join(map(str, areas[row])) + "}" for row, _ in names],
                    spec.name,
                ],
            )
            for row, pk in cursor.fetchall():
                found.setdefault((row, pk), {"row": row, "record": pk, "reason": "name"})
    labels = dict(Record.objects.filter(pk__in={pk for _, pk in found}).values_list("pk", "label"))
    row_names = dict(names)
    return [
        {**entry, "name": row_names.get(entry["row"], ""), "existing_name": labels.get(entry["record"], "")}
        for _, entry in sorted(found.items())
    ]


def _is_place_field(fields: dict, path: tuple) -> bool:
    field_obj = fields.get(path[0])
    if field_obj is None:
        return False
    child = getattr(field_obj, "child", None)
    if child is not None and hasattr(child, "fields") and len(path) > 2:
        field_obj = child.fields.get(path[2])
    elif child is not None:
        field_obj = child
    return tuple(getattr(field_obj, "types", ())) == PLACE_TYPES
