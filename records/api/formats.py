"""Output formats of the record endpoints, chosen by `Accept` or `?format=`.

| format    | media type                                | for                          |
|-----------|-------------------------------------------|------------------------------|
| json      | application/json                          | every type (the default)     |
| csv       | text/csv                                  | every type, lists and details|
| xlsx      | application/vnd.openxmlformats-…sheet     | every type: the CSV's columns|
| jsonld    | application/ld+json                       | every type (schema.org)      |
| geojson   | application/geo+json                      | places                       |
| csljson   | application/vnd.citationstyles.csl+json   | sources                      |
| bibtex    | application/x-bibtex                      | sources                      |

A `Writer` turns records (their API JSON plus the model instance) into text piece by piece —
`begin`, one `item` per record, `end` — so the same code renders a page and streams a whole export
in bounded memory. Errors never go through these renderers: they are always JSON (see views).
XLSX is the CSV's rows and columns in a workbook (`XLSXWriter`): its rows go to a write-only
workbook's temporary file as they come, and the zip is made at `end` (its directory comes last).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from drf_spectacular.types import OpenApiTypes
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from records.content.registry import RecordTypeSpec
from records.formats import citing, exports, jsonld, table
from records.formats.table import dumps

# ------------------------------------------------------------------ renderers (negotiation only)


class TextRenderer(BaseRenderer):
    """Passes through text that a Writer made; the view never hands it anything else."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, bytes):
            return data
        if isinstance(data, str):
            return data.encode("utf-8")
        return json.dumps(data, cls=JSONEncoder, ensure_ascii=False).encode("utf-8")


class JSONLikeRenderer(TextRenderer):
    charset = None  # JSON is UTF-8 by definition (RFC 8259): no charset parameter


