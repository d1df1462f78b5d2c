"""Checking an import's rows: the dry run.

Each row becomes one change of a proposal (`review.ItemInput`): a row without `id` creates a record
(its `$ref` is its `ref` cell, else `$row<N>`), a row with `id` updates that record, based on its
`revision` (else the current one). Then the changes pass the workflow's own checks — the same content
schemas as any proposal — and what they would do is previewed: rows that change nothing are left out
(so an exported file imports as nothing to propose), and new records whose authority id or name (by
trigram similarity, in the same country) matches a published record are shown as possible duplicates,
for the author to link to the existing record or keep apart.

A workbook of several sheets (records/imports/files.py) gives rows of several types, each row knowing
its type and sheet: they are checked together, so that a row refers to a row of another sheet by its
`ref`, and become one change set; errors, duplicates and the preview then name each row's sheet.

Everything is looked up set-wise (referenced ids, authority ids, base revisions, duplicates), a few
queries for the whole file, so that tens of thousands of rows check in seconds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.utils.translation import gettext

from records.content.registry import registry
from records.content.representation import Identity, Linked, linked_ids, represent
from records.content.schemas import is_new_ref, reference_values
from records.formats.table import IDENTITY, CellInvalid, TableField, table_fields
from records.imports.duplicates import authority_lookup, duplicates_find, record_name
from records.imports.files import SHEET_SPAN, Row
from records.models import ProposalAction, Record
from records.workflow import review
from records.workflow.items import items_prepare, items_validate

CHUNK = 500  # rows validated between two progress reports
PREVIEW_ROWS = 200  # rows the preview lists (the counts cover them all)


@dataclass
class Checked:
    """What checking found: the changes to propose (rows with errors or without changes left out)."""

    items: list[review.ItemInput] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the row of each item
    errors: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    cancelled: bool = False


class _Errors:
    def __init__(self, fields: dict[str, dict[str, TableField]], types: dict[int, str], default: str) -> None:
        self.fields_by_type, self.types, self.default = fields, types, default
        self.by_row: dict[int, list[dict]] = defaultdict(list)

    def add(self, row: int, column: str, message: str) -> None:
        self.by_row[row].append({"row": row, "column": column, "message": message})

    def add_tree(self, row: int, errors: Any, path: tuple = ()) -> None:
        """Errors as the workflow gives them ({"data": {"parties": [{"id": [...]}]}}), each named by its column."""
        if isinstance(errors, dict):
            for key, value in errors.items():
                self.add_tree(row, value, (*path, key))
        elif isinstance(errors, list) and errors and not all(isinstance(e, str) for e in errors):
            for index, value in enumerate(errors):
                self.add_tree(row, value, (*path, index))
        elif isinstance(errors, list):
            for message in errors:
                self.add(row, self.column(path, row), str(message))
        elif errors:
            self.add(row, self.column(path, row), str(errors))

    def column(self, path: tuple, row: int) -> str:
        """The column of a row (of its type's table) that a workflow error's path names."""
        head, rest = (path[0], path[1:]) if path else ("", ())
        if head in ("record", "base_revision", "ref"):
            return {"record": "id", "base_revision": "revision", "ref": "ref"}[head]
        if head != "data" or not rest:
            return ""
        name, inner = str(rest[0]), [str(p) for p in rest[1:]]
        table = self.fields_by_type[self.types.get(row, self.default)].get(name)
        if table is None:
            return name
        if table.kind == "labels" and inner:
            return f"{name}_{inner[0]}"
        if table.kind == "links" and "id" in inner:
            return f"{name}_ids"
        if table.kind == "citations" and "source" in inner:
            return f"{name}_source_ids"
        return table.column_names[0]

    def sorted(self) -> list[dict]:
        return [error for row in sorted(self.by_row) for error in self.by_row[row]]


def rows_check(
    rows: list[Row],
    record_type: str,
    *,
    links: dict[int, int] | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    duplicates: bool = True,
) -> Checked:
    """Check the rows, of `record_type` unless a row names its own (a workbook's sheet). `links`: rows
    (by number) the author linked to an existing record instead of creating one; their `$ref` then names
    that record. `progress(n)` is told how many rows are checked; `cancelled()` stops the check between
    two chunks."""
    types = {row.number: row.record_type or record_type for row in rows}
    specs = {name: registry.get(name) for name in dict.fromkeys(types.values())}
    fields = {name: {f.name: f for f in table_fields(spec)} for name, spec in specs.items()}
    errors = _Errors(fields, types, record_type)
    links = links or {}
    for row in rows:
        for column, message in row.errors:
            errors.add(row.number, column, message)

    targets = _targets(rows, errors, types)
    bases = _bases(targets)
    entries: list[tuple[Row, review.ItemInput]] = []
    linked_refs: dict[str, int] = {}
    for name, spec in specs.items():
        of_type = [row for row in rows if types[row.number] == name]
        mine = {targets[row.number] for row in of_type if row.number in targets}
        shown = (
            _representations(spec, {key: bases[key] for key in mine if key in bases})
            if any(row.data is None for row in of_type)
            else {}
        )
        label_of = _source_labels(of_type, fields[name])
        for row in of_type:
            if row.number in errors.by_row:
                continue
            item = _item(row, name, targets.get(row.number), bases, shown, fields[name], label_of, errors)
            if item is None:
                continue
            if item.action == ProposalAction.CREATE and row.number in links:
                linked_refs[item.ref] = links[row.number]
                continue
            entries.append((row, item))
    entries.sort(key=lambda entry: entry[0].number)  # the file's order

    for name, spec in specs.items():
        _resolve_references(spec, [entry for entry in entries if entry[1].record_type == name], linked_refs, errors)
    entries = [(row, item) for row, item in entries if row.number not in errors.by_row]

    checked = Checked()
    if entries:
        try:
            items_prepare([item for _, item in entries], max_items=len(entries))
        except review.ProposalInvalid as exc:
            for index, problems in exc.errors.items():
                errors.add_tree(entries[index][0].number, problems)
            entries = [entry for index, entry in enumerate(entries) if index not in exc.errors]
    refs = {item.ref: item.record_type for _, item in entries if item.action == ProposalAction.CREATE}
    published_types: dict[int, str | None] = {}
    for name, spec in specs.items():
        published_types |= _published_types(spec, [item for _, item in entries if item.record_type == name])
    cache = {"_published_types": published_types}
    valid: list[tuple[Row, review.ItemInput]] = []
    done = len(rows) - len(entries)
    for start in range(0, len(entries), CHUNK):
        if cancelled is not None and cancelled():
            checked.cancelled = True
            return checked
        chunk = entries[start : start + CHUNK]
        try:
            items_validate([item for _, item in chunk], refs=refs, cache=cache)
            failed: dict = {}
        except review.ProposalInvalid as exc:
            failed = exc.errors
            for index, problems in failed.items():
                errors.add_tree(chunk[index][0].number, problems)
        valid += [entry for index, entry in enumerate(chunk) if index not in failed]
        done += len(chunk)
        if progress is not None:
            progress(done)

    counts = {"create": 0, "update": 0, "unchanged": 0}
    for row, item in valid:
        if item.action == ProposalAction.UPDATE and item.data == bases.get((item.record_id, item.base_revision)):
            counts["unchanged"] += 1
            continue
        counts[item.action] += 1
        checked.items.append(item)
        checked.rows.append(row.number)
    checked.counts = {**counts, "linked": len(links), "invalid": len(errors.by_row)}
    checked.errors = errors.sorted()
    if duplicates:
        for name, spec in specs.items():
            pairs = [(n, item) for n, item in zip(checked.rows, checked.items, strict=True) if item.record_type == name]
            of_type = SimpleNamespace(rows=[n for n, _ in pairs], items=[item for _, item in pairs])
            checked.duplicates += duplicates_find(spec, of_type)
        checked.duplicates.sort(key=lambda entry: (entry["row"], entry["record"]))
    checked.preview = [
        {
            "row": number,
            "action": item.action,
            "record": item.record_id,
            "base_revision": item.base_revision,
            "ref": item.ref or None,
            "name": record_name(item.data),
        }
        for number, item in zip(checked.rows[:PREVIEW_ROWS], checked.items[:PREVIEW_ROWS], strict=True)
    ]
    sheets = {row.number: row.sheet for row in rows if row.sheet}
    if sheets:
        _locate(checked, sheets, types)
    return checked


def _locate(checked: Checked, sheets: dict[int, str], types: dict[int, str]) -> None:
    """In a workbook of several sheets: each entry names its row's sheet, type and row in that sheet; a
    duplicate keeps the import's own number of its row as `key` (what `link` names)."""
    for entry in (*checked.errors, *checked.preview, *checked.duplicates):
        number = entry["row"]
        if number is None:
            continue
        if "reason" in entry:
            entry["key"] = number
        entry.update(sheet=sheets.get(number, ""), record_type=types.get(number, ""), row=number % SHEET_SPAN)


# ------------------------------------------------------------------ rows into changes


def _targets(rows: list[Row], errors: _Errors, types: dict[int, str]) -> dict[int, tuple[int, int | None]]:
    """The record (and base revision) each row with an `id` updates, by row number; a row whose `id`
    names a record of another type (a place's id on a sheet of sources) is an error of its `id`."""
    targets = {}
    for row in rows:
        meta = row.cells if row.data is None else row.data
        ident, revision = str(meta.get("id") or "").strip(), str(meta.get("revision") or "").strip()
        if not ident:
            continue
        if not ident.isdigit() or (revision and not revision.isdigit()):
            errors.add(row.number, "id" if not ident.isdigit() else "revision", gettext("Expected a number."))
            continue
        targets[row.number] = (int(ident), int(revision) if revision else None)
    found = Record.objects.filter(pk__in=[pk for pk, _ in targets.values()])
    current = {pk: (number, kind) for pk, number, kind in found.values_list("pk", "revision", "record_type")}
    for number, (pk, _revision) in list(targets.items()):
        kind, other = current.get(pk, (None, types[number]))[1], types[number]
        if kind != other:
            names = {"id": pk, "type": registry.get(kind).verbose_name, "expected": registry.get(other).verbose_name}
            errors.add(number, "id", gettext("Record %(id)s is a %(type)s; expected %(expected)s.") % names)
            del targets[number]
    return {number: (pk, revision or current.get(pk, (None,))[0]) for number, (pk, revision) in targets.items()}


def _bases(targets: dict[int, tuple[int, int | None]]) -> dict[tuple[int, int], dict]:
    """The snapshots of the revisions the updates are based on, in one query."""
    pairs = [(pk, number) for pk, number in targets.values() if number]
    if not pairs:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.record_id, r.number, r.snapshot FROM records_revision r"
            " JOIN unnest(%s::bigint[], %s::int[]) AS t(record_id, number)"
            " ON r.record_id = t.record_id AND r.number = t.number",
            [[pk for pk, _ in pairs], [n for _, n in pairs]],
        )
        return {
            (pk, number): json.loads(snapshot) if isinstance(snapshot, str) else snapshot
            for pk, number, snapshot in cursor.fetchall()
        }


def _source_labels(rows: list[Row], fields: dict[str, TableField]) -> Callable[[Any], str]:
    """The titles of the sources the rows cite (a citation cell shows "title locator")."""
    ids = {
        int(part)
        for row in rows
        for name, table in fields.items()
        if table.kind == "citations"
        for part in row.cells.get(f"{name}_source_ids", "").split(";")
        if part.strip().isdigit()
    }
    labels = dict(Record.objects.filter(pk__in=ids).values_list("pk", "label")) if ids else {}
    return lambda ref: labels.get(ref, "")


def _item(row, record_type, target, bases, shown_bases, fields, label_of, errors) -> review.ItemInput | None:
    meta = row.cells if row.data is None else row.data
    declared_type = str(meta.get("type") or "").strip()
    if declared_type and declared_type != record_type:
        errors.add(row.number, "type", gettext("This import holds %(type)s records.") % {"type": record_type})
        return None
    ref = str(meta.get("ref") or "").strip()
    if ref and not ref.startswith("$"):
        ref = "$" + ref
    if target is None:
        item = review.ItemInput(action=ProposalAction.CREATE, record_type=record_type, ref=ref or f"$row{row.number}")
    else:
        item = review.ItemInput(
            action=ProposalAction.UPDATE, record_type=record_type, record_id=target[0], base_revision=target[1]
        )
    if row.data is not None:
        item.data = {key: value for key, value in row.data.items() if key not in (*IDENTITY, "ref")}
        return item
    base = bases.get(target) if target else None
    shown = shown_bases.get(target) if target else None
    for name, table in fields.items():
        if table.kind == "identity" or not any(column in row.cells for column in table.column_names):
            continue
        cells = {column: row.cells.get(column, "") for column in table.column_names}
        if target is None and not any(cells.values()):
            continue  # a new record's empty cells: the fields' defaults
        if shown is not None:
            before = table.cells(shown.get(name))
            if all(str(before[c]).strip() == cells[c] for c in table.column_names if c in row.cells):
                continue  # as exported: unchanged (even where the cells show less than the field holds)
        try:
            item.data[name] = table.parse(cells, base.get(name) if base else None, label_of)
        except CellInvalid as exc:
            errors.add(row.number, exc.column, exc.message)
    return None if row.number in errors.by_row else item


def _representations(spec, bases: dict[tuple[int, int], dict]) -> dict[tuple[int, int], dict]:
    """How the export showed each base revision (linked names in English), to tell unchanged cells."""
    wanted = set().union(*(linked_ids(spec, snapshot) for snapshot in bases.values())) if bases else set()
    linked = {
        pk: Linked(kind, label, labels or {})
        for pk, kind, label, labels in Record.objects.filter(pk__in=wanted).values_list(
            "id", "record_type", "label", "labels"
        )
    }
    return {
        key: represent(spec, Identity(key[0], spec.name, key[1], None), snapshot, linked, "en")
        for key, snapshot in bases.items()
    }


# ------------------------------------------------------------------ references


def _resolve_references(spec, entries, linked_refs: dict[str, int], errors: _Errors) -> None:
    """Ids written as text become numbers, `scheme:id` (wikidata:Q232, iso:KZ) the published record with
    that authority id, and a "$ref" of a row linked to an existing record that record's id."""
    schema_fields = spec.schema().fields
    wanted: dict[str, set[str]] = defaultdict(set)
    found_refs = []
    for row, item in entries:
        for path, value in reference_values(schema_fields, item.data):
            if isinstance(value, str):
                found_refs.append((row, item, path, value))
                scheme, sep, ident = value.partition(":")
                if sep and not is_new_ref(value):
                    wanted[scheme.strip().lower()].add(ident.strip())
    authority = authority_lookup(wanted)
    for row, item, path, value in found_refs:
        scheme, sep, ident = value.partition(":")
        if is_new_ref(value):
            resolved: Any = linked_refs.get(value, value)
        elif value.strip().isdigit():
            resolved = int(value.strip())
        elif sep and (scheme.strip().lower(), ident.strip()) in authority:
            resolved = authority[(scheme.strip().lower(), ident.strip())]
        else:
            message = (
                gettext("No published record has the authority id %(id)s.")
                if sep
                else gettext("Expected a record's id, an authority id such as wikidata:Q232 or iso:KZ, or a $ref.")
            ) % {"id": value[:60]}
            errors.add(row.number, errors.column(("data", *path), row.number), message)
            continue
        _set(item.data, path, resolved)
    for _row, item in entries:
        for path, value in reference_values(schema_fields, item.data):
            if is_new_ref(value) and value in linked_refs:
                _set(item.data, path, linked_refs[value])


def _set(data: Any, path: tuple, value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _published_types(spec, items: list[review.ItemInput]) -> dict[int, str | None]:
    """The published types of every record the changes refer to, in one query (validation reads them)."""
    schema_fields = spec.schema().fields
    ids = {
        value
        for item in items
        for _, value in reference_values(schema_fields, item.data)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63
    }
    found = dict(Record.objects.published().filter(pk__in=ids).values_list("pk", "record_type"))
    return {pk: found.get(pk) for pk in ids}
