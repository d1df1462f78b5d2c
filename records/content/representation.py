"""What readers get for a record: its content plus identity fields and the names of linked records.

`read_serializer(spec)` is the API's representation of a published record (the GET body, which can be
sent back as a proposal's `data`). `represent` builds the same representation from a revision's
snapshot without loading models: it is what the read model stores at publication
(records/workflow/readings.py). Both are built from the same serializer fields, and a test holds them
equal for every record of the article in every language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from records.content import schemas
from records.content.registry import RecordTypeSpec, registry
from records.models import Record, Revision
from records.models.base import pick_label
from records.models.readings import READING_LANGUAGES


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class RecordIdentity(serializers.Serializer):
    """id, url (API), web_url (page), type, revision — the same for every record type."""

    id = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    type = serializers.CharField(source="record_type", read_only=True)
    revision = serializers.IntegerField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_url(self, obj) -> str:
        spec = registry.get(obj.record_type)
        return absolute(self.context.get("request"), reverse(f"api:{spec.name}-detail", args=[obj.pk]))

    def get_web_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())


class LinkedRecordNames(serializers.Serializer):
    """Adds the linked record's type and name to a link (party, participant, subject, border...)."""

    linked_attr = ""
    type = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    def _linked(self, obj):
        return getattr(obj, self.linked_attr, None)

    def get_type(self, obj) -> str | None:
        linked = self._linked(obj)
        return linked.record_type if linked is not None else None

    def get_name(self, obj) -> str | None:
        linked = self._linked(obj)
        return linked.display_label if linked is not None else None


def link_read(state_cls: type[serializers.Serializer], attr: str) -> type[serializers.Serializer]:
    return type(f"{state_cls.__name__}Read", (LinkedRecordNames, state_cls), {"linked_attr": attr})


class CitationRead(schemas.CitationSchema):
    label = serializers.SerializerMethodField(help_text="Title of the cited source")

    def get_label(self, obj) -> str:
        return obj.source.label


PartyRead = link_read(schemas.PartySchema, "party")
ParticipantRead = link_read(schemas.ParticipantSchema, "participant")
SubjectRead = link_read(schemas.SubjectSchema, "subject")
BorderRead = link_read(schemas.BorderSchema, "neighbour")
SuccessionRead = link_read(schemas.SuccessionSchema, "predecessor")

# Nested read shapes by (state field name): everything else is read exactly as the state shows it.
NESTED_READ = {
    "parties": (PartyRead, "party_links"),
    "participants": (ParticipantRead, "participant_links"),
    "subjects": (SubjectRead, "subject_links"),
    "borders": (BorderRead, "border_links"),
    "predecessors": (SuccessionRead, "predecessor_links"),
    "citations": (CitationRead, "citations"),
}


def read_serializer(spec: RecordTypeSpec) -> type[serializers.Serializer]:
    """The API's serializer for one record type: identity + state + names of linked records."""
    cached = spec.extras.get("read_serializer")
    if cached is not None:
        return cached
    attrs: dict = {"__module__": __name__}
    for name, (cls, source) in NESTED_READ.items():
        if name in spec.schema._declared_fields:
            attrs[name] = cls(many=True, read_only=True, **({"source": source} if source != name else {}))
    cls = type(f"{spec.schema.__name__.replace('State', '')}Read", (RecordIdentity, spec.schema), attrs)
    spec.extras["read_serializer"] = cls
    return cls


# ------------------------------------------------------------------ the same representation from a snapshot

IDENTITY = tuple(RecordIdentity._declared_fields)
_DATETIME = serializers.DateTimeField()


@dataclass(frozen=True)
class Identity:
    """What a record's representation shows beyond its snapshot."""

    id: int
    record_type: str
    revision: int
    updated_at: dt.datetime


@dataclass(frozen=True)
class Linked:
    """A linked record as representations name it."""

    record_type: str
    label: str
    labels: dict


@dataclass(frozen=True)
class _Nested:
    key: str  # the field holding the links in the representation
    fields: tuple[str, ...]  # the keys of one link, in order
    linked_key: str  # the key of a link that holds the linked record's id


Shape = tuple[str, Any] | None  # ("list", item shape), ("object", {key: shape}), ("ids", None); None: as is


def _shape(field: serializers.Field) -> Shape:
    """How a value of this field is laid out: snapshots are JSONB, which keeps no key order, so objects
    are put back in the order of their serializer's fields."""
    if isinstance(field, schemas.RecordRefList):
        return ("ids", None)
    if isinstance(field, serializers.ListSerializer):
        inner = _shape(field.child)
        return ("list", inner) if inner else None
    if isinstance(field, serializers.Serializer):
        return ("object", {name: _shape(child) for name, child in field.fields.items()})
    return None


def _reshape(shape: Shape, value: Any) -> Any:
    if shape is None or value is None:
        return value
    kind, inner = shape
    if kind == "ids":
        return sorted(value)
    if kind == "list":
        return [_reshape(inner, item) for item in value]
    return {name: _reshape(sub, value[name]) for name, sub in inner.items() if name in value}


