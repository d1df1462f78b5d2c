"""DRF pagination on records/reads/pagination.py: `?ordering=` one of ORDERS, `?page_size=` up to 500,
`?cursor=` from `next`/`previous`. The response is {"next", "previous", "results"}; the same links
go into a `Link` header (rel="next"/"prev"), which is how the non-JSON formats page.

With `q` and no `ordering` (or `ordering=relevance`), rows come best match first; relevance pages
by offset and stops RELEVANCE_MAX_ROWS deep (records/reads/search.py). Any other ordering is a keyset:
no COUNT(*), no OFFSET, the same cost on every page.
"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from records.reads.pagination import DEFAULT_ORDER, ORDERS, BadCursor, keyset_page
from records.reads.search import RELEVANCE_MAX_ROWS, is_ranked, relevance_page

MAX_PAGE_SIZE = 500
RELEVANCE = "relevance"


def page_size_of(request, default: int, maximum: int = MAX_PAGE_SIZE) -> int:
    raw = request.query_params.get("page_size") or str(default)
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        raise ValidationError({"page_size": [f"Give a whole number from 1 to {maximum}."]})
    return int(raw)


def link_header(links: dict[str, str | None]) -> str:
    return ", ".join(
        f'<{url}>; rel="{rel}"' for rel, url in (("next", links.get("next")), ("prev", links.get("previous"))) if url
    )


def linked_response(body, links: dict[str, str | None]) -> Response:
    """A response whose page links are also in a `Link` header (when there are any)."""
    response = Response(body)
    if link_header(links):
        response["Link"] = link_header(links)
    return response


class KeysetPagination(BasePagination):
    page_size = 50

    def order_of(self, request, queryset=None) -> str:
        """The ordering of this request: the given one, relevance for a search, else the default."""
        order = request.query_params.get("ordering")
        ranked = queryset is not None and is_ranked(queryset)
        if order is None or order == "":
            return RELEVANCE if ranked else DEFAULT_ORDER
        if order == RELEVANCE:
            if queryset is not None and not ranked:
                raise ValidationError({"ordering": ["Ordering by relevance needs a search (q)."]})
            return order
        if order not in ORDERS:
            raise ValidationError({"ordering": [f"Use one of: {', '.join([*ORDERS, RELEVANCE])}."]})
        return order

    def page_params(self, request, queryset=None) -> tuple[str, int, str | None]:
        order = self.order_of(request, queryset)
        size = page_size_of(request, self.page_size)
        return order, size, request.query_params.get("cursor") or None

    def paginate_queryset(self, queryset, request, view=None):
        order, size, cursor = self.page_params(request, queryset)
        try:
            if order == RELEVANCE:
                self.page = relevance_page(queryset, cursor=cursor, size=size)
            else:
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

    def links(self) -> dict[str, str | None]:
        return {"next": self._link(self.page.next_cursor), "previous": self._link(self.page.previous_cursor)}

    def get_paginated_response(self, data) -> Response:
        links = self.links()
        return linked_response({**links, "results": data}, links)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri", "description": "The next page"},
                "previous": {"type": "string", "nullable": True, "format": "uri", "description": "The previous page"},
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
                "description": "Opaque cursor from `next` or `previous` (keep the other parameters unchanged).",
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": self.page_size},
                "description": f"Records per page, 1 to {MAX_PAGE_SIZE}.",
            },
            {
                "name": "ordering",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": [*ORDERS, RELEVANCE]},
                "description": "Sort key; `-` for descending. Default: `-updated`, or `relevance` when `q` is "
                f"given (relevance pages stop {RELEVANCE_MAX_ROWS} rows deep; other orderings never stop). "
                "`relevance` needs `q`.",
            },
        ]
