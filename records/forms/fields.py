"""What the forms and the readable views know about a record type: its content schema's fields.

`field_specs(record_type)` walks the type's content schema (records/content/schemas/) once and describes
each field as a `FieldSpec` — which widget shows it, its label, whether it is required, its choices,
and, for lists of links, the fields of one row. Forms (records/forms/content_form.py) and readable
snapshots (records/forms/display.py) both read these, so a new record type, or a new field on an
existing one, needs no form code: only a label here if the generic one reads badly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from records.content import schemas
from records.content.registry import registry

# Labels of the fields the record types have today. A field not listed gets its name, humanised.
FIELD_LABELS = {
    "name": _("Name"),
    "names": _("Name in other languages"),
    "title": _("Title"),
    "titles": _("Title in other languages"),
    "kind": _("Kind"),
    "parent": _("Part of"),
    "iso_code": _("ISO 3166 code"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "borders": _("Borders"),
    "predecessors": _("Predecessors"),
    "aliases": _("Spelling variants"),
    "identifiers": _("External identifiers"),
    "notes": _("Notes"),
    "certainty": _("Certainty"),
    "certainty_note": _("Why uncertain"),
    "date": _("Date or period (EDTF)"),
    "date_text": _("Date as the source words it"),
    "citations": _("Citations"),
    "acronym": _("Acronym"),
    "place": _("Place"),
    "country": _("Country"),
    "positions": _("Positions held"),
    "level": _("Level"),
    "agreement_status": _("Status"),
    "place_signed": _("Place signed"),
    "parties": _("Parties"),
    "spheres": _("Spheres"),
    "value_amount": _("Monetary value"),
    "value_currency": _("Currency of the value"),
    "part_of": _("Part of the event"),
    "participants": _("Participants"),
    "agreements": _("Agreements signed at the event"),
    "indicator": _("Indicator"),
    "value": _("Value"),
    "value_qualifier": _("Qualifier"),
    "unit": _("Unit"),
    "currency": _("Currency (ISO 4217)"),
    "reliability_note": _("Reliability of the figure"),
    "subjects": _("What the figure is about"),
    "archive": _("Archive"),
    "fund": _("Fund"),
    "series": _("Series / inventory"),
    "file": _("File"),
    "pages": _("Pages"),
    "authors": _("Authors"),
    "editors": _("Editors"),
    "container_title": _("Journal, book or website"),
    "publisher": _("Publisher"),
    "publisher_place": _("Place of publication"),
    "volume": _("Volume"),
    "issue": _("Issue"),
    "edition": _("Edition"),
    "doi": _("DOI"),
    "url": _("Web address (URL)"),
    "accessed": _("Accessed on"),
    "language": _("Language"),
    # fields of link rows
    "id": _("Record"),
    "role": _("Role"),
    "note": _("Note"),
    "source": _("Source"),
    "field": _("Supports the field"),
    "locator": _("Pages or locator"),
    "quote": _("Quote"),
    "organization": _("Organization"),
    "family": _("Family name"),
    "given": _("Given names"),
    "literal": _("Or a name as written (an institution)"),
}
FIELD_HELP = {
    "aliases": _("One per line: transliterations, older names, the source's spellings."),
    "identifiers": _("e.g. wikidata Q232, geonames 1537162."),
    "iso_code": _("e.g. KZ or KZ-VOS."),
    "latitude": _("Decimal degrees, e.g. 49.948."),
    "longitude": _("Decimal degrees, e.g. 82.628."),
    "value_currency": _("ISO 4217, e.g. USD, KZT, RUB."),
    "doi": _("e.g. 10.1234/abc."),
    "language": _("e.g. en, ru, kk."),
    "date_text": _("As written in the source, e.g. “early December 1999”."),
}
EDTF_HELP = _("e.g. 2001-09-03, 1999-12, 2001-01/2001-03 (a period), 1996? (uncertain), 199X (the 1990s).")
RECORD_HELP = _("The record's number (it is in the address of its page), or type a name to search.")
FIELD_HELP["agreements"] = RECORD_HELP  # the serializer's own help text repeats the label
LANGUAGES = ("en", "ru", "kk")
LEAD_FIELDS = ("name", "title", "names", "titles")
TRAILING_ROW_FIELDS = ("certainty", "note")


@dataclass
class FieldSpec:
    """One field of a state as the forms show it."""

    name: str
    kind: str  # the widget: text, textarea, edtf, labels, lines, identifiers, select, checkboxes,
    # decimal, number, date, url, checkbox, record, records, rows, json
    label: Any
    help_text: Any
    required: bool
    field: serializers.Field
    types: tuple[str, ...] = ()  # record types a record picker accepts
    vocabulary: Any = None  # the vocabulary model of a select or checkboxes
    static_choices: tuple[tuple[str, Any], ...] = ()
    children: list[FieldSpec] = field(default_factory=list)  # fields of one row of a list
    blank_choice: bool = False
    max_length: int | None = None
    is_citation_field: bool = False  # a citation's "field": chosen among the record's own fields

    @property
    def template(self) -> str:
        return f"editing/widgets/{self.kind}.html"


def _label(name: str, field: serializers.Field) -> Any:
    return FIELD_LABELS.get(name) or field.label or name.replace("_", " ").capitalize()


def describe(name: str, field: serializers.Field, *, parent: serializers.Field | None = None) -> FieldSpec:
    """The FieldSpec of one serializer field (recursing into the rows of a list of links)."""
    allows_null = getattr(field, "allow_null", False)
    spec = FieldSpec(
        name=name,
        kind="text",
        label=_label(name, field),
        help_text=FIELD_HELP.get(name) or field.help_text or "",
        required=field.required and not allows_null,
        field=field,
        max_length=getattr(field, "max_length", None),
    )
    if isinstance(field, serializers.ListSerializer):
        spec.kind = "rows"
        child = field.child
        children = [describe(n, f, parent=child) for n, f in child.fields.items() if not f.read_only]
        # What a link points at leads; how sure it is and a note on it come last.
        spec.children = sorted(children, key=lambda c: c.name in TRAILING_ROW_FIELDS)
    elif isinstance(field, schemas.RecordRefList):
        spec.kind, spec.types = "records", field.child.types
        spec.help_text = spec.help_text or RECORD_HELP
    elif isinstance(field, serializers.ManyRelatedField) and isinstance(field.child_relation, schemas.VocabularyField):
        spec.kind, spec.vocabulary = "checkboxes", field.child_relation.vocabulary
    elif isinstance(field, schemas.LabelsField):
        spec.kind = "labels"
    elif isinstance(field, schemas.IdentifiersField):
        spec.kind = "identifiers"
    elif isinstance(field, serializers.ListField) and isinstance(field.child, serializers.CharField):
        spec.kind = "lines"
    elif isinstance(field, schemas.VocabularyField):
        spec.kind, spec.vocabulary = "select", field.vocabulary
        spec.blank_choice = True
    elif isinstance(field, schemas.RecordRef):
        spec.kind, spec.types = "record", field.types
    elif isinstance(field, schemas.EDTFField):
        spec.kind = "edtf"
        spec.help_text = spec.help_text or EDTF_HELP
    elif isinstance(field, serializers.ChoiceField):
        spec.kind = "select"
        spec.static_choices = tuple((str(k), v) for k, v in field.choices.items())
        spec.blank_choice = field.allow_blank or allows_null or (not field.required and field.default is None)
    elif isinstance(field, serializers.DecimalField):
        spec.kind = "decimal"
    elif isinstance(field, serializers.IntegerField):
        spec.kind = "number"
    elif isinstance(field, serializers.DateField):
        spec.kind = "date"
    elif isinstance(field, serializers.URLField):
        spec.kind = "url"
    elif isinstance(field, serializers.BooleanField):
        spec.kind = "checkbox"
    elif isinstance(field, serializers.CharField):
        long_text = spec.max_length is None or spec.max_length > 1000
        spec.kind = "textarea" if long_text else "text"
        if isinstance(parent, schemas.CitationSchema) and name == "field":
            spec.kind, spec.is_citation_field, spec.blank_choice = "select", True, True
    else:
        spec.kind = "json"  # anything else is edited as JSON, so that no field is ever out of reach
    return spec


@cache
def field_specs(record_type: str) -> tuple[FieldSpec, ...]:
    """The fields of a record type's state, name or title first, in the serializer's order."""
    state = registry.get(record_type).schema()
    specs = [describe(name, f) for name, f in state.fields.items() if not f.read_only]
    lead = [s for name in LEAD_FIELDS for s in specs if s.name == name]
    return tuple(lead + [s for s in specs if s not in lead])


def specs_by_name(record_type: str) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in field_specs(record_type)}
