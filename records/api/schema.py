"""The OpenAPI description (drf-spectacular), made exact where introspection cannot be.

- `AutoSchema` adds to every operation the errors it can answer (with the one error shape), the
  schema of each output format (CSV text, GeoJSON, JSON-LD, CSL-JSON, BibTeX), and the headers of
  the HTTP conventions it follows (ETag/If-None-Match, If-Match, Link, Location, Retry-After).
- Field extensions: a reference to a record is an integer id in responses, and an id or the "$ref"
  of a new record of the same change set in requests; a vocabulary term is its code.
- `ProposalInputSerializer` is described as what it accepts: one change — create/update per record
  type with that type's state as `data` (partial for an update), withdraw, revert — or a change set
  of such changes under `items`.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter

from records.api.serializers import ErrorSerializer
from records.content.registry import registry
from records.content.schemas import RecordRef, VocabularyField
from records.models.base import MAX_ID

ERROR_DESCRIPTIONS = {
    400: "Bad input: a field, filter or parameter is invalid (`errors` names each), or the body is not valid JSON.",
    401: "Not signed in (this endpoint needs an account), or the token or credentials sent are invalid.",
    403: "Signed in, but without the right to do this (e.g. approving one's own proposal), or the CSRF check failed.",
    404: "No such thing, or not one the caller may see.",
    406: "The format asked for (Accept or ?format=) is not available here.",
    409: "The record changed since the proposal's base revision in the same fields, or the proposal is not in a "
    "state that allows this step.",
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
    "application/ld+json": (JSONLD_LIST, JSONLD_DETAIL),
    "application/geo+json": (GEOJSON_COLLECTION, GEOJSON_FEATURE),
    "application/vnd.citationstyles.csl+json": (CSL_LIST, CSL_LIST),
    "application/x-bibtex": (BIBTEX_SCHEMA, BIBTEX_SCHEMA),
}
CHANGE_ACTIONS = ("approve", "reject", "submit", "withdraw", "claim", "comments")


class AutoSchema(openapi.AutoSchema):
    def get_serializer_name(self, serializer, direction) -> str:
        # Content schemas (records/content/schemas.py) were published as `<Type>State` components;
        # the names stay, so that clients generated from the schema keep working.
        name = super().get_serializer_name(serializer, direction)
        return name.removesuffix("Schema") + "State" if name.endswith("Schema") else name

    def _action(self) -> str | None:
        return getattr(self.view, "action", None)

    def _is_record_view(self) -> bool:
        return hasattr(self.view, "spec") and self._action() in ("list", "retrieve")

    def _is_change_create(self) -> bool:
        return self.view.__class__.__name__ == "ChangeViewSet" and self._action() == "create"

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_record_view() and self._action() == "list":
            parameters += [
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
        if self._is_record_view() and self._action() == "retrieve":
            parameters += [
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
        if self._is_change_create():
            parameters += [
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description='The ETag of the record being changed (or `"<id>-r<revision>"`; several, '
                    "comma-separated, for a change set): 412 if a record has moved on since. A change without "
                    "`base_revision` takes it from here.",
                ),
                OpenApiParameter(
                    "Location", str, OpenApiParameter.HEADER, response=[201], description="The new proposal"
                ),
            ]
        return parameters

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if self._is_record_view():
            self._document_formats(operation)
        self._document_errors(operation)
        return operation

    def _document_formats(self, operation: dict) -> None:
        listing = self._action() == "list"
        content = operation["responses"]["200"]["content"]
        for media_type in content:
            if media_type in FORMAT_SCHEMAS:
                content[media_type] = {"schema": FORMAT_SCHEMAS[media_type][0 if listing else 1]}
        if not listing:
            operation["responses"]["304"] = {
                "description": "Not modified: the ETag named in If-None-Match is current.",
                "headers": operation["responses"]["200"].get("headers", {}),
            }

    def error_codes(self, operation: dict) -> set[int]:
        codes = {401, 406, 429}
        has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        if has_query or self.method == "POST":
            codes.add(400)
        if "{" in self.path:
            codes.add(404)
        if self.method == "POST":
            codes |= {403, 413, 415}
        action = self._action()
        if hasattr(self.view, "spec") and action == "retrieve":
            codes.add(410)
        if self._is_change_create():
            codes |= {409, 412}
        if self.view.__class__.__name__ == "ChangeViewSet" and action in CHANGE_ACTIONS and action != "comments":
            codes.add(409)
        return codes

    def _document_errors(self, operation: dict) -> None:
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for code in sorted(self.error_codes(operation)):
            response = {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": error}}}
            if code == 429:
                response["headers"] = RETRY_AFTER
            operation["responses"].setdefault(str(code), response)


# ------------------------------------------------------------------ fields


class RecordRefExtension(OpenApiSerializerFieldExtension):
    target_class = RecordRef

    def map_serializer_field(self, auto_schema, direction):
        expected = " or ".join(self.target.types)
        integer = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
        if direction == "response":
            return {**integer, "description": f"Id of a {expected}"}
        return {
            "oneOf": [integer, {"type": "string", "pattern": r"^\$[A-Za-z0-9_-]{1,39}$"}],
            "description": f'Id of a published {expected}, or the "$ref" of a new {expected} in the same change set',
        }


class VocabularyFieldExtension(OpenApiSerializerFieldExtension):
    target_class = VocabularyField

    def map_serializer_field(self, auto_schema, direction):
        from records.content.vocabularies import vocabulary_of_model

        name = vocabulary_of_model(self.target.vocabulary).name
        return {
            "type": "string",
            "pattern": r"^[a-z0-9_]+$",
            "maxLength": 60,
            "description": f"A code of the `{name}` vocabulary (/api/v1/vocabularies/{name}/)",
        }


class SnapshotFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "records.api.serializers.SnapshotField"

    def map_serializer_field(self, auto_schema, direction):
        return auto_schema.resolve_serializer(self.target.spec.schema, "response").ref


# ------------------------------------------------------------------ proposals


def _register(auto_schema, name: str, schema: dict) -> dict:
    component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
    auto_schema.registry.register_on_missing(component)
    return component.ref


COMMON = {
    "summary": {"type": "string", "maxLength": 500, "description": "What the change does and why"},
    "draft": {"type": "boolean", "default": False, "description": "Keep it a draft instead of submitting it"},
}
RECORD = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID, "description": "The record's id"}
REVISION = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


class ProposalInputExtension(OpenApiSerializerExtension):
    target_class = "records.api.serializers.ProposalInputSerializer"

    def get_name(self, auto_schema, direction):
        return "ProposalInput"

    def map_serializer(self, auto_schema, direction):
        names = registry.names()
        variants = []
        for spec in registry:
            title = spec.name.capitalize()
            full = auto_schema.resolve_serializer(spec.schema, direction).ref
            partial = auto_schema.resolve_serializer(spec.schema(partial=True), direction).ref
            variants.append(
                _register(
                    auto_schema,
                    f"Create{title}Change",
                    {
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
                            "data": {**full, "description": f"The new {spec.name}"},
                            **COMMON,
                        },
                    },
                )
            )
            variants.append(
                _register(
                    auto_schema,
                    f"Update{title}Change",
                    {
                        "type": "object",
                        "required": ["action", "record_type", "record", "data"],
                        "properties": {
                            "action": {"type": "string", "enum": ["update"]},
                            "record_type": {"type": "string", "enum": [spec.name]},
                            "record": RECORD,
                            "base_revision": {
                                **REVISION,
                                "description": "The revision the change is based on (required unless If-Match "
                                "names it)",
                            },
                            "data": {
                                **partial,
                                "description": "The fields to change; the others keep their values at base_revision",
                            },
                            **COMMON,
                        },
                    },
                )
            )
        variants.append(
            _register(
                auto_schema,
                "WithdrawChange",
                {
                    "type": "object",
                    "required": ["action", "record_type", "record"],
                    "properties": {
                        "action": {"type": "string", "enum": ["withdraw"]},
                        "record_type": {"type": "string", "enum": names},
                        "record": RECORD,
                        "base_revision": {**REVISION, "description": "Required unless If-Match names it"},
                        **COMMON,
                    },
                },
            )
        )
        variants.append(
            _register(
                auto_schema,
                "RevertChange",
                {
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
                },
            )
        )
        change_set = _register(
            auto_schema,
            "ChangeSet",
            {
                "type": "object",
                "required": ["items"],
                "properties": {
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 100,
                        "items": {"oneOf": variants},
                        "description": "Changes approved or rejected together; new records refer to each other "
                        'by "$ref"',
                    },
                    **COMMON,
                },
            },
        )
        return {
            "oneOf": [*variants, change_set],
            "description": "One change, or a change set under `items`. Submitted for review at once unless `draft`.",
        }
