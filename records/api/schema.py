"""The OpenAPI description (drf-spectacular), made exact where introspection cannot be.

`AutoSchema` adds to every operation the errors it can answer (with the one error shape), the schema
of each output format (CSV text, GeoJSON, JSON-LD, CSL-JSON, BibTeX), and the headers of the HTTP
conventions it follows (ETag/If-None-Match, If-Match, Link, Location, Retry-After); the fixed parts
are in schema_components.py. The extensions for fields and proposals are in schema_extensions.py.
"""

from __future__ import annotations

from drf_spectacular import openapi

from records.api.schema_components import (
    CHANGE_CREATE_PARAMETERS,
    DETAIL_PARAMETERS,
    ERROR_DESCRIPTIONS,
    FORMAT_SCHEMAS,
    LIST_PARAMETERS,
    RETRY_AFTER,
)
from records.api.serializers import ErrorSerializer

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

    def _is_change_update(self) -> bool:
        """PUT /api/v1/changes/<id>/: the author revises a proposal with the body of a new one."""
        return self.view.__class__.__name__ == "ChangeViewSet" and self._action() == "update"

    def get_filter_backends(self):
        # The views' data (records/api/views/visual.py) answer one object, yet take the lists' filters.
        if getattr(self.view, "takes_list_filters", False):
            return list(self.view.filter_backends)
        return super().get_filter_backends()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_record_view() and self._action() == "list":
            parameters += LIST_PARAMETERS
        if self._is_record_view() and self._action() == "retrieve":
            parameters += DETAIL_PARAMETERS
        if self._is_change_create():
            parameters += CHANGE_CREATE_PARAMETERS
        if self._is_change_update():
            parameters += CHANGE_CREATE_PARAMETERS[:1]  # If-Match; no Location: the proposal keeps its URL
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
        if self.method in ("POST", "PUT"):
            codes |= {400, 403, 413, 415}
        action = self._action()
        if hasattr(self.view, "spec") and action == "retrieve":
            codes.add(410)
        if self._is_change_create() or self._is_change_update():
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
        if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
            # Answered by the HTTP server before the portal sees the request (gunicorn's limit_request_line,
            # 4094 bytes), so it is the server's page, not the portal's JSON.
            operation["responses"].setdefault(
                "414",
                {
                    "description": "The URL is longer than the server accepts (about 4 KB): shorten the query.",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                },
            )