class CSVRenderer(TextRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(TextRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None  # a binary file


class JSONLDRenderer(JSONLikeRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class GeoJSONRenderer(JSONLikeRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class CSLJSONRenderer(JSONLikeRenderer):
    media_type = "application/vnd.citationstyles.csl+json"
    format = "csljson"


class BibTeXRenderer(TextRenderer):
    media_type = "application/x-bibtex"
    format = "bibtex"


class GEXFRenderer(TextRenderer):
    media_type = "application/gexf+xml"
    format = "gexf"


class GraphMLRenderer(TextRenderer):
    media_type = "application/graphml+xml"
    format = "graphml"


def format_responses(renderers) -> dict:
    """An endpoint's OpenAPI responses, one per format its renderers give: JSON and JSON-like formats
    are objects, XLSX a binary file, the others text."""
    return {
        (200, renderer.media_type): OpenApiTypes.BINARY
        if renderer is XLSXRenderer
        else OpenApiTypes.STR
        if issubclass(renderer, TextRenderer) and not issubclass(renderer, JSONLikeRenderer)
        else OpenApiTypes.OBJECT
        for renderer in renderers
    }


# The formats a type may add to JSON, CSV and JSON-LD (`RecordTypeSpec.extra_formats`).
EXTRA_RENDERERS = {renderer.format: renderer for renderer in (GeoJSONRenderer, CSLJSONRenderer, BibTeXRenderer)}


def renderers_for(spec: RecordTypeSpec) -> list[type[BaseRenderer]]:
    return [
        JSONRenderer,
        CSVRenderer,
        XLSXRenderer,
        JSONLDRenderer,
        *(EXTRA_RENDERERS[name] for name in spec.extra_formats),
    ]


# ------------------------------------------------------------------ writers


@dataclass
class ExportContext:
    spec: RecordTypeSpec
    base_url: str  # scheme://host of the request, for absolute links
    links: dict[str, str | None] = field(default_factory=dict)  # next/previous page URLs


class Writer:
    extension = "txt"
    # Whether `item` reads the model instance beside the record's JSON: if not, the rows are loaded as
    # keys only (no prefetches), and everything shown comes from the read model.
    reads_records = True

    def begin(self, ctx: ExportContext) -> str:
        return ""

    def item(self, ctx: ExportContext, row: dict, record, first: bool) -> str:
        raise NotImplementedError

    def end(self, ctx: ExportContext) -> str | bytes:
        return ""

    def detail(self, ctx: ExportContext, row: dict, record) -> str | bytes:
        return exports.write_page(self, ctx, [row], [record])


class JSONWriter(Writer):
    """The same shape as a JSON page ({"next", "previous", "results"}), holding every row."""

    extension = "json"
    reads_records = False

    def begin(self, ctx):
        return '{"next":null,"previous":null,"results":['

    def item(self, ctx, row, record, first):
        return ("" if first else ",") + dumps(row)

    def end(self, ctx):
        return "]}"


# --- CSV and XLSX


class TableWriter(Writer):
    """One row per record; nested values flattened: names with roles and ids of linked records,
    names per language, codes and aliases joined by ";" (records/formats/table.py)."""

    reads_records = False

    def __init__(self, spec: RecordTypeSpec) -> None:
        fields = table.table_fields(spec)
        self.spec = spec
        self.columns = [column for field in fields for column in field.columns]
        self.sources = {column: field.name for field in fields for column in field.column_names}

    def header(self) -> list[str]:
        return [column for column, _ in self.columns]

    def cells(self, row: dict) -> list[str]:
        """The record's cells as text, unescaped."""
        value = [read(row.get(self.sources[column])) for column, read in self.columns]
        return ["" if cell is None else str(cell) for cell in value]


class CSVWriter(TableWriter):
    """A text cell a spreadsheet would run as a formula is escaped with an apostrophe (table.safe_cell)."""

    extension = "csv"

    def _line(self, values: list) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(values)
        return buffer.getvalue()

    def begin(self, ctx):
        return self._line(self.header())

    def item(self, ctx, row, record, first):
        return self._line([table.safe_cell(cell) for cell in self.cells(row)])


class XLSXWriter(TableWriter):
    """The CSV's columns and rows in one sheet named by the record type (so that an import of a workbook
    of several sheets knows each sheet's type). Every cell is a text cell, never a formula, whatever it
    begins with (marked quotePrefix as well, so that a spreadsheet keeps it text when it is edited)."""

    extension = "xlsx"

    def __init__(self, spec: RecordTypeSpec, extra: tuple[str, ...] = ()) -> None:
        super().__init__(spec)
        self.extra = extra  # columns after the export's (a template's `ref`)
        self.book: Workbook | None = None

    def _append(self, values: list[str]) -> None:
        sheet = self.book.worksheets[0]
        sheet.append([self._text(sheet, value) for value in values])

    @staticmethod
    def _text(sheet, value: str) -> str | WriteOnlyCell | None:
        """A text cell: as it is, or, when it begins like a formula or is an error code (#N/A), typed as
        text explicitly (openpyxl would take it for a formula or an error); empty cells are not written.
        Control characters XML cannot hold are dropped."""
        if not value:
            return None
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value.startswith(table.FORMULA_START) and value not in ERROR_CODES:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type, cell.quotePrefix = "s", True
        return cell

    def begin(self, ctx):
        self.book = Workbook(write_only=True)
        self.book.create_sheet(self.spec.name)
        self._append(self.header() + list(self.extra))
        return ""

    def item(self, ctx, row, record, first):
        self._append(self.cells(row))
        return ""

    def end(self, ctx) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        self.book = None
        return out.getvalue()


def csv_template(spec: RecordTypeSpec) -> str:
    """The header of a type's CSV export (plus the import's `ref` column): a template to fill in and import."""
    return CSVWriter(spec).begin(None).rstrip("\r\n") + ",ref\r\n"


def xlsx_template(spec: RecordTypeSpec) -> bytes:
    """The same template as a workbook: one sheet named by the type, its header the CSV template's."""
    writer = XLSXWriter(spec, extra=("ref",))
    writer.begin(None)
    return writer.end(None)


# --- GeoJSON, JSON-LD, CSL-JSON, BibTeX


class GeoJSONWriter(Writer):
    """A FeatureCollection of places (RFC 7946); a place without coordinates has a null geometry."""

    extension = "geojson"

    def feature(self, row: dict, record) -> dict:
        geometry = None
        if record.latitude is not None and record.longitude is not None:
            geometry = {"type": "Point", "coordinates": [float(record.longitude), float(record.latitude)]}
        properties = {
            key: row.get(key)
            for key in ("id", "type", "name", "names", "kind", "iso_code", "parent", "revision", "url", "web_url")
        }
        return {"type": "Feature", "id": record.pk, "geometry": geometry, "properties": properties}

    def begin(self, ctx):
        return '{"type":"FeatureCollection","features":['

    def item(self, ctx, row, record, first):
        return ("" if first else ",") + dumps(self.feature(row, record))

    def end(self, ctx):
        links = [{"rel": rel, "href": href, "type": "application/geo+json"} for rel, href in ctx.links.items() if href]
        return "]" + (',"links":' + dumps(links) if links else "") + "}"

    def detail(self, ctx, row, record):
        return dumps(self.feature(row, record))


class JSONLDWriter(Writer):
    """A list is one JSON-LD document with the records in its @graph; a detail is one node."""

    extension = "jsonld"

    def begin(self, ctx):
        return '{"@context":' + dumps(jsonld.CONTEXT) + ',"@graph":['

    def item(self, ctx, row, record, first):
        return ("" if first else ",") + dumps(jsonld.record_node(record, row, base_url=ctx.base_url))

    def end(self, ctx):
        return "]}"

    def detail(self, ctx, row, record):
        return dumps(jsonld.record_document(record, row, base_url=ctx.base_url))


class CSLJSONWriter(Writer):
    """An array of CSL-JSON items (what Zotero and citeproc read), for a list and a detail alike."""

    extension = "json"

    def begin(self, ctx):
        return "["

    def item(self, ctx, row, record, first):
        return ("" if first else ",") + dumps(citing.source_csl(record, ctx.base_url))

    def end(self, ctx):
        return "]"


class BibTeXWriter(Writer):
    """A list starts with a comment line, so that one without sources is still a BibTeX file (an empty
    body would be sent with no content type at all); a detail is the one entry."""

    extension = "bib"

    def begin(self, ctx):
        return "% Bailanys: sources in BibTeX\n\n"

    def item(self, ctx, row, record, first):
        return ("" if first else "\n") + citing.sources_bibtex([record])

    def detail(self, ctx, row, record):
        return self.item(ctx, row, record, True)


def writer_for(format_name: str, spec: RecordTypeSpec) -> Writer:
    writers: dict[str, Callable[[], Writer]] = {
        "json": JSONWriter,
        "csv": lambda: CSVWriter(spec),
        "xlsx": lambda: XLSXWriter(spec),
        "geojson": GeoJSONWriter,
        "jsonld": JSONLDWriter,
        "csljson": CSLJSONWriter,
        "bibtex": BibTeXWriter,
    }
    return writers[format_name]()
