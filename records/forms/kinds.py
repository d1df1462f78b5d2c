"""One form for every record type, generated from its state serializer.

A `StateForm` holds what the person typed (the *raw* values, exactly as typed), turns it into a state's
JSON `data` for `review.proposal_create`, and puts the validation errors that come back (DRF error
dicts, nested by list index) next to the fields they belong to. Because the form is always shown
again from the raw values, nothing typed is lost on an error.

HTML names: `d-<field>` for a field, `d-<list>-<row>-<field>` inside a list of links, `d-<list>-rows`
for the number of rows shown, `d-names-en` for one language of a name. A submit button named
`add_rows` with a list's name shows more empty rows without submitting anything (no JavaScript needed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from records.forms.dates import edtf_preview
from records.forms.fields import LANGUAGES, FieldSpec, field_specs
from records.models import Record
from records.models.base import MAX_ID, pick_label, record_url
from records.reads.search import search_filter

PREFIX = "d"
MISSING = object()
MAX_ROWS = 500
MAX_NAME_LOOKUPS = 10
REQUIRED_CODES = {"null", "blank", "required"}


@dataclass
class BoundRow:
    index: int
    fields: list[Bound]
    errors: list[str] = field(default_factory=list)


@dataclass
class Bound:
    """One field of the form with what was typed in it and what is wrong with it."""

    spec: FieldSpec
    html_name: str
    raw: Any
    errors: list[str] = field(default_factory=list)
    rows: list = field(default_factory=list)  # BoundRow for "rows"; [value, errors] pairs otherwise
    choices: list = field(default_factory=list)
    ref_name: Any = None  # the name of the record a picker holds
    index_map: list[int] = field(default_factory=list)  # data index → row index

    @property
    def id(self) -> str:
        return f"id_{self.html_name}"

    @property
    def label(self):
        return self.spec.label

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def template(self) -> str:
        return self.spec.template

    @property
    def has_errors(self) -> bool:
        if self.errors:
            return True
        for row in self.rows:
            if isinstance(row, BoundRow) and (row.errors or any(child.has_errors for child in row.fields)):
                return True
            if isinstance(row, dict) and row.get("errors"):
                return True
        return False

    @property
    def preview(self) -> dict:
        return edtf_preview(self.raw) if self.spec.kind == "edtf" else {}

    @property
    def types_attr(self) -> str:
        return ",".join(self.spec.types)

    @property
    def lines_count(self) -> int:
        return max(3, min(12, str(self.raw).count("\n") + 2))

    def label_rows(self) -> list[dict]:
        return [
            {"lang": lang, "value": value, "html_name": f"{self.html_name}-{lang}"} for lang, value in self.raw.items()
        ]


# ------------------------------------------------------------------ raw values


def empty_raw(spec: FieldSpec) -> Any:
    """What an untouched widget holds."""
    if spec.kind == "labels":
        return dict.fromkeys(LANGUAGES, "")
    if spec.kind in ("rows", "records", "identifiers", "checkboxes"):
        return []
    if spec.kind == "checkbox":
        return bool(spec.field.default) if spec.field.default is not serializers.empty else False
    default = spec.field.default
    if (
        spec.kind == "select"
        and spec.static_choices
        and default not in (serializers.empty, None)
        and not callable(default)
    ):
        return str(default)
    return ""


def raw_from_value(spec: FieldSpec, value: Any) -> Any:
    """A state's JSON value as the widget shows it."""
    kind = spec.kind
    if kind == "labels":
        labels = dict.fromkeys(LANGUAGES, "")
        labels.update({k: str(v) for k, v in (value or {}).items()})
        return labels
    if kind == "lines":
        return "\n".join(str(v) for v in value or [])
    if kind == "identifiers":
        return [[str(k), str(v)] for k, v in (value or {}).items()]
    if kind == "checkboxes":
        return [str(v) for v in value or []]
    if kind == "records":
        return [str(v) for v in value or []]
    if kind == "rows":
        return [
            {
                child.name: raw_from_value(child, item.get(child.name)) if isinstance(item, dict) else empty_raw(child)
                for child in spec.children
            }
            for item in value or []
        ]
    if kind == "checkbox":
        return bool(value)
    if kind == "json":
        return "" if value is None else json.dumps(value, ensure_ascii=False, indent=1)
    if value is None:
        return empty_raw(spec)
    return str(value)


def _rows_count(post: QueryDict, name: str) -> int:
    value = post.get(f"{name}-rows", "0")
    return min(int(value), MAX_ROWS) if value.isdigit() else 0


