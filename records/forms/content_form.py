"""One form for every record type, generated from its content schema.

A `ContentForm` holds what the person typed (the *raw* values, exactly as typed), turns it into a
state's JSON `data` for the workflow, and puts the validation errors that come back (DRF error dicts,
nested by list index) next to the fields they belong to. Because the form is always shown again from
the raw values, nothing typed is lost on an error. How each kind of field does its part is in kinds.py.

HTML names: `d-<field>` for a field, `d-<list>-<row>-<field>` inside a list of links, `d-<list>-rows`
for the number of rows shown, `d-names-en` for one language of a name. A submit button named
`add_rows` with a list's name shows more empty rows without submitting anything (no JavaScript needed).
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy

from records.forms.bound import Bound, BoundRow
from records.forms.errors import messages_of
from records.forms.field_kind import MISSING
from records.forms.fields import FieldSpec, field_specs
from records.forms.kinds import bind, kind_of
from records.forms.pickers import PickerReader, names_by_id

PREFIX = "d"


class ContentForm:
    """The form of one record's state, its content (see the module docstring)."""

    def __init__(self, record_type: str, raws: dict[str, Any], *, extra_rows: dict[str, int] | None = None):
        self.record_type = record_type
        self.specs = field_specs(record_type)
        extra_rows = extra_rows or {}
        self.fields = [
            bind(spec, f"{PREFIX}-{spec.name}", raws.get(spec.name, kind_of(spec).empty_raw(spec)), extra_rows)
            for spec in self.specs
        ]
        self.by_name = {bound.spec.name: bound for bound in self.fields}
        self.errors: list[str] = []  # problems not tied to one field

    @classmethod
    def from_state(cls, record_type: str, state: dict | None) -> ContentForm:
        state = state or {}
        specs = field_specs(record_type)
        return cls(record_type, {s.name: kind_of(s).raw_from_value(s, state[s.name]) for s in specs if s.name in state})

    @classmethod
    def from_post(cls, record_type: str, post: QueryDict) -> ContentForm:
        specs = field_specs(record_type)
        raws = {s.name: kind_of(s).raw_from_post(s, post, f"{PREFIX}-{s.name}") for s in specs}
        add = post.get("add_rows", "")
        return cls(record_type, raws, extra_rows={add: 3} if add else None)

    # -------------------------------------------------------------- raw → data

    def data(self) -> dict:
        """The state's JSON built from what was typed; problems found on the way are in the bounds."""
        reader = PickerReader()
        data = {}
        for bound in self.fields:
            value = bound.field_kind.value(bound, reader)
            if value is not MISSING:
                data[bound.spec.name] = value
        return data

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(bound.has_errors for bound in self.fields)

    # -------------------------------------------------------------- errors → fields

    def add_errors(self, errors: Any) -> None:
        """Attach a state's validation errors (DRF's shape) to the fields they belong to."""
        if not isinstance(errors, dict):
            self.errors += messages_of(errors)
            return
        for key, value in errors.items():
            bound = self.by_name.get(key)
            if bound is None:
                label = "" if key in ("non_field_errors", "data") else f"{key}: "
                self.errors += [label + message for message in messages_of(value)]
            else:
                bound.field_kind.attach(bound, value)

    def summary(self) -> list[dict]:
        """Every problem, for the list at the top of the form (each links to its field)."""
        items = [{"label": "", "message": message, "anchor": ""} for message in self.errors]
        for bound in self.fields:
            items += _summary_of(bound, str(bound.label))
        return items

    # -------------------------------------------------------------- display

    def prepare_display(self) -> None:
        """Choices of the selects and names of the records the pickers hold, each looked up once."""
        vocabularies: dict[Any, list] = {}
        pickers = []
        for bound in self._walk():
            if bound.field_kind.has_choices:
                bound.choices = self._choices(bound.spec, vocabularies)
            pickers += bound.field_kind.pickers(bound)
        ids = {
            int(text)
            for text in (str(p.raw).strip() for p in pickers)
            if text.isascii() and text.isdigit() and len(text) < 19
        }
        names = names_by_id(ids)
        for picker in pickers:
            text = str(picker.raw).strip()
            picker.ref_name = names.get(int(text)) if text.isascii() and text.isdigit() and len(text) < 19 else None

    def _walk(self):
        for bound in self.fields:
            yield from bound.walk()

    def _choices(self, spec: FieldSpec, cache: dict) -> list[tuple[str, Any]]:
        if spec.is_citation_field:
            return [("", gettext_lazy("the whole record"))] + [(s.name, s.label) for s in self.specs]
        if spec.vocabulary is None:
            choices = list(spec.static_choices)
        else:
            if spec.vocabulary not in cache:
                cache[spec.vocabulary] = list(spec.vocabulary.objects.all())
            choices = [(t.code, t.label) for t in cache[spec.vocabulary] if t.active]
            inactive = {t.code: t.label for t in cache[spec.vocabulary] if not t.active}
            choices += [(code, label) for code, label in inactive.items() if code in self._selected(spec)]
        if spec.blank_choice:
            choices = [("", "—")] + choices
        return choices

    def _selected(self, spec: FieldSpec) -> set[str]:
        """Codes currently chosen anywhere in the form for this vocabulary (inactive terms stay visible)."""
        codes: set[str] = set()
        for bound in self._walk():
            if bound.spec.vocabulary is spec.vocabulary:
                codes.update([bound.raw] if isinstance(bound.raw, str) else bound.raw)
        return codes


def _summary_of(bound: Bound, label: str) -> list[dict]:
    items = [{"label": label, "message": m, "anchor": bound.id} for m in bound.errors]
    for row in bound.rows:
        if isinstance(row, BoundRow):
            row_label = f"{label} {row.index + 1}"
            items += [{"label": row_label, "message": m, "anchor": f"{bound.id}-{row.index}"} for m in row.errors]
            for child in row.fields:
                items += _summary_of(child, f"{row_label}, {str(child.label).lower()}")
        else:
            items += [
                {"label": f"{label} {row.index + 1}", "message": m, "anchor": f"id_{row.html_name}"} for m in row.errors
            ]
    return items
