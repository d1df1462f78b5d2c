"""Reading an uploaded file into rows, refusing what is not safe to read.

A table (CSV, XLSX) gives rows of cells by column, read back by the export's own column definitions
(records/formats/table.py); BibTeX, CSL-JSON and GeoJSON give rows that already hold a record's fields.
Nothing in a file is ever run: a CSV cell or XLSX cell that a spreadsheet would treat as a formula is
an error of its row (an exported cell escaped with a leading apostrophe is read without it), and an
XLSX is opened only after its zip directory shows it small, unencrypted and free of macros.

A workbook holds one record type per sheet, named by its type (records/imports/spreadsheets.py); its
rows are numbered SHEET_SPAN apart per sheet, so that each row has its own number, its sheet and type.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import bibtexparser
from django.conf import settings
from django.utils.translation import gettext
from pylatexenc.latex2text import LatexNodes2Text

from records.content.registry import registry
from records.dates import edtf
from records.formats import citing
from records.formats.table import FORMULA_START, IDENTITY, is_number, table_fields
from records.imports.spreadsheets import Sheet, SpreadsheetRefused, sheet_types, xlsx_sheets
from records.models import ImportFormat

# Import-only columns: `ref` names a new row so that other rows can link to it ("$kz").
EXTRA_COLUMNS = ("ref",)
XLSX_MAX_UNPACKED_FACTOR = 5  # a workbook may unpack to at most 5 × IMPORT_MAX_BYTES
SHEET_SPAN = 10_000_000  # the rows of a workbook's n-th sheet (from 0) are numbered n × SHEET_SPAN + their row


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why."""


@dataclass
class Row:
    """One row of the file: `number` as a spreadsheet shows it (the header is row 1) or the entry's
    position (1, 2, ...) in BibTeX, CSL-JSON and GeoJSON."""

    number: int
    cells: dict[str, str] = field(default_factory=dict)  # a table's cells by column
    data: dict[str, Any] | None = None  # or the record's fields, from the other formats
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    record_type: str = ""  # the row's type, in a workbook of several sheets (else the import's)
    sheet: str = ""  # the title of the row's sheet, in a workbook of several sheets


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 20_000_000)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 50_000)


def format_of(filename: str, declared: str = "") -> str:
    """The format named by the client, else by the file's extension."""
    if declared:
        if declared not in ImportFormat.values:
            raise FileRefused(
                gettext("Unknown format %(format)s; use one of: %(formats)s.")
                % {"format": repr(declared[:20]), "formats": ", ".join(ImportFormat.values)}
            )
        return declared
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    by_extension = {
        "csv": ImportFormat.CSV,
        "xlsx": ImportFormat.XLSX,
        "xlsm": ImportFormat.XLSX,
        "bib": ImportFormat.BIBTEX,
        "json": ImportFormat.CSLJSON,
        "geojson": ImportFormat.GEOJSON,
    }
    if extension not in by_extension:
        raise FileRefused(
            gettext("Cannot tell the file's format from its name; name it .csv, .xlsx, .bib, .json or .geojson.")
        )
    return by_extension[extension]


def record_type_for(file_format: str, declared: str) -> str:
    """The record type of the file's rows: sources for BibTeX and CSL-JSON, places for GeoJSON."""
    fixed = {ImportFormat.BIBTEX: "source", ImportFormat.CSLJSON: "source", ImportFormat.GEOJSON: "place"}
    if file_format in fixed:
        if declared and declared != fixed[file_format]:
            raise FileRefused(
                gettext("A %(format)s file holds %(type)s records.")
                % {"format": ImportFormat(file_format).label, "type": fixed[file_format]}
            )
        return fixed[file_format]
    if not declared and file_format == ImportFormat.XLSX:
        return ""  # the sheets' names say (read_rows)
    if not declared:
        raise FileRefused(gettext("Say which record type the table holds (record_type)."))
    if registry.find(declared) is None:
        raise FileRefused(
            gettext("Unknown record type; use one of: %(types)s.") % {"types": ", ".join(registry.names())}
        )
    return declared


def read_rows(content: bytes, file_format: str, record_type: str) -> list[Row]:
    """The file's rows. Raises FileRefused for a file that cannot be read at all."""
    if len(content) > max_bytes():
        raise FileRefused(gettext("The file is larger than %(max)s bytes.") % {"max": max_bytes()})
    if not content.strip():
        raise FileRefused(gettext("The file is empty."))
    if file_format == ImportFormat.XLSX:
        try:
            sheets = xlsx_sheets(content, max_unpacked=XLSX_MAX_UNPACKED_FACTOR * max_bytes())
        except SpreadsheetRefused as exc:
            raise FileRefused(str(exc)) from None
        rows = _workbook_rows(sheets, record_type)
    else:
        text = _text(content)
        if file_format == ImportFormat.CSV:
            rows = _csv_rows(text, record_type)
        elif file_format == ImportFormat.BIBTEX:
            rows = _bibtex_rows(text)
        elif file_format == ImportFormat.CSLJSON:
            rows = _csl_rows(_json(text))
        else:
            rows = _geojson_rows(_json(text))
    if not rows:
        raise FileRefused(gettext("The file holds no records."))
    if len(rows) > max_rows():
        raise FileRefused(gettext("The file holds more than %(max)s records; split it.") % {"max": max_rows()})
    return rows


