"""Records as table rows: the columns of the CSV export, and the same columns read back by the import.

Each field of a record's API JSON becomes one or more columns (`table_fields`): links as the linked
records' names with roles plus their ids, names per language, identifiers as `scheme:id`, lists joined
by ";". `TableField.cells` writes a record's cells (the CSV export, records/api/formats.py) and
`TableField.parse` reads cells back into the field's value as a proposal's `data` holds it (the import,
records/imports/). Both come from the same definitions, so an exported file imports as it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from records.content.registry import RecordTypeSpec
from records.content.representation import read_serializer
from records.content.schemas import IdentifiersField, LabelsField, RecordRef, RecordRefList
from records.dates import edtf

LANGUAGES = ("en", "ru", "kk")
SEPARATOR = ";"
# The identity columns: shown by the export; on import `id` names the record a row updates and `revision`
# the revision the row's change is based on; the others are ignored.
IDENTITY = ("id", "url", "web_url", "type", "revision", "updated_at")
# A text a spreadsheet would run as a formula begins with one of these (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ROLE_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[a-z0-9_]+)\)\s*$")


class CellInvalid(Exception):
    """A cell that cannot be read; `column` names it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def dumps(value: Any) -> str:
    return json.dumps(value, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))


def join(values) -> str:
    return SEPARATOR.join(str(value) for value in values if value not in (None, ""))


def split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


def person_name(item: dict) -> str:
    return item.get("literal") or ", ".join(part for part in (item.get("family"), item.get("given")) if part)


def _link_names(items: list[dict]) -> str:
    return join(f"{item.get('name')} ({item['role']})" if item.get("role") else item.get("name") for item in items)


def _citation_text(item: dict) -> str:
    return " ".join(filter(None, (item.get("label"), item.get("locator"))))


def _position_text(item: dict) -> str:
    return " ".join(filter(None, (item.get("title"), item.get("date"))))


def _scalar(value) -> str:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else value


@dataclass(frozen=True)
class TableField:
    """One field of a record's JSON and the columns it becomes."""

    name: str
    kind: str  # identity | value | labels | identifiers | list | json | links | citations | persons | positions
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]  # (column name, how the export reads the field's value)
    field: serializers.Field

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def cells(self, value: Any) -> dict[str, str]:
        """The export's cells of this field, by column."""
        return {column: read(value) for column, read in self.columns}

    def parse(self, cells: dict[str, str], base: Any = None, label_of: Callable[[Any], str] = lambda ref: "") -> Any:
        """The field's value (in a proposal's shape) from its cells; `base`: its value in the revision a
        change is based on, whose details the cells do not show (a link's certainty and note, a citation's
        quote) are kept for the links the cells still name. References are left as written (an id, a
        "$ref" or `scheme:id`) for the import to resolve. Raises CellInvalid."""
        first = self.column_names[0]
        cell = cells.get(first, "")
        if self.kind == "labels":
            value = {k: v for k, v in (base or {}).items() if k not in LANGUAGES}
            value.update({lang: cells[f"{self.name}_{lang}"] for lang in LANGUAGES if cells.get(f"{self.name}_{lang}")})
            return value
        if self.kind == "identifiers":
            value = {}
            for part in split(cell):
                scheme, sep, ident = part.partition(":")
                if not sep or not scheme.strip() or not ident.strip():
                    raise CellInvalid(first, gettext("Write identifiers as scheme:id, e.g. wikidata:Q232."))
                value[scheme.strip()] = ident.strip()
            return value
        if self.kind == "list":
            return split(cell)
        if self.kind == "json":
            if not cell.strip():
                return [] if isinstance(self.field, serializers.ListSerializer) else {}
            try:
                return json.loads(cell)
            except ValueError:
                raise CellInvalid(first, gettext("Expected JSON.")) from None
        if self.kind == "links":
            return self._links(cells, base or [])
        if self.kind == "citations":
            return self._citations(cells, base or [], label_of)
        if self.kind == "persons":
            known = {person_name(item): item for item in base or []}
            return [known.get(part) or _person(part) for part in split(cell)]
        if self.kind == "positions":
            return self._positions(cells, base or [])
        if cell == "" and (getattr(self.field, "allow_null", False) or isinstance(self.field, RecordRef)):
            return None
        default = getattr(self.field, "default", serializers.empty)
        if cell == "" and isinstance(default, str):  # an empty cell means the field's default ("certain")
            return default
        return cell

    def _aligned(self, cells: dict[str, str], ids_column: str, texts_column: str) -> list[tuple[str, str | None]]:
        ids, texts = split(cells.get(ids_column, "")), split(cells.get(texts_column, ""))
        if texts and len(texts) != len(ids):
            raise CellInvalid(
                texts_column,
                gettext("%(column)s has %(n)s entries but %(ids)s has %(m)s; give one per id, or leave it empty.")
                % {"column": texts_column, "n": len(texts), "ids": ids_column, "m": len(ids)},
            )
        return list(zip(ids, texts or [None] * len(ids), strict=True))

    def _links(self, cells: dict[str, str], base: list[dict]) -> list[dict]:
        child = self.field.child.fields
        has_role = "role" in child
        out = []
        for ref, text in self._aligned(cells, f"{self.name}_ids", self.name):
            link: dict[str, Any] = {"id": _number(ref)}
            match = _ROLE_RE.match(text or "")
            if has_role and match:
                link["role"] = match.group("role")
            earlier = next(
                (
                    item
                    for item in base
                    if str(item.get("id")) == str(ref)
                    and (not has_role or link.get("role", item.get("role")) == item.get("role"))
                ),
                None,
            )
            out.append({**_writable(earlier or {}, child), **link})
        return out

    def _citations(self, cells: dict[str, str], base: list[dict], label_of: Callable[[Any], str]) -> list[dict]:
        out = []
        for ref, text in self._aligned(cells, f"{self.name}_source_ids", self.name):
            locator = (text or "").strip()
            label = label_of(_number(ref)) or ""
            if label and locator.startswith(label):
                locator = locator[len(label) :].strip()
            earlier = next(
                (item for item in base if str(item.get("source")) == str(ref) and item.get("locator", "") == locator),
                None,
            )
            out.append(
                {**_writable(earlier or {}, self.field.child.fields), "source": _number(ref), "locator": locator}
            )
        return out

    def _positions(self, cells: dict[str, str], base: list[dict]) -> list[dict]:
        texts = split(cells.get(self.name, ""))
        ids = split(cells.get(f"{self.name}_organization_ids", ""))
        if ids and len(ids) != len(texts):
            raise CellInvalid(
                f"{self.name}_organization_ids",
                gettext("Give one organization id per position (or none at all)."),
            )
        out = []
        for index, text in enumerate(texts):
            organization = _number(ids[index]) if ids else None
            earlier = next(
                (
                    item
                    for item in base
                    if _position_text(item) == text and (not ids or str(item.get("organization")) == str(organization))
                ),
                None,
            )
            if earlier is not None:
                out.append({**earlier, **({"organization": organization} if ids else {})})
                continue
            title, date = text, ""
            head, _, last = text.rpartition(" ")
            if head:
                try:
                    edtf.parse(last)
                    title, date = head, last
                except Exception:
                    pass
            out.append({"title": title, "date": date, "organization": organization})
        return out


