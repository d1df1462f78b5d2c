"""The fixed parts of the OpenAPI description (records/api/schema.py): what each error means, the
schemas of the output formats other than JSON, the headers and parameters the record and proposal
endpoints add, and the shapes of one change of a proposal."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter

from records.content.registry import RecordTypeSpec
from records.models.base import MAX_ID

# ------------------------------------------------------------------ errors and output formats

ERROR_DESCRIPTIONS = {
    400: "Bad input: a field, filter or parameter is invalid (`errors` names each), or the body is not valid JSON.",
    401: "Not signed in (this endpoint needs an account), or the token or credentials sent are invalid.",
    403: "Signed in, but without the right to do this (e.g. approving one's own proposal), or the CSRF check failed.",
    404: "No such thing, or not one the caller may see.",
    406: "The format asked for (Accept or ?format=) is not available here.",
    409: "The record changed since the proposal's base revision in the same fields, the proposal is not in a "
    "state that allows this step, or (approving) it was revised since the `version` named.",
    410: "The record was withdrawn; its history remains.",
    412: "If-Match names a revision that is no longer the record's current one.",
    413: "The request body is too large.",
    415: "The request body is not JSON.",
    429: "Too many requests; wait `Retry-After` seconds.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer", "minimum": 1}, "description": "Seconds to wait"}}

CSV_SCHEMA = {
    "type": "string",
    "description": "RFC 4180 CSV with a header row, UTF-8. Nested values are flattened: linked records as "
    "`name (role)` and their ids, names per language (`names_en`, `names_ru`, `names_kk`), codes, aliases and "
    "ids joined by `;`. Text that a spreadsheet would run as a formula starts with an apostrophe.",
}
XLSX_SCHEMA = {
    "type": "string",
    "format": "binary",
    "description": "An XLSX workbook of one sheet named by the record type: the CSV's header and rows, every cell "
    "a text cell (never a formula, whatever it begins with).",
}
BIBTEX_SCHEMA = {"type": "string", "description": "BibTeX entries (LaTeX-escaped)."}
JSONLD_NODE = {
    "type": "object",
    "required": ["@id", "@type"],
    "properties": {
        "@id": {"type": "string", "format": "uri"},
        "@type": {"type": "string"},
        "name": {"type": "string"},
    },
    "additionalProperties": True,
    "description": "A schema.org node: Place/Country/AdministrativeArea..., Organization, Person, Legislation "
    "(agreements), Event, Observation (statistics), CreativeWork/ArchiveComponent (sources).",
}
JSONLD_CONTEXT = {"type": "object", "properties": {"@vocab": {"type": "string"}}}
JSONLD_LIST = {
    "type": "object",
    "required": ["@context", "@graph"],
    "properties": {"@context": JSONLD_CONTEXT, "@graph": {"type": "array", "items": JSONLD_NODE}},
}
JSONLD_DETAIL = {
    **JSONLD_NODE,
    "required": ["@context", "@id", "@type"],
    "properties": {**JSONLD_NODE["properties"], "@context": JSONLD_CONTEXT},
}
GEOJSON_FEATURE = {
    "type": "object",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "integer"},
        "geometry": {
            "type": "object",
            "nullable": True,
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"type": "string", "enum": ["Point"]},
                "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
            },
            "description": "[longitude, latitude]; null for a place without coordinates",
        },
        "properties": {"type": "object", "additionalProperties": True},
    },
}
GEOJSON_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": GEOJSON_FEATURE},
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"rel": {"type": "string"}, "href": {"type": "string"}, "type": {"type": "string"}},
            },
        },
    },
}
CSL_ITEM = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {"id": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"}},
    "additionalProperties": True,
}
CSL_LIST = {"type": "array", "items": CSL_ITEM, "description": "CSL-JSON items (Citation Style Language)."}
FORMAT_SCHEMAS = {
    # media type → (list schema, detail schema)
    "text/csv": (CSV_SCHEMA, CSV_SCHEMA),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (XLSX_SCHEMA, XLSX_SCHEMA),
    "application/ld+json": (JSONLD_LIST, JSONLD_DETAIL),
    "application/geo+json": (GEOJSON_COLLECTION, GEOJSON_FEATURE),
    "application/vnd.citationstyles.csl+json": (CSL_LIST, CSL_LIST),
    "application/x-bibtex": (BIBTEX_SCHEMA, BIBTEX_SCHEMA),
}


# ------------------------------------------------------------------ headers and parameters

LIST_PARAMETERS = [
    OpenApiParameter(
        "all",
        str,
        enum=["0", "1", "false", "true"],
        description="`1`: stream every matching record in one response (for the export formats, and "
        "JSON); `page_size` and `cursor` are then ignored and the order is `ordering` or the default. "
        "Refused (400) when more records match than the configured export limit (100,000 by default).",
    ),
    OpenApiParameter(
        "Link",
        str,
        OpenApiParameter.HEADER,
        response=[200],
        description='The next and previous pages: `<url>; rel="next", <url>; rel="prev"`',
    ),
]
DETAIL_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        description="An ETag from an earlier response: 304 without a body if the record is unchanged.",
    ),
    OpenApiParameter(
        "ETag",
        str,
        OpenApiParameter.HEADER,
        response=[200, 304],
        required=True,
        description='`"<id>-r<revision>-<digest>"`: the revision shown and a digest of this '
        "representation. Send it as If-Match with a proposal to change the record.",
    ),
]
CHANGE_CREATE_PARAMETERS = [
    OpenApiParameter(
        "If-Match",
        str,
        OpenApiParameter.HEADER,
        description='The ETag of the record being changed (or `"<id>-r<revision>"`; several, '
        "comma-separated, for a change set): 412 if a record has moved on since. A change without "
        "`base_revision` takes it from here.",
    ),
    OpenApiParameter("Location", str, OpenApiParameter.HEADER, response=[201], description="The new proposal"),
]


# ------------------------------------------------------------------ the changes of a proposal

COMMON = {
    "summary": {"type": "string", "maxLength": 500, "description": "What the change does and why"},
    "draft": {"type": "boolean", "default": False, "description": "Keep it a draft instead of submitting it"},
}
RECORD = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID, "description": "The record's id"}
REVISION = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def create_change(spec: RecordTypeSpec, data: dict) -> dict:
    """A new record of one type; `data`: the reference to the type's state."""
    return {
        "type": "object",
        "required": ["action", "record_type", "data"],
        "properties": {
            "action": {"type": "string", "enum": ["create"]},
            "record_type": {"type": "string", "enum": [spec.name]},
            "ref": {
                "type": "string",
                "pattern": r"^\$[A-Za-z0-9_-]{1,39}$",
                "description": 'Name of the new record within a change set (e.g. "$org1"), for '
                "other changes of the set to refer to",
            },
            "data": {**data, "description": f"The new {spec.name}"},
            **COMMON,
        },
    }