def _text(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            gettext("The file is not UTF-8 text (byte %(at)s); save it as UTF-8 and upload it again.")
            % {"at": exc.start}
        ) from None
    if "\x00" in text:
        raise FileRefused(gettext("The file holds NUL characters: it is not a text file."))
    return text


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise FileRefused(gettext("The file is not valid JSON: %(error)s") % {"error": str(exc)[:200]}) from None


# ------------------------------------------------------------------ tables


def known_columns(record_type: str) -> list[str]:
    """The columns a table of this type may have: the export's, and `ref`."""
    return [c for f in table_fields(registry.get(record_type)) for c in f.column_names] + list(EXTRA_COLUMNS)


def _csv_rows(text: str, record_type: str) -> list[Row]:
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise FileRefused(gettext("The file is not valid CSV: %(error)s") % {"error": str(exc)[:200]}) from None
    if not lines:
        raise FileRefused(gettext("The file is empty."))
    return _table_rows(lines[0], lines[1:], record_type)


def _workbook_rows(sheets: list[Sheet], record_type: str) -> list[Row]:
    """The rows of every sheet (of the type `sheet_types` gives it), numbered SHEET_SPAN apart per sheet."""
    try:
        typed = sheet_types(sheets, record_type)
    except SpreadsheetRefused as exc:
        raise FileRefused(str(exc)) from None
    rows = []
    for index, ((title, header, body), found) in enumerate(zip(sheets, typed, strict=True)):
        try:
            sheet_rows = _table_rows(header, body, found)
        except FileRefused as exc:
            if len(sheets) == 1:
                raise
            raise FileRefused(gettext("Sheet %(sheet)s: %(error)s") % {"sheet": repr(title), "error": exc}) from None
        for row in sheet_rows:
            row.number += index * SHEET_SPAN
            row.record_type, row.sheet = found, title if len(sheets) > 1 else ""
        rows += sheet_rows
    return rows


def _table_rows(header: list[str], body: list[list[Any]], record_type: str) -> list[Row]:
    header = [str(name or "").strip() for name in header]
    known = known_columns(record_type)
    unknown = [name for name in header if name and name not in known]
    if unknown:
        raise FileRefused(
            gettext("Unknown columns: %(columns)s. A %(type)s table has the columns: %(known)s.")
            % {"columns": ", ".join(unknown[:20]), "type": record_type, "known": ", ".join(known)}
        )
    seen = {name for name in header if header.count(name) > 1 and name}
    if seen:
        raise FileRefused(gettext("Columns named twice: %(columns)s.") % {"columns": ", ".join(sorted(seen))})
    rows = []
    for index, line in enumerate(body, start=2):
        if not any(str(cell or "").strip() for cell in line):
            continue  # a blank line
        row = Row(number=index)
        if len(line) > len(header):
            row.errors.append(("", gettext("The row has more cells than the header has columns.")))
        for name, cell in zip(header, line, strict=False):
            if not name:
                continue
            row.cells[name] = _cell(row, name, cell)
        rows.append(row)
    return rows


def _cell(row: Row, column: str, cell: Any) -> str:
    """A cell's text; a formula is an error (an apostrophe-escaped one is read as text)."""
    text = "" if cell is None else str(cell)
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    if text.startswith(FORMULA_START) and not is_number(text):
        row.errors.append(
            (
                column,
                gettext(
                    "The cell starts with %(char)s, which a spreadsheet runs as a formula; "
                    "write it with a leading apostrophe (') to mean the text."
                )
                % {"char": repr(text[0])},
            )
        )
        return ""
    return text.strip()


# ------------------------------------------------------------------ BibTeX and CSL-JSON (sources)

BIBTEX_KINDS = {"article": "journal_article", "book": "book", "inbook": "book", "incollection": "book"}
BIBTEX_KINDS |= {"online": "web_page", "techreport": "report", "report": "report", "misc": "report"}
CSL_KINDS = {"article-journal": "journal_article", "article-newspaper": "newspaper_article", "book": "book"}
CSL_KINDS |= {"webpage": "web_page", "report": "report", "manuscript": "report", "chapter": "book"}


