"""States shown to people: revision snapshots, proposals' changes and diffs, readably.

Records referred to by id are shown by name (linking to them), vocabulary codes by their label in the
reader's language, EDTF dates with their meaning in words. Every name on a page is looked up in one
query, and each vocabulary the record type uses in one more, however many fields are shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from records.forms.dates import edtf_preview
from records.forms.fields import FIELD_LABELS, FieldSpec, field_specs, specs_by_name
from records.forms.pickers import RecordName, names_by_id
from records.models import Certainty
from records.workflow.history import state_diff


@dataclass
class Shown:
    """One value ready for the template `editing/display/value.html`."""

    kind: str  # empty, text, date, record, ref, list, pairs, rows, link
    text: str = ""
    extra: str = ""
    record: RecordName | None = None
    items: list = field(default_factory=list)


EMPTY = Shown("empty")


@dataclass
class ShownField:
    name: str
    label: Any
    value: Shown


@dataclass
class ShownChange:
    name: str
    label: Any
    old: Shown
    new: Shown


@dataclass
class ShownConflict:
    name: str
    label: Any
    base: Shown
    current: Shown
    proposed: Shown


class Lookups:
    """Names of records and labels of vocabulary terms, loaded in bulk and shared across a page."""

    def __init__(self) -> None:
        self.names: dict[int, RecordName] = {}
        self.terms: dict[Any, dict[str, str]] = {}
        self.refs: dict[str, str] = {}  # "$1" → the name of a record a proposal creates

    def load(self, record_type: str, states: list[dict]) -> None:
        specs = field_specs(record_type)
        ids: set[int] = set()
        for state in states:
            for spec in specs:
                _collect(spec, (state or {}).get(spec.name), ids)
        missing = ids - set(self.names)
        self.names.update(names_by_id(missing))
        for vocabulary in _vocabularies(specs):
            if vocabulary not in self.terms:
                self.terms[vocabulary] = {term.code: term.label for term in vocabulary.objects.all()}


def _collect(spec: FieldSpec, value: Any, ids: set[int]) -> None:
    if value in (None, "", [], {}):
        return
    if spec.kind == "record" and isinstance(value, int):
        ids.add(value)
    elif spec.kind == "records" and isinstance(value, list):
        ids.update(v for v in value if isinstance(v, int))
    elif spec.kind == "rows" and isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                for child in spec.children:
                    _collect(child, item.get(child.name), ids)


def _vocabularies(specs) -> list:
    found = []
    for spec in specs:
        if spec.vocabulary is not None and spec.vocabulary not in found:
            found.append(spec.vocabulary)
        for vocabulary in _vocabularies(spec.children):
            if vocabulary not in found:
                found.append(vocabulary)
    return found


def show(spec: FieldSpec, value: Any, lookups: Lookups) -> Shown:
    """One field's value, readably."""
    if value in (None, "", [], {}):
        return EMPTY
    kind = spec.kind
    if kind == "edtf":
        preview = edtf_preview(str(value))
        return Shown("date", text=str(value), extra=preview["text"])
    if kind == "select":
        if spec.vocabulary is not None:
            return Shown("text", text=lookups.terms.get(spec.vocabulary, {}).get(str(value), str(value)))
        choices = dict(spec.static_choices)
        if spec.is_citation_field:
            fields = specs_by_name_any(value)
            return Shown("text", text=str(fields or value))
        return Shown("text", text=str(choices.get(str(value), value)))
    if kind == "checkboxes":
        terms = lookups.terms.get(spec.vocabulary, {})
        return Shown("list", items=[Shown("text", text=terms.get(str(v), str(v))) for v in value])
    if kind == "checkbox":
        return Shown("text", text=_("yes") if value else _("no"))
    if kind == "labels" and isinstance(value, dict):
        return Shown("pairs", items=[(lang, Shown("text", text=str(text))) for lang, text in value.items()])
    if kind == "identifiers" and isinstance(value, dict):
        return Shown("pairs", items=[(scheme, Shown("text", text=str(ident))) for scheme, ident in value.items()])
    if kind == "lines" and isinstance(value, list):
        return Shown("list", items=[Shown("text", text=str(v)) for v in value])
    if kind == "record":
        return _record(value, lookups)
    if kind == "records" and isinstance(value, list):
        return Shown("list", items=[_record(v, lookups) for v in value])
    if kind == "rows" and isinstance(value, list):
        rows = []
        for item in value:
            if not isinstance(item, dict):
                continue
            rows.append(
                [
                    # What the link points at speaks for itself; its other fields are named.
                    (
                        "" if child.kind == "record" and child.name == "id" else child.label,
                        show(child, item.get(child.name), lookups),
                    )
                    for child in spec.children
                    if item.get(child.name) not in (None, "", [], {})
                    and not (child.name == "certainty" and item.get(child.name) == Certainty.CERTAIN)
                ]
            )
        return Shown("rows", items=rows)
    if kind == "url" and str(value).startswith(("http://", "https://")):
        return Shown("link", text=str(value))
    if isinstance(value, (dict, list)):
        return Shown("text", text=json.dumps(value, ensure_ascii=False))
    return Shown("text", text=str(value))


def specs_by_name_any(name: Any) -> Any:
    """The label of a field named by a citation (any record type has the same core fields)."""
    return FIELD_LABELS.get(str(name))


def _record(value: Any, lookups: Lookups) -> Shown:
    if isinstance(value, str) and value.startswith("$"):
        return Shown("ref", text=lookups.refs.get(value) or value)
    if isinstance(value, int) and value in lookups.names:
        return Shown("record", record=lookups.names[value])
    return Shown("text", text=_("record %(id)s (not published)") % {"id": value})


def state_fields(record_type: str, state: dict, lookups: Lookups, *, skip_empty: bool = True) -> list[ShownField]:
    """A whole state, field by field (a revision's snapshot, a proposed new record)."""
    shown = []
    for spec in field_specs(record_type):
        value = (state or {}).get(spec.name)
        if skip_empty and value in (None, "", [], {}):
            continue
        shown.append(ShownField(spec.name, spec.label, show(spec, value, lookups)))
    return shown


def state_changes(record_type: str, old: dict, new: dict, lookups: Lookups) -> list[ShownChange]:
    """The fields that differ between two states, old and new value side by side."""
    specs = specs_by_name(record_type)
    changes = []
    for change in state_diff(old or {}, new or {}):
        spec = specs.get(change.field)
        if spec is None:
            continue
        changes.append(
            ShownChange(spec.name, spec.label, show(spec, change.old, lookups), show(spec, change.new, lookups))
        )
    order = {spec.name: i for i, spec in enumerate(field_specs(record_type))}
    return sorted(changes, key=lambda c: order.get(c.name, 999))


def state_conflicts(record_type: str, fields: dict, lookups: Lookups) -> list[ShownConflict]:
    """A refused merge's fields: base / now published / proposed."""
    specs = specs_by_name(record_type)
    shown = []
    for name, values in (fields or {}).items():
        spec = specs.get(name)
        if spec is None or not isinstance(values, dict):
            continue
        shown.append(
            ShownConflict(
                name,
                spec.label,
                show(spec, values.get("base"), lookups),
                show(spec, values.get("current"), lookups),
                show(spec, values.get("proposed"), lookups),
            )
        )
    return shown


def conflict_states(fields: dict) -> list[dict]:
    """The three states of a conflict's fields, for `Lookups.load`."""
    return [
        {name: (values or {}).get(which) for name, values in (fields or {}).items()}
        for which in ("base", "current", "proposed")
    ]