def _number(ref: str) -> Any:
    return int(ref) if ref.isdigit() else ref


def _person(text: str) -> dict:
    family, sep, given = text.partition(",")
    return {"family": family.strip(), "given": given.strip()} if sep else {"family": text.strip()}


def _writable(item: dict, fields: dict) -> dict:
    return {key: value for key, value in item.items() if key in fields and not fields[key].read_only}


def _table_field(name: str, field_obj) -> TableField:
    def make(kind, *columns):
        return TableField(name, kind, tuple(columns), field_obj)

    if name in IDENTITY:
        return make("identity", (name, _scalar))
    if isinstance(field_obj, serializers.ListSerializer):
        child = set(field_obj.child.fields)
        if {"id", "name"} <= child:  # links: parties, participants, subjects, borders, predecessors
            return make("links", (name, _link_names), (f"{name}_ids", lambda items: join(i.get("id") for i in items)))
        if "source" in child:  # citations
            return make(
                "citations",
                (name, lambda items: join(_citation_text(i) for i in items)),
                (f"{name}_source_ids", lambda items: join(i.get("source") for i in items)),
            )
        if "family" in child:  # authors, editors
            return make("persons", (name, lambda items: join(person_name(i) for i in items)))
        if "title" in child:  # positions
            return make(
                "positions",
                (name, lambda items: join(_position_text(i) for i in items)),
                (f"{name}_organization_ids", lambda items: join(i.get("organization") for i in items)),
            )
        return make("json", (name, dumps))
    if isinstance(field_obj, LabelsField):
        return make(
            "labels", *((f"{name}_{lang}", lambda value, lang=lang: (value or {}).get(lang, "")) for lang in LANGUAGES)
        )
    if isinstance(field_obj, IdentifiersField):
        return make("identifiers", (name, lambda value: join(f"{k}:{i}" for k, i in sorted((value or {}).items()))))
    if isinstance(field_obj, (serializers.ListField, serializers.ManyRelatedField)):
        return make("list", (name, join))
    if isinstance(field_obj, serializers.DictField):
        return make("json", (name, dumps))
    return make("value", (name, _scalar))


def table_fields(spec: RecordTypeSpec) -> list[TableField]:
    """The fields of a record type's JSON as table columns, in the export's order."""
    cached = spec.extras.get("table_fields")
    if cached is None:
        fields = read_serializer(spec)().fields
        cached = spec.extras["table_fields"] = [_table_field(name, obj) for name, obj in fields.items()]
    return cached


def is_reference(field: TableField) -> bool:
    return isinstance(field.field, (RecordRef, RecordRefList))


def safe_cell(value) -> str:
    """Text a spreadsheet would run as a formula is prefixed with an apostrophe; numbers stay numbers."""
    value = "" if value is None else str(value)
    if value.startswith(FORMULA_START) and not is_number(value):
        return "'" + value
    return value


def is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