def update_change(spec: RecordTypeSpec, data: dict) -> dict:
    """Changed fields of a record of one type; `data`: the reference to the type's partial state."""
    return {
        "type": "object",
        "required": ["action", "record_type", "record", "data"],
        "properties": {
            "action": {"type": "string", "enum": ["update"]},
            "record_type": {"type": "string", "enum": [spec.name]},
            "record": RECORD,
            "base_revision": {
                **REVISION,
                "description": "The revision the change is based on (required unless If-Match names it)",
            },
            "data": {
                **data,
                "description": "The fields to change; the others keep their values at base_revision",
            },
            **COMMON,
        },
    }


def withdraw_change(names: list[str]) -> dict:
    return {
        "type": "object",
        "required": ["action", "record_type", "record"],
        "properties": {
            "action": {"type": "string", "enum": ["withdraw"]},
            "record_type": {"type": "string", "enum": names},
            "record": RECORD,
            "base_revision": {**REVISION, "description": "Required unless If-Match names it"},
            **COMMON,
        },
    }


def revert_change(names: list[str]) -> dict:
    return {
        "type": "object",
        "required": ["action", "record_type", "record", "revert_to"],
        "properties": {
            "action": {"type": "string", "enum": ["revert"]},
            "record_type": {"type": "string", "enum": names},
            "record": RECORD,
            "revert_to": {**REVISION, "description": "The revision whose state to restore"},
            "base_revision": {**REVISION, "description": "Default: the current revision"},
            **COMMON,
        },
    }


def change_set(variants: list[dict]) -> dict:
    """Several changes under `items`; `variants`: references to the shapes of one change."""
    return {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {
                "type": "array",
                "minItems": 1,
                "maxItems": 100,
                "items": {"oneOf": variants},
                "description": 'Changes approved or rejected together; new records refer to each other by "$ref"',
            },
            **COMMON,
        },
    }
