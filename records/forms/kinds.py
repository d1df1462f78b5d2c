"""How each kind of field is typed in and read back: one object per kind (`FieldSpec.kind`), looked up
once per field by `kind_of` (what a kind does, and its defaults, are in field_kind.py). Lists keep a
few empty rows to type into.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers

from records.forms.bound import Bound, BoundRow, ListRow
from records.forms.dates import edtf_preview
from records.forms.errors import messages_of
from records.forms.field_kind import MAX_ROWS, MISSING, FieldKind, IndexedErrors
from records.forms.fields import LANGUAGES, FieldSpec
from records.forms.pickers import PickerReader


class EdtfKind(FieldKind):
    def preview(self, raw: Any) -> dict:
        return edtf_preview(raw)


class SelectKind(FieldKind):
    has_choices = True

    def empty_raw(self, spec: FieldSpec) -> Any:
        default = spec.field.default
        if spec.static_choices and default not in (serializers.empty, None) and not callable(default):
            return str(default)
        return ""


class DecimalKind(FieldKind):
    def typed_value(self, bound: Bound, text: str, reader: PickerReader) -> Any:
        compact = text.replace(" ", "").replace("\u00a0", "")
        return compact.replace(",", ".") if "," in compact and "." not in compact else compact


class JsonKind(FieldKind):
    """Anything else, edited as JSON, so that no field is ever out of reach."""

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Any:
        return "" if value is None else json.dumps(value, ensure_ascii=False, indent=1)

    def typed_value(self, bound: Bound, text: str, reader: PickerReader) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            bound.errors = [_("This is not valid JSON.")]
            return MISSING


class RecordKind(FieldKind):
    """One record picker."""

    def typed_value(self, bound: Bound, text: str, reader: PickerReader) -> Any:
        problems: list[str] = []
        value = reader.read(bound.spec, text, problems)
        bound.errors = problems
        return value

    def pickers(self, bound: Bound) -> list:
        return [bound]


class CheckboxKind(FieldKind):
    def empty_raw(self, spec: FieldSpec) -> Any:
        return bool(spec.field.default) if spec.field.default is not serializers.empty else False

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Any:
        return bool(value)

    def raw_from_post(self, spec: FieldSpec, post: QueryDict, name: str) -> Any:
        return name in post

    def value(self, bound: Bound, reader: PickerReader) -> Any:
        return bool(bound.raw)


class CheckboxesKind(FieldKind):
    has_choices = True

    def empty_raw(self, spec: FieldSpec) -> Any:
        return []

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Any:
        return [str(v) for v in value or []]

    def raw_from_post(self, spec: FieldSpec, post: QueryDict, name: str) -> Any:
        return post.getlist(name)[:MAX_ROWS]

    def value(self, bound: Bound, reader: PickerReader) -> Any:
        return list(dict.fromkeys(bound.raw))


class LabelsKind(FieldKind):
    """A name in several languages: one input per language."""

    def empty_raw(self, spec: FieldSpec) -> Any:
        return dict.fromkeys(LANGUAGES, "")

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Any:
        labels = dict.fromkeys(LANGUAGES, "")
        labels.update({k: str(v) for k, v in (value or {}).items()})
        return labels

    def raw_from_post(self, spec: FieldSpec, post: QueryDict, name: str) -> Any:
        extra = [lang for lang in post.get(f"{name}-langs", "").split(",") if lang and lang not in LANGUAGES][:20]
        return {lang: post.get(f"{name}-{lang}", "") for lang in (*LANGUAGES, *extra)}

    def value(self, bound: Bound, reader: PickerReader) -> Any:
        return {lang: value for lang, value in bound.raw.items() if value.strip()}

    def attach(self, bound: Bound, errors: Any) -> None:
        if isinstance(errors, dict):
            bound.errors += [f"{lang}: {m}" for lang, value in errors.items() for m in messages_of(value)]
        else:
            super().attach(bound, errors)


class LinesKind(IndexedErrors, FieldKind):
    """A list of short texts, one per line of a textarea."""

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Any:
        return "\n".join(str(v) for v in value or [])

    def value(self, bound: Bound, reader: PickerReader) -> Any:
        lines = [line.strip() for line in str(bound.raw).splitlines()]
        bound.index_map = [i for i, line in enumerate(lines) if line]
        return [line for line in lines if line]

    def attach_at(self, bound: Bound, index: int, errors: Any) -> None:
        bound.errors += [_("Line %(n)s: %(message)s") % {"n": index + 1, "message": m} for m in messages_of(errors)]


class ListKind(FieldKind):
    """A list typed row by row, with a few empty rows to type into ("More rows" adds some)."""

    def empty_raw(self, spec: FieldSpec) -> Any:
        return []

    def is_blank_row(self, spec: FieldSpec, raw: Any) -> bool:
        raise NotImplementedError

    def blank_row(self, spec: FieldSpec) -> Any:
        raise NotImplementedError

    def row(self, bound: Bound, index: int, raw: Any, extra_rows: dict[str, int]) -> Any:
        return ListRow(index, raw, f"{bound.html_name}-{index}")

    def build_rows(self, bound: Bound, extra_rows: dict[str, int]) -> None:
        spec = bound.spec
        raws = list(bound.raw)
        while raws and self.is_blank_row(spec, raws[-1]):
            raws.pop()
        spare = (1 if raws else 2) + extra_rows.get(bound.html_name, 0)
        limit = max(len(raws), min(spec.max_length or MAX_ROWS, MAX_ROWS))
        raws += [self.blank_row(spec) for _ in range(min(spare, max(limit - len(raws), 0)))]
        bound.raw = raws
        bound.rows = [self.row(bound, index, raw, extra_rows) for index, raw in enumerate(raws)]

    def row_indices(self, post: QueryDict, name: str) -> range:
        value = post.get(f"{name}-rows", "0")
        return range(min(int(value), MAX_ROWS) if value.isascii() and value.isdigit() else 0)


class IdentifiersKind(ListKind):
    """Identifiers in external schemes: a (scheme, identifier) pair a row."""

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Any:
        return [[str(k), str(v)] for k, v in (value or {}).items()]

    def raw_from_post(self, spec: FieldSpec, post: QueryDict, name: str) -> Any:
        return [
            [post.get(f"{name}-{i}-scheme", ""), post.get(f"{name}-{i}-value", "")]
            for i in self.row_indices(post, name)
        ]

    def is_blank_row(self, spec: FieldSpec, raw: Any) -> bool:
        return not any(part.strip() for part in raw)

    def blank_row(self, spec: FieldSpec) -> Any:
        return ["", ""]

    def value(self, bound: Bound, reader: PickerReader) -> Any:
        value: dict[str, str] = {}
        for row in bound.rows:
            scheme, ident = (part.strip() for part in row.raw)
            row.errors = []
            if not scheme and not ident:
                continue
            if not scheme:
                row.errors = [_("Say which scheme this identifier belongs to (e.g. wikidata).")]
            elif not ident:
                row.errors = [_("Give the identifier, or clear the scheme.")]
            elif scheme in value:
                row.errors = [_("This scheme is listed twice.")]
            else:
                value[scheme] = ident
        return value


class RecordsKind(IndexedErrors, ListKind):
    """A list of record pickers, one a row."""

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Any:
        return [str(v) for v in value or []]

    def raw_from_post(self, spec: FieldSpec, post: QueryDict, name: str) -> Any:
        return [post.get(f"{name}-{i}", "") for i in self.row_indices(post, name)]

    def is_blank_row(self, spec: FieldSpec, raw: Any) -> bool:
        return not str(raw).strip()

    def blank_row(self, spec: FieldSpec) -> Any:
        return ""

    def value(self, bound: Bound, reader: PickerReader) -> Any:
        values, bound.index_map = [], []
        for row in bound.rows:
            if str(row.raw).strip():
                problems: list[str] = []
                values.append(reader.read(bound.spec, row.raw, problems))
                row.errors = problems
                bound.index_map.append(row.index)
        return values

    def attach_at(self, bound: Bound, index: int, errors: Any) -> None:
        bound.rows[index].errors += messages_of(errors)

    def pickers(self, bound: Bound) -> list:
        return list(bound.rows)


class RowsKind(IndexedErrors, ListKind):
    """A list of links: a row of fields each (the record linked to, a role, a note...)."""

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Any:
        return [
            {
                child.name: kind_of(child).raw_from_value(child, item.get(child.name))
                if isinstance(item, dict)
                else kind_of(child).empty_raw(child)
                for child in spec.children
            }
            for item in value or []
        ]

    def raw_from_post(self, spec: FieldSpec, post: QueryDict, name: str) -> Any:
        return [
            {
                child.name: kind_of(child).raw_from_post(child, post, f"{name}-{i}-{child.name}")
                for child in spec.children
            }
            for i in self.row_indices(post, name)
        ]

    def is_blank_row(self, spec: FieldSpec, raw: Any) -> bool:
        return all(kind_of(child).is_untouched(child, raw.get(child.name)) for child in spec.children)

    def blank_row(self, spec: FieldSpec) -> Any:
        return {child.name: kind_of(child).empty_raw(child) for child in spec.children}

    def row(self, bound: Bound, index: int, raw: Any, extra_rows: dict[str, int]) -> Any:
        children = [
            bind(child, f"{bound.html_name}-{index}-{child.name}", raw.get(child.name), extra_rows)
            for child in bound.spec.children
        ]
        return BoundRow(index, children)

    def value(self, bound: Bound, reader: PickerReader) -> Any:
        items, bound.index_map = [], []
        for row in bound.rows:
            if self.is_blank_row(bound.spec, {child.spec.name: child.raw for child in row.fields}):
                continue
            item = {}
            for child in row.fields:
                value = child.field_kind.value(child, reader)
                if value is not MISSING:
                    item[child.spec.name] = value
            items.append(item)
            bound.index_map.append(row.index)
        return items

    def attach_at(self, bound: Bound, index: int, errors: Any) -> None:
        row = bound.rows[index]
        children = {child.spec.name: child for child in row.fields}
        for key, child_errors in errors.items() if isinstance(errors, dict) else [("", errors)]:
            if key in children:
                children[key].field_kind.attach(children[key], child_errors)
            else:
                row.errors += messages_of(child_errors)


KINDS: dict[str, FieldKind] = {
    "text": FieldKind(),
    "textarea": FieldKind(),
    "number": FieldKind(),
    "date": FieldKind(),
    "url": FieldKind(),
    "edtf": EdtfKind(),
    "select": SelectKind(),
    "decimal": DecimalKind(),
    "json": JsonKind(),
    "record": RecordKind(),
    "checkbox": CheckboxKind(),
    "checkboxes": CheckboxesKind(),
    "labels": LabelsKind(),
    "lines": LinesKind(),
    "identifiers": IdentifiersKind(),
    "records": RecordsKind(),
    "rows": RowsKind(),
}


def kind_of(spec: FieldSpec) -> FieldKind:
    return KINDS[spec.kind]


def bind(spec: FieldSpec, html_name: str, raw: Any, extra_rows: dict[str, int]) -> Bound:
    """A field of the form holding `raw`, with its rows built for a list."""
    bound = Bound(spec, kind_of(spec), html_name, raw)
    bound.field_kind.build_rows(bound, extra_rows)
    return bound
