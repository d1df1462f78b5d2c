"""/api/v1/search/: every published record (or those of some types), best matches first."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from records.api.pagination import linked_response
from records.api.serializers import SearchHitSerializer, SearchPage, SearchParamsSerializer
from records.api.views.base import APIView
from records.reads.search import RELEVANCE_MAX_ROWS, decode_offset, encode_offset, search_all


class SearchView(APIView):
    """Search every published record (or those of `type`): best matches first, with highlighted snippets.

    Relevance results go RELEVANCE_MAX_ROWS deep; `next` is null after that.
    """

    page_size = 20
    max_page_size = 100

    @extend_schema(parameters=[SearchParamsSerializer], responses=SearchPage)
    def get(self, request: Request) -> Response:
        params = SearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        size = params.validated_data["page_size"]
        try:
            offset = decode_offset(params.validated_data.get("cursor"))
        except ValueError as exc:
            raise ValidationError({"cursor": [str(exc)]}) from exc
        results = search_all(
            params.validated_data["q"], types=params.validated_data.get("type") or None, limit=size, offset=offset
        )

        def link(new_offset: int) -> str:
            url = request.build_absolute_uri()
            if not new_offset:
                return remove_query_param(url, "cursor")
            return replace_query_param(url, "cursor", encode_offset(new_offset))

        links = {
            "next": link(offset + size) if results.has_more and offset + size < RELEVANCE_MAX_ROWS else None,
            "previous": link(max(0, offset - size)) if offset else None,
        }
        data = SearchHitSerializer(results.hits, many=True, context={"request": request}).data
        return linked_response({**links, "results": data}, links)