def _layout(spec: RecordTypeSpec) -> tuple[dict[str, Shape], dict[str, _Nested]]:
    """The representation's keys in order with the shape of their values, and how each list of links
    is shown."""
    cached = spec.extras.get("representation_layout")
    if cached is None:
        fields = read_serializer(spec)().fields
        nested = {}
        for key, (cls, _source) in NESTED_READ.items():
            if key in fields:
                child = fields[key].child
                attr = getattr(cls, "linked_attr", "") or "source"
                linked_key = next(name for name, field in child.fields.items() if field.source == f"{attr}_id")
                nested[key] = _Nested(key, tuple(child.fields), linked_key)
        cached = spec.extras["representation_layout"] = ({k: _shape(f) for k, f in fields.items()}, nested)
    return cached


def _urls(spec: RecordTypeSpec) -> tuple[str, str]:
    """The record's API and page URLs as templates for its id (`reverse` per record is slow in bulk)."""
    cached = spec.extras.get("representation_urls")
    if cached is None:
        marker = 987654321
        api, page = (
            reverse(f"api:{spec.name}-detail", args=[marker]),
            reverse("record-detail", kwargs={"spec": spec.name, "pk": marker}),
        )
        cached = spec.extras["representation_urls"] = tuple(
            url.replace("{", "{{").replace("}", "}}").replace(str(marker), "{}") for url in (api, page)
        )
    return cached


def linked_ids(spec: RecordTypeSpec, snapshot: dict) -> set[int]:
    """The records whose names the representation of this snapshot shows."""
    _, nested = _layout(spec)
    return {
        item[layout.linked_key]
        for key, layout in nested.items()
        for item in snapshot.get(key) or ()
        if item.get(layout.linked_key) is not None
    }


def represent(
    spec: RecordTypeSpec, identity: Identity, snapshot: dict, linked: dict[int, Linked], language: str
) -> dict[str, Any]:
    """The representation `read_serializer` gives of the record at this snapshot, URLs relative to the
    site, linked names in `language`; `linked` has every record of `linked_ids`."""
    keys, nested = _layout(spec)
    out: dict[str, Any] = {}
    for key, shape in keys.items():
        if key == "id":
            out[key] = identity.id
        elif key == "url":
            out[key] = _urls(spec)[0].format(identity.id)
        elif key == "web_url":
            out[key] = _urls(spec)[1].format(identity.id)
        elif key == "type":
            out[key] = identity.record_type
        elif key == "revision":
            out[key] = identity.revision
        elif key == "updated_at":
            out[key] = _DATETIME.to_representation(identity.updated_at)
        elif key in nested:
            out[key] = [_link(nested[key], item, linked, language) for item in snapshot.get(key) or ()]
        else:
            out[key] = _reshape(shape, snapshot[key])
    return out


def _link(layout: _Nested, item: dict, linked: dict[int, Linked], language: str) -> dict[str, Any]:
    other = linked.get(item.get(layout.linked_key))
    shown: dict[str, Any] = {}
    for key in layout.fields:
        if key == "type":
            shown[key] = other.record_type if other else None
        elif key == "name":
            shown[key] = pick_label(other.labels, other.label, language) if other else None
        elif key == "label":  # a citation: the source's title as stored
            shown[key] = other.label if other else ""
        else:
            shown[key] = item[key]
    return shown


# ------------------------------------------------------------------ bodies, from the tables

DEFAULT = ""  # the language of the default body: linked names in English (or the record's main name)


def render(data: dict[str, Any]) -> str:
    """JSON text exactly as the API's JSON renderer writes it."""
    return JSONRenderer().render(data).decode()


@dataclass
class Bodies:
    """A published record's representation: the default body, and bodies by language where they differ."""

    revision: int
    links: list[int]
    by_language: dict[str, str]


def bodies_render(ids: list[int]) -> dict[int, Bodies]:
    """The bodies of these records at their current revisions, in three queries whatever their number.
    Records not published (or not there) are left out."""
    rows = list(
        Record.objects.filter(pk__in=ids, status="published").values_list("id", "record_type", "revision", "updated_at")
    )
    if not rows:
        return {}
    snapshots = dict(
        Revision.objects.filter(record_id__in=[row[0] for row in rows])
        .filter(number=models.F("record__revision"))
        .values_list("record_id", "snapshot")
    )
    wanted: set[int] = set()
    for pk, record_type, _revision, _updated in rows:
        wanted |= linked_ids(registry.get(record_type), snapshots[pk])
    linked = {
        pk: Linked(record_type, label, labels or {})
        for pk, record_type, label, labels in Record.objects.filter(pk__in=wanted).values_list(
            "id", "record_type", "label", "labels"
        )
    }
    found: dict[int, Bodies] = {}
    for pk, record_type, revision, updated_at in rows:
        spec, snapshot = registry.get(record_type), snapshots[pk]
        identity = Identity(pk, record_type, revision, updated_at)
        links = sorted(linked_ids(spec, snapshot))
        by_language = {DEFAULT: render(represent(spec, identity, snapshot, linked, "en"))}
        for language in READING_LANGUAGES:
            if any(_named(linked.get(other), language) != _named(linked.get(other), "en") for other in links):
                body = render(represent(spec, identity, snapshot, linked, language))
                if body != by_language[DEFAULT]:
                    by_language[language] = body
        found[pk] = Bodies(revision, links, by_language)
    return found


def _named(other: Linked | None, language: str) -> str | None:
    return pick_label(other.labels, other.label, language) if other else None


def body_for(bodies: Bodies, language: str) -> str:
    """The body in `language` (an interface language code), or the default one."""
    return bodies.by_language.get(language) or bodies.by_language[DEFAULT]