def _bibtex_rows(text: str) -> list[Row]:
    library = bibtexparser.parse_string(text)  # LaTeX decoded field by field: braces mark literal names
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise FileRefused(
            gettext("The BibTeX file cannot be read near line %(line)s.") % {"line": (block.start_line or 0) + 1}
        )
    rows = []
    for index, entry in enumerate(library.entries, start=1):
        raw = {key.lower(): str(getattr(value, "value", value)).strip() for key, value in entry.fields_dict.items()}
        fields = {key: _latex(value) for key, value in raw.items()}
        data: dict[str, Any] = {
            "kind": BIBTEX_KINDS.get(entry.entry_type.lower(), "report"),
            "title": _unbrace(fields.get("title", "")),
        }
        for key, name in citing.BIBTEX_FIELDS:
            key = ("journal" if "journal" in fields else "booktitle") if key == "container" else key
            if fields.get(key):
                data[name] = _unbrace(fields[key])
        for key in ("author", "editor"):
            if raw.get(key):
                data[f"{key}s"] = [_bibtex_person(name) for name in re.split(r"\s+and\s+", _unwrap(raw[key])) if name]
        if fields.get("year"):
            data["date"] = fields["year"]
        if raw.get("pages"):
            data["pages"] = _unwrap(raw["pages"]).replace("--", "-")
        if fields.get("urldate"):
            data["accessed"] = fields["urldate"][:10]
        rows.append(Row(number=index, data=data))
    return rows


def _latex(value: str) -> str:
    return LatexNodes2Text().latex_to_text(value).strip()


def _unwrap(value: str) -> str:
    """A field's value without the braces or quotes around it all."""
    value = value.strip()
    if len(value) > 1 and value[0] + value[-1] in ("{}", '""'):
        return value[1:-1].strip()
    return value


def _unbrace(value: str) -> str:
    return value.replace("{", "").replace("}", "").strip()


def _bibtex_person(name: str) -> dict:
    name = name.strip()
    if name.startswith("{") and name.endswith("}"):
        return {"literal": _latex(name)}
    name = _latex(name)
    if "," in name:
        family, _, given = name.partition(",")
        return {"family": family.strip(), "given": given.strip()}
    given, _, family = name.rpartition(" ")
    return {"family": family, "given": given} if given else {"family": family}


def _csl_rows(items: Any) -> list[Row]:
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise FileRefused(gettext("A CSL-JSON file holds a list of items."))
    rows = []
    for index, item in enumerate(items, start=1):
        row = Row(number=index)
        if not isinstance(item, dict):
            row.errors.append(("", gettext("Expected an object.")))
            row.data = {}
            rows.append(row)
            continue
        data: dict[str, Any] = {
            "kind": CSL_KINDS.get(str(item.get("type", "")), "report"),
            "title": item.get("title", ""),
        }
        for key, name in citing.CSL_FIELDS:
            if item.get(key) not in (None, ""):
                data[name] = str(item[key])
        for key in ("author", "editor"):
            if isinstance(item.get(key), list):
                data[f"{key}s"] = [
                    {k: v for k, v in person.items() if k in ("family", "given", "literal")}
                    for person in item[key]
                    if isinstance(person, dict)
                ]
        if item.get("page"):
            data["pages"] = str(item["page"])
        issued = _csl_date(item.get("issued"))
        if issued:
            data["date"] = issued
        accessed = _csl_date(item.get("accessed"))
        if accessed and re.fullmatch(r"\d{4}-\d{2}-\d{2}", accessed):
            data["accessed"] = accessed
        row.data = data
        rows.append(row)
    return rows


def _csl_date(value: Any) -> str:
    """EDTF from a CSL date: its date-parts (a year, month or day, or a range of two), else its raw text."""
    if not isinstance(value, dict):
        return ""
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and all(isinstance(p, list) and p for p in parts):
        dates = ["-".join(f"{int(n):02d}" if i else f"{int(n):04d}" for i, n in enumerate(p[:3])) for p in parts[:2]]
        return dates[0] if len(dates) == 1 or dates[0] == dates[1] else f"{dates[0]}/{dates[1]}"
    raw = str(value.get("raw", "")).strip()
    try:
        edtf.parse(raw)
    except Exception:
        return ""
    return raw


# ------------------------------------------------------------------ GeoJSON (places)


def _geojson_rows(document: Any) -> list[Row]:
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise FileRefused(gettext("A GeoJSON file holds a FeatureCollection of places."))
    known = {name for name in registry.get("place").schema().fields} | set(IDENTITY) | set(EXTRA_COLUMNS)
    rows = []
    for index, feature in enumerate(document.get("features") or [], start=1):
        row = Row(number=index, data={})
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            row.errors.append(("", gettext("A feature needs its properties (name, kind, ...).")))
            rows.append(row)
            continue
        unknown = sorted(key for key in properties if key not in known)
        for key in unknown[:20]:
            row.errors.append((key, gettext("Unknown property.")))
        row.data = {key: value for key, value in properties.items() if key in known}
        geometry = feature.get("geometry")
        if isinstance(geometry, dict):
            coordinates = geometry.get("coordinates")
            if geometry.get("type") != "Point" or not isinstance(coordinates, list) or len(coordinates) < 2:
                row.errors.append(("geometry", gettext("A place's geometry is a Point.")))
            else:
                row.data["longitude"], row.data["latitude"] = (str(c) for c in coordinates[:2])
        rows.append(row)
    return rows
