"""What every kind of field does, and how it does it by default (a one-line text input).

A kind turns a state's JSON value into what its widget shows (`raw_from_value`), takes what a browser
sent (`raw_from_post`), turns what was typed back into JSON (`value`, noting problems on the way) and
puts validation errors next to what they are about (`attach`). The kinds themselves are in kinds.py.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import serializers

from records.forms.bound import Bound
from records.forms.errors import errors_by_index, messages_of
from records.forms.fields import FieldSpec
from records.forms.pickers import PickerReader

MISSING = object()  # a value left out of the state
MAX_ROWS = 500


def blank_value(spec: FieldSpec) -> Any:
    """What an empty widget means: null, an empty string, the field's default, or a missing value."""
    f = spec.field
    if getattr(f, "allow_null", False):
        return None
    if isinstance(f, serializers.CharField) and f.allow_blank:
        return ""
    if not f.required:
        return MISSING
    if isinstance(f, serializers.CharField):
        return ""
    return None


class FieldKind:
    """A one-line text input (text, number, date, url; the base of the others)."""

    has_choices = False  # a select or checkboxes: the form fills in `Bound.choices`

    def empty_raw(self, spec: FieldSpec) -> Any:
        """What an untouched widget holds."""
        return ""

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Any:
        """A state's JSON value as the widget shows it."""
        return self.empty_raw(spec) if value is None else str(value)

    def raw_from_post(self, spec: FieldSpec, post: QueryDict, name: str) -> Any:
        return post.get(name, "")

    def is_untouched(self, spec: FieldSpec, raw: Any) -> bool:
        if isinstance(raw, str):
            return raw.strip() == str(self.empty_raw(spec)).strip()
        return raw == self.empty_raw(spec)

    def build_rows(self, bound: Bound, extra_rows: dict[str, int]) -> None:
        """Row objects of a list (none for a single value)."""

    def value(self, bound: Bound, reader: PickerReader) -> Any:
        """The JSON value of what was typed (MISSING to leave it out); problems go to the bound."""
        text = str(bound.raw).strip()
        return self.typed_value(bound, text, reader) if text else blank_value(bound.spec)

    def typed_value(self, bound: Bound, text: str, reader: PickerReader) -> Any:
        return bound.raw

    def attach(self, bound: Bound, errors: Any) -> None:
        """Put validation errors (DRF's shape) next to what they are about."""
        bound.errors += messages_of(errors)

    def pickers(self, bound: Bound) -> list:
        """What holds a record picker here (each with `raw` and `ref_name`)."""
        return []

    def preview(self, raw: Any) -> dict:
        return {}


class IndexedErrors:
    """A list whose errors may come by item (DRF: a list aligned with the items, or a dict by index);
    `bound.index_map` maps an item of the value to the row or line it was typed in."""

    def attach(self, bound: Bound, errors: Any) -> None:
        by_index = errors_by_index(errors)
        if by_index is None:
            bound.errors += messages_of(errors)
            return
        for position, value in by_index.items():
            if 0 <= position < len(bound.index_map):
                self.attach_at(bound, bound.index_map[position], value)
            else:
                bound.errors += messages_of(value)

    def attach_at(self, bound: Bound, index: int, errors: Any) -> None:
        raise NotImplementedError
