"""What the API's views share: errors always in JSON, format negotiation, cursor pagination for lists
that are not records, and the parsing of path ids."""

from __future__ import annotations

from rest_framework import views as drf_views
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from records.api import schema_extensions  # noqa: F401  (registers the OpenAPI extensions)
from records.api.negotiation import FormatNegotiation
from records.api.pagination import page_size_of
from records.models.base import MAX_ID
from records.workflow import review


class JSONErrors:
    """Errors are rendered as JSON whatever format was negotiated (or failed to be)."""

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and getattr(response, "exception", False):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class APIView(JSONErrors, drf_views.APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNegotiation


class Pagination(CursorPagination):
    """Cursor pagination by id for lists that are not records (proposals, revisions)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"

    def get_page_size(self, request):
        return page_size_of(request, self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:  # DRF's answer to a bad cursor; it is bad input
            raise ValidationError({"cursor": ["Invalid cursor."]}) from exc


def parse_id(value) -> int:
    """A path id, or 404 (never a database error) for anything that cannot be a record's id."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise review.NotFound("Not found.")
    return int(text)