def raw_from_post(spec: FieldSpec, post: QueryDict, name: str) -> Any:
    kind = spec.kind
    if kind == "labels":
        extra = [lang for lang in post.get(f"{name}-langs", "").split(",") if lang and lang not in LANGUAGES][:20]
        return {lang: post.get(f"{name}-{lang}", "") for lang in (*LANGUAGES, *extra)}
    if kind == "identifiers":
        count = _rows_count(post, name)
        return [[post.get(f"{name}-{i}-scheme", ""), post.get(f"{name}-{i}-value", "")] for i in range(count)]
    if kind == "checkboxes":
        return post.getlist(name)[:500]
    if kind == "records":
        return [post.get(f"{name}-{i}", "") for i in range(_rows_count(post, name))]
    if kind == "rows":
        return [
            {child.name: raw_from_post(child, post, f"{name}-{i}-{child.name}") for child in spec.children}
            for i in range(_rows_count(post, name))
        ]
    if kind == "checkbox":
        return name in post
    return post.get(name, "")


def is_blank_row(spec: FieldSpec, raw: Any) -> bool:
    if spec.kind == "identifiers":
        return not any(part.strip() for part in raw)
    if spec.kind == "records":
        return not str(raw).strip()
    return all(_is_untouched(child, raw.get(child.name)) for child in spec.children)


def _is_untouched(spec: FieldSpec, raw: Any) -> bool:
    if isinstance(raw, str):
        return raw.strip() == str(empty_raw(spec)).strip()
    return raw == empty_raw(spec)


# ------------------------------------------------------------------ the form


