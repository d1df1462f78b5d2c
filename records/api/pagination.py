"""DRF pagination on records/pagination.py: `?ordering=` one of ORDERS, `?page_size=` up to 500,
`?cursor=` from `next`/`previous`. The response is {"next", "previous", "results"}."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from records.pagination import DEFAULT_ORDER, ORDERS, BadCursor, keyset_page

MAX_PAGE_SIZE = 500


class KeysetPagination(BasePagination):
    page_size = 50

    def page_params(self, request) -> tuple[str, int, str | None]:
        order = request.query_params.get("ordering") or DEFAULT_ORDER
        if order not in ORDERS:
            raise ValidationError({"ordering": [f"Use one of: {', '.join(ORDERS)}."]})
        raw_size = request.query_params.get("page_size") or str(self.page_size)
        if not raw_size.isdigit() or not 1 <= int(raw_size) <= MAX_PAGE_SIZE:
            raise ValidationError({"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]})
        return order, int(raw_size), request.query_params.get("cursor") or None

    def paginate_queryset(self, queryset, request, view=None):
        order, size, cursor = self.page_params(request)
        try:
            self.page = keyset_page(queryset, order=order, cursor=cursor, size=size)
        except BadCursor as exc:
            raise ValidationError({"cursor": [str(exc)]}) from exc
        self.request = request
        return self.page.rows

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, "cursor", cursor) if cursor else remove_query_param(url, "cursor")

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "Opaque cursor from `next` or `previous`.",
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": self.page_size},
            },
            {
                "name": "ordering",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": list(ORDERS), "default": DEFAULT_ORDER},
            },
        ]
