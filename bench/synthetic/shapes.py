"""What the content schemas (records/content/schemas.py) say about a record type's fields, read once
per type: which hold record ids, which name and label fields it has, which defaults it leaves, which
vocabulary a field takes its terms from. The generator writes snapshots in these shapes instead of
retyping them, and the digest reads record ids by them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models
from rest_framework.fields import Field, empty

from records.content.registry import registry
from records.content.schemas import RecordRef, RecordRefList


@dataclass(frozen=True)
class Shape:
    """The fields of one record type's state (its snapshot), as its content schema declares them."""

    record_type: str
    fields: dict[str, Field]
    label: str  # the field holding the record's label: "name" or "title"
    labels: str  # ... and its labels by language: "names" or "titles"
    single: frozenset[str]  # a record id (or None)
    lists: frozenset[str]  # a list of record ids
    nested: dict[str, frozenset[str]]  # a list of links, and the keys of each link that hold record ids

    def snapshot(self, values: dict) -> dict:
        """`values` with every field it leaves out at the schema's default (a field without one is an error)."""
        for name in self.fields.keys() - values.keys():
            field = self.fields[name]
            if field.default is empty:
                raise ValueError(f"A {self.record_type} needs a value for {name!r}.")
            values[name] = field.get_default()
        return values

    def map_refs(self, snapshot: dict, key: Callable[[Any], Any]) -> dict:
        """The snapshot with every record reference replaced by `key(reference)`, in place."""
        for name in self.single:
            snapshot[name] = key(snapshot.get(name))
        for name in self.lists:
            snapshot[name] = [key(value) for value in snapshot.get(name, [])]
        for name, keys in self.nested.items():
            for item in snapshot.get(name, []):
                for k in keys:
                    item[k] = key(item.get(k))
        return snapshot

    def vocabulary(self, path: str) -> type[models.Model]:
        """The vocabulary model of the field at `path`: "kind", "spheres", or a link's "parties.role"."""
        name, _, sub = path.partition(".")
        field = self.fields[name]
        if sub:
            field = field.child.fields[sub]
        return getattr(field, "child_relation", field).vocabulary


@cache
def shape_of(record_type: str) -> Shape:
    fields = dict(registry.get(record_type).schema().fields)
    by_source = {field.source: name for name, field in fields.items()}
    single, lists, nested = set(), set(), {}
    for name, field in fields.items():
        if isinstance(field, RecordRef):
            single.add(name)
        elif isinstance(field, RecordRefList):
            lists.add(name)
        elif hasattr(field, "child") and hasattr(field.child, "fields"):
            keys = frozenset(key for key, sub in field.child.fields.items() if isinstance(sub, RecordRef))
            if keys:
                nested[name] = keys
    return Shape(
        record_type=record_type,
        fields=fields,
        label=by_source["label"],
        labels=by_source["labels"],
        single=frozenset(single),
        lists=frozenset(lists),
        nested=nested,
    )