class StateForm:
    """The form of one record's state (see the module docstring)."""

    def __init__(self, record_type: str, raws: dict[str, Any], *, extra_rows: dict[str, int] | None = None):
        self.record_type = record_type
        self.specs = field_specs(record_type)
        self.fields = [
            Bound(spec, f"{PREFIX}-{spec.name}", raws.get(spec.name, empty_raw(spec))) for spec in self.specs
        ]
        self.by_name = {bound.spec.name: bound for bound in self.fields}
        self.extra_rows = extra_rows or {}
        self.errors: list[str] = []  # problems not tied to one field
        self._rebuild_rows()

    # -------------------------------------------------------------- construction

    @classmethod
    def from_state(cls, record_type: str, state: dict | None) -> StateForm:
        state = state or {}
        specs = field_specs(record_type)
        return cls(record_type, {s.name: raw_from_value(s, state[s.name]) for s in specs if s.name in state})

    @classmethod
    def from_post(cls, record_type: str, post: QueryDict) -> StateForm:
        specs = field_specs(record_type)
        raws = {s.name: raw_from_post(s, post, f"{PREFIX}-{s.name}") for s in specs}
        add = post.get("add_rows", "")
        return cls(record_type, raws, extra_rows={add: 3} if add else None)

    def _rebuild_rows(self) -> None:
        """Row objects for the lists, with a few empty rows to type into."""
        for bound in self.fields:
            self._build_rows(bound)

    def _build_rows(self, bound: Bound) -> None:
        spec = bound.spec
        if spec.kind not in ("rows", "records", "identifiers"):
            return
        raws = list(bound.raw)
        while raws and is_blank_row(spec, raws[-1]):
            raws.pop()
        blank = {"rows": lambda: {c.name: empty_raw(c) for c in spec.children}, "records": lambda: ""}.get(
            spec.kind, lambda: ["", ""]
        )
        spare = (1 if raws else 2) + self.extra_rows.get(bound.html_name, 0)
        limit = max(len(raws), min(spec.max_length or MAX_ROWS, MAX_ROWS))
        raws += [blank() for _ in range(min(spare, max(limit - len(raws), 0)))]
        old_rows = bound.rows
        bound.raw = raws
        if spec.kind == "rows":
            bound.rows = []
            for i, row_raw in enumerate(raws):
                children = []
                for child in spec.children:
                    child_bound = Bound(child, f"{bound.html_name}-{i}-{child.name}", row_raw.get(child.name))
                    self._build_rows(child_bound)
                    children.append(child_bound)
                previous = old_rows[i] if i < len(old_rows) and isinstance(old_rows[i], BoundRow) else None
                if previous is not None:
                    for new, old in zip(children, previous.fields, strict=False):
                        new.errors, new.ref_name = old.errors, old.ref_name
                bound.rows.append(BoundRow(i, children, previous.errors if previous else []))
        else:
            bound.rows = [
                {
                    "index": i,
                    "raw": raw,
                    "html_name": f"{bound.html_name}-{i}",
                    "errors": old_rows[i]["errors"] if i < len(old_rows) and isinstance(old_rows[i], dict) else [],
                    "ref_name": old_rows[i].get("ref_name")
                    if i < len(old_rows) and isinstance(old_rows[i], dict)
                    else None,
                }
                for i, raw in enumerate(raws)
            ]

    # -------------------------------------------------------------- raw → data

    def data(self) -> dict:
        """The state's JSON built from what was typed; problems found on the way are in the bounds."""
        self._lookups = 0
        data = {}
        for bound in self.fields:
            value = self._value(bound)
            if value is not MISSING:
                data[bound.spec.name] = value
        return data

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(bound.has_errors for bound in self.fields)

    def _value(self, bound: Bound) -> Any:
        spec, raw = bound.spec, bound.raw
        kind = spec.kind
        if kind == "labels":
            return {lang: value for lang, value in raw.items() if value.strip()}
        if kind == "lines":
            lines = [line.strip() for line in str(raw).splitlines()]
            bound.index_map = [i for i, line in enumerate(lines) if line]
            return [line for line in lines if line]
        if kind == "checkboxes":
            return list(dict.fromkeys(raw))
        if kind == "checkbox":
            return bool(raw)
        if kind == "identifiers":
            return self._identifiers(bound)
        if kind == "records":
            values, bound.index_map = [], []
            for row in bound.rows:
                if str(row["raw"]).strip():
                    problems: list[str] = []
                    value = self._record_value(bound.spec, row["raw"], problems)
                    row["errors"] = problems
                    values.append(value)
                    bound.index_map.append(row["index"])
            return values
        if kind == "rows":
            items, bound.index_map = [], []
            for row in bound.rows:
                if is_blank_row(spec, {c.spec.name: c.raw for c in row.fields}):
                    continue
                item = {}
                for child in row.fields:
                    value = self._value(child)
                    if value is not MISSING:
                        item[child.spec.name] = value
                items.append(item)
                bound.index_map.append(row.index)
            return items
        text = str(raw).strip()
        if not text:
            return blank_value(spec)
        if kind == "record":
            problems = []
            value = self._record_value(spec, text, problems)
            bound.errors = problems
            return value
        if kind == "decimal":
            compact = text.replace(" ", "").replace("\u00a0", "")
            return compact.replace(",", ".") if "," in compact and "." not in compact else compact
        if kind == "json":
            try:
                return json.loads(text)
            except ValueError:
                bound.errors = [_("This is not valid JSON.")]
                return MISSING
        return raw

    def _identifiers(self, bound: Bound) -> dict:
        value: dict[str, str] = {}
        for row in bound.rows:
            scheme, ident = (part.strip() for part in row["raw"])
            row["errors"] = []
            if not scheme and not ident:
                continue
            if not scheme:
                row["errors"] = [_("Say which scheme this identifier belongs to (e.g. wikidata).")]
            elif not ident:
                row["errors"] = [_("Give the identifier, or clear the scheme.")]
            elif scheme in value:
                row["errors"] = [_("This scheme is listed twice.")]
            else:
                value[scheme] = ident
        return value

    def _record_value(self, spec: FieldSpec, raw: str, problems: list[str]) -> Any:
        """A record picker's value: an id, a "$ref" to a new record, or a name to look up."""
        text = str(raw).strip()
        if text.isdigit():
            return int(text) if len(text) < 19 else text
        if text.startswith("$"):
            return text
        self._lookups += 1
        if self._lookups > MAX_NAME_LOOKUPS:
            problems.append(_("Too many names to look up at once; give the records' numbers."))
            return text
        found = record_candidates(text, spec.types, limit=6)
        exact = [c for c in found if c.label.casefold() == text.casefold()]
        if len(found) == 1 or len(exact) == 1:
            return (exact or found)[0].pk
        if not found:
            problems.append(_("No published record matches “%(text)s”.") % {"text": text[:80]})
        else:
            listed = "; ".join(f"{c.pk} {c.display_label} ({c.get_record_type_display()})" for c in found)
            problems.append(
                _("Several records match “%(text)s”: %(list)s. Give the number of the one you mean.")
                % {"text": text[:80], "list": listed}
            )
        return text

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
                attach(bound, value)

    def summary(self) -> list[dict]:
        """Every problem, for the list at the top of the form (each links to its field)."""
        items = [{"label": "", "message": message, "anchor": ""} for message in self.errors]
        for bound in self.fields:
            items += _summary_of(bound, str(bound.label))
        return items

    # -------------------------------------------------------------- display helpers

    def prepare_display(self) -> None:
        """Choices of the selects and names of the records the pickers hold, each looked up once."""
        vocabularies: dict[Any, list] = {}
        pickers: list[tuple[Any, str]] = []  # (holder, raw)

        def walk(bound: Bound) -> None:
            spec = bound.spec
            if spec.kind in ("select", "checkboxes"):
                bound.choices = self._choices(spec, vocabularies)
            elif spec.kind == "record":
                pickers.append((bound, bound.raw))
            elif spec.kind == "records":
                pickers.extend((row, row["raw"]) for row in bound.rows)
            elif spec.kind == "rows":
                for row in bound.rows:
                    for child in row.fields:
                        walk(child)

        for bound in self.fields:
            walk(bound)
        ids = {int(raw) for _, raw in pickers if str(raw).strip().isdigit() and len(str(raw).strip()) < 19}
        names = record_names(ids)
        for holder, raw in pickers:
            text = str(raw).strip()
            name = names.get(int(text)) if text.isdigit() and len(text) < 19 else None
            if isinstance(holder, dict):
                holder["ref_name"] = name
            else:
                holder.ref_name = name

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
            choices += [(code, label) for code, label in inactive.items() if code in _selected(self, spec)]
        if spec.blank_choice:
            choices = [("", "—")] + choices
        return choices


