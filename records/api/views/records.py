"""/api/v1/<type>/: the published records of each type — lists, exports, details — with each record's
history and revisions. One generic viewset; `record_viewset(spec)` makes it a type's.
"""

from __future__ import annotations

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from records.api.errors import Gone
from records.api.etags import if_none_match, record_etag
from records.api.formats import ExportContext, dumps, renderers_for, writer_for
from records.api.negotiation import FormatNegotiation
from records.api.pagination import RELEVANCE, KeysetPagination, link_header, linked_response
from records.api.serializers import RevisionPage, RevisionSerializer, revision_serializer
from records.api.throttling import ExportThrottle
from records.api.views.base import JSONErrors, Pagination, parse_id
from records.content.registry import RecordTypeSpec, registry
from records.content.representation import read_serializer
from records.formats import exports
from records.models import Record, RecordStatus, Revision
from records.reads.filters import filterset_for, vocabulary_errors
from records.reads.pagination import DEFAULT_ORDER, keyset_page
from records.reads.readings import page_json, reading_published, readings_serve, with_host


class RecordViewSet(JSONErrors, viewsets.ReadOnlyModelViewSet):
    """Published records of one type. A withdrawn record answers 410 with its tombstone."""

    spec: RecordTypeSpec
    pagination_class = KeysetPagination
    content_negotiation_class = FormatNegotiation
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return self.spec.queryset()

    def get_serializer_class(self):
        return read_serializer(self.spec)

    def get_renderers(self):
        if self.action in ("history", "revision"):
            return [JSONRenderer()]
        return [renderer() for renderer in renderers_for(self.spec)]

    def get_throttles(self):
        return [*super().get_throttles(), ExportThrottle()]

    def export_context(self, links: dict | None = None) -> ExportContext:
        return ExportContext(self.spec, self.request.build_absolute_uri("/").rstrip("/"), links or {})

    # ---------------------------------------------------------------- list

    def check_vocabulary_codes(self) -> None:
        """400 for a kind, sphere or indicator code that names no term (see records/reads/filters.py)."""
        errors = vocabulary_errors(self.filterset_class(data=self.request.query_params, queryset=self.get_queryset()))
        if errors:
            raise ValidationError(errors)

    def wants_all(self) -> bool:
        try:
            return exports.wants_all(self.request.query_params.get("all"))
        except ValueError:
            raise ValidationError({"all": ["Use all=1 to export every matching record, or leave it out."]}) from None

    def list(self, request: Request) -> Response:
        export_all = self.wants_all()
        fmt = request.accepted_renderer.format
        if fmt == "json" and not export_all:
            return self.list_json(request)
        reads_records = writer_for(fmt, self.spec).reads_records
        queryset = self.filter_queryset(self.get_queryset() if reads_records else self.keys())
        if export_all:
            return self.export(queryset, fmt)
        rows = self.paginator.paginate_queryset(queryset, request, view=self)
        if not rows:
            self.check_vocabulary_codes()
        data = self.stored(rows)
        links = self.paginator.links()
        body = exports.write_page(writer_for(fmt, self.spec), self.export_context(links), data, rows)
        return linked_response(body, links)

    def list_json(self, request: Request) -> HttpResponse:
        """A JSON page joined from the read model's bodies: the page's rows are only keys (one index scan),
        the bodies one more query, whatever the page size."""
        keys = self.filter_queryset(self.keys())
        rows = self.paginator.paginate_queryset(keys, request, view=self)
        if not rows:
            self.check_vocabulary_codes()
        bodies = readings_serve([row.pk for row in rows], get_language() or "")
        base = self.base_url()
        links = self.paginator.links()
        page = page_json([with_host(bodies[row.pk], base) for row in rows], links)
        return self.linked(HttpResponse(page, content_type="application/json"), links)

    def stored(self, rows: list[Record]) -> list[dict]:
        """The API JSON of these records, from the read model: what the writers of the other formats read."""
        bodies = readings_serve([row.pk for row in rows], get_language() or "")
        base = self.base_url()
        return [json.loads(with_host(bodies[row.pk], base)) for row in rows]

    def keys(self):
        """The type's published records as keys only (what ordering and paging read): their JSON comes
        from the read model."""
        published = self.spec.model.objects.filter(record_type=self.spec.name, status=RecordStatus.PUBLISHED)
        return published.only("id", "label", "date_lower", "updated_at")

    def base_url(self) -> str:
        return self.request.build_absolute_uri("/").rstrip("/")

    @staticmethod
    def linked(response: HttpResponse, links: dict) -> HttpResponse:
        header = link_header(links)
        if header:
            response["Link"] = header
        return response

    def export(self, queryset, fmt: str) -> StreamingHttpResponse:
        """Every matching record in one streamed response (records/formats/exports.py); 400 when there are
        more than one export holds. The order is `ordering` when given, else the default (relevance does
        not stream)."""
        self.check_vocabulary_codes()
        order = self.paginator.order_of(self.request)
        if order == RELEVANCE:
            order = DEFAULT_ORDER
        renderer = self.request.accepted_renderer
        try:
            return exports.export_response(
                queryset,
                lambda cursor, size: keyset_page(queryset, order=order, cursor=cursor, size=size),
                writer=writer_for(fmt, self.spec),
                ctx=self.export_context(),
                serialize=self.stored,
                content_type=renderer.media_type + (f"; charset={renderer.charset}" if renderer.charset else ""),
                name=self.spec.plural,
            )
        except exports.TooManyRows as exc:
            raise ValidationError(
                {
                    "all": [
                        f"More than {exc.cap} records match; one export holds at most {exc.cap}. Narrow the "
                        "filters (e.g. date_after/date_before, country) or page through the list with cursor."
                    ]
                }
            ) from None

    # ---------------------------------------------------------------- detail

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        if request.accepted_renderer.format == "json":  # a published record's JSON: one query
            found = reading_published(parse_id(pk), self.spec.name, get_language() or "")
            if found is not None:
                revision, stored = found
                return self.retrieve_json(request, Record(pk=parse_id(pk), revision=revision), stored)
        record = self._record_any_status(pk)
        if record.status == RecordStatus.WITHDRAWN:
            raise Gone(
                detail=f"{self.spec.verbose_name.capitalize()} {record.pk} was withdrawn at revision "
                f"{record.revision}; its history remains at {record.get_absolute_url()}history/."
            )
        fmt = request.accepted_renderer.format
        if fmt == "json":
            return self.retrieve_json(request, record)
        instance = self.get_queryset().get(pk=record.pk)
        data = self.stored([instance])[0]
        etag = record_etag(instance, fmt, get_language() or "", dumps(data))
        if if_none_match(request.headers.get("If-None-Match"), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        body = data if fmt == "json" else writer_for(fmt, self.spec).detail(self.export_context(), data, instance)
        return Response(body, headers={"ETag": etag})

    def retrieve_json(self, request: Request, record: Record, stored: str | None = None) -> HttpResponse:
        """The record's body from the read model, as is (`stored` when already read)."""
        language = get_language() or ""
        if stored is None:
            stored = readings_serve([record.pk], language)[record.pk]
        body = with_host(stored, self.base_url())
        etag = record_etag(record, "json", language, body)
        if if_none_match(request.headers.get("If-None-Match"), etag):
            return HttpResponse(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return HttpResponse(body, content_type="application/json", headers={"ETag": etag})

    def _record_any_status(self, pk) -> Record:
        return get_object_or_404(Record.objects.filter(record_type=self.spec.name), pk=parse_id(pk))

    def _revision_context(self) -> dict:
        return {**self.get_serializer_context(), "record_type": self.spec.name}

    @extend_schema(
        responses=RevisionPage,
        parameters=[
            OpenApiParameter("cursor", str, description="Opaque cursor from `next` or `previous`."),
            OpenApiParameter("page_size", int, description="Revisions per page, 1 to 500 (default 50)."),
        ],
    )
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        """The record's revisions, newest first (also for a withdrawn record)."""
        record = self._record_any_status(pk)
        revisions = Revision.objects.filter(record=record).select_related("author", "reviewer")
        paginator = Pagination()
        page = paginator.paginate_queryset(revisions, request, view=self)
        return paginator.get_paginated_response(
            RevisionSerializer(page, many=True, context=self._revision_context()).data
        )

    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>[0-9]{1,9})", url_name="revision")
    def revision(self, request: Request, pk: str | None = None, number: str | None = None) -> Response:
        """One revision: who proposed and approved it, and the record's complete state at it."""
        record = self._record_any_status(pk)
        revision = get_object_or_404(
            Revision.objects.select_related("author", "reviewer"), record=record, number=int(number)
        )
        return Response(revision_serializer(self.spec)(revision, context=self._revision_context()).data)


def record_viewset(spec: RecordTypeSpec) -> type[RecordViewSet]:
    viewset = type(
        f"{spec.name.capitalize()}ViewSet",
        (RecordViewSet,),
        {
            "spec": spec,
            "filterset_class": filterset_for(spec),
            "renderer_classes": renderers_for(spec),
            "__doc__": f"Published {spec.verbose_name_plural}.",
        },
    )
    return extend_schema_view(revision=extend_schema(responses=revision_serializer(spec)))(viewset)


def record_viewsets() -> list[tuple[str, type[RecordViewSet], str]]:
    return [(spec.plural, record_viewset(spec), spec.name) for spec in registry]