def _selected(form: StateForm, spec: FieldSpec) -> set[str]:
    """Codes currently chosen anywhere in the form for this vocabulary (inactive terms stay visible)."""
    codes: set[str] = set()

    def walk(bound: Bound) -> None:
        if bound.spec.vocabulary is spec.vocabulary:
            codes.update([bound.raw] if isinstance(bound.raw, str) else bound.raw)
        for row in bound.rows:
            if isinstance(row, BoundRow):
                for child in row.fields:
                    walk(child)

    for bound in form.fields:
        walk(bound)
    return codes


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


def messages_of(errors: Any) -> list[str]:
    """Flatten DRF errors into messages; "may not be null/blank" reads as "required" on a form."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in messages_of(value)]
    if isinstance(errors, (list, tuple)):
        return [m for value in errors for m in messages_of(value)]
    if getattr(errors, "code", None) in REQUIRED_CODES:
        return [_("This field is required.")]
    return [str(errors)]


def _by_index(errors: Any) -> dict[int, Any] | None:
    """Errors of a list's items by position: DRF gives a list aligned with the items, or a dict by index."""
    if isinstance(errors, dict) and errors and all(str(key).isdigit() for key in errors):
        return {int(key): value for key, value in errors.items()}
    if isinstance(errors, list) and any(isinstance(e, dict) for e in errors):
        return {index: value for index, value in enumerate(errors) if value}
    return None


def attach(bound: Bound, errors: Any) -> None:
    kind = bound.spec.kind
    by_index = _by_index(errors) if kind in ("rows", "records", "lines") else None
    if by_index is None:
        if kind == "labels" and isinstance(errors, dict):
            bound.errors += [f"{lang}: {m}" for lang, value in errors.items() for m in messages_of(value)]
        else:
            bound.errors += messages_of(errors)
        return
    for position, value in by_index.items():
        if not 0 <= position < len(bound.index_map):
            bound.errors += messages_of(value)
        elif kind == "rows":
            row = bound.rows[bound.index_map[position]]
            children = {child.spec.name: child for child in row.fields}
            for key, child_errors in value.items() if isinstance(value, dict) else [("", value)]:
                if key in children:
                    attach(children[key], child_errors)
                else:
                    row.errors += messages_of(child_errors)
        elif kind == "records":
            bound.rows[bound.index_map[position]]["errors"] += messages_of(value)
        else:
            line = bound.index_map[position] + 1
            bound.errors += [_("Line %(n)s: %(message)s") % {"n": line, "message": m} for m in messages_of(value)]


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
                {"label": f"{label} {row['index'] + 1}", "message": m, "anchor": f"id_{row['html_name']}"}
                for m in row["errors"]
            ]
    return items


# ------------------------------------------------------------------ record names


@dataclass(frozen=True)
class RecordName:
    pk: int
    label: str
    record_type: str
    status: str

    @property
    def url(self) -> str:
        return record_url(self.record_type, self.pk)

    @property
    def withdrawn(self) -> bool:
        return self.status == "withdrawn"

    def __str__(self) -> str:
        return self.label


def record_names(ids: set[int]) -> dict[int, RecordName]:
    """Names of records by id, in one query (withdrawn ones too: old states may refer to them)."""
    ids = {pk for pk in ids if 0 < pk <= MAX_ID}
    if not ids:
        return {}
    rows = Record.objects.filter(pk__in=ids).values_list("pk", "label", "labels", "record_type", "status")
    return {pk: RecordName(pk, pick_label(labels, label), rtype, status) for pk, label, labels, rtype, status in rows}


def record_candidates(text: str, types: tuple[str, ...], *, limit: int = 20) -> list[Record]:
    """Published records of `types` whose names match `text`, best first (for pickers)."""
    queryset = Record.objects.published().filter(record_type__in=types)
    queryset = search_filter(queryset, text)
    if "search_rank" not in queryset.query.annotations:
        return []
    return list(queryset.order_by("-search_rank", "label", "pk").only("pk", "label", "labels", "record_type")[:limit])
