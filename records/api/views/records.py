"""API views: one generic viewset serves every record type; proposals, search and vocabularies have
their own.

Views are thin: parse, fetch through a permission-aware queryset, call one domain function, render.
Whatever format a client asks for, errors are JSON (`APIView.finalize_response` below).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework import views as drf_views
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from records.api import schema as api_schema  # noqa: F401  (registers the OpenAPI extensions)
from records.api.errors import Gone
from records.api.etags import check_if_match, if_none_match, record_etag
from records.api.formats import ExportContext, dumps, renderers_for, writer_for
from records.api.negotiation import FormatNegotiation
from records.api.pagination import KeysetPagination, link_header, page_size_of
from records.api.serializers import (
    ClaimSerializer,
    CommentSerializer,
    DecisionSerializer,
    ProposalInputSerializer,
    ProposalSerializer,
    RejectionSerializer,
    RevisionPage,
    RevisionSerializer,
    SearchHitSerializer,
    SearchPage,
    SearchParamsSerializer,
    VocabularySerializer,
    VocabularySummarySerializer,
    read_serializer,
    revision_serializer,
)
from records.api.throttling import EXPORT_PARAM_VALUES, ExportThrottle
from records.content.registry import RecordTypeSpec, registry
from records.content.vocabularies import VOCABULARIES, vocabulary
from records.models import Comment, Proposal, ProposalItem, ProposalStatus, Record, RecordStatus, Revision
from records.models.base import MAX_ID
from records.reads.filters import filterset_for, vocabulary_errors
from records.reads.pagination import DEFAULT_ORDER, keyset_page
from records.reads.search import RELEVANCE_MAX_ROWS, decode_offset, encode_offset, search_all
from records.workflow import review

# Rows fetched per query while streaming an export (each batch: one query per prefetch).
EXPORT_BATCH = 500


def export_max_rows() -> int:
    """The most rows one `?all=1` export streams (settings.API_EXPORT_MAX_ROWS)."""
    return getattr(settings, "API_EXPORT_MAX_ROWS", 100_000)


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
    if not text.isdigit() or not 0 < int(text) <= MAX_ID:
        raise review.NotFound("Not found.")
    return int(text)


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
        """400 for a kind, sphere or indicator code that names no term (see records/filters.py)."""
        errors = vocabulary_errors(self.filterset_class(data=self.request.query_params, queryset=self.get_queryset()))
        if errors:
            raise ValidationError(errors)

    def wants_all(self) -> bool:
        value = self.request.query_params.get("all")
        if value is None or value.lower() in ("", "0", "false"):
            return False
        if value.lower() in EXPORT_PARAM_VALUES:
            return True
        raise ValidationError({"all": ["Use all=1 to export every matching record, or leave it out."]})

    def list(self, request: Request) -> Response:
        export_all = self.wants_all()
        queryset = self.filter_queryset(self.get_queryset())
        fmt = request.accepted_renderer.format
        if export_all:
            return self.export(queryset, fmt)
        rows = self.paginator.paginate_queryset(queryset, request, view=self)
        if not rows:
            self.check_vocabulary_codes()
        data = self.get_serializer(rows, many=True).data
        if fmt == "json":
            return self.paginator.get_paginated_response(data)
        links = self.paginator.links()
        writer = writer_for(fmt, self.spec)
        ctx = self.export_context(links)
        body = writer.begin(ctx)
        body += "".join(
            writer.item(ctx, row, record, index == 0)
            for index, (row, record) in enumerate(zip(data, rows, strict=True))
        )
        body += writer.end(ctx)
        response = Response(body)
        if link_header(links):
            response["Link"] = link_header(links)
        return response

    def export(self, queryset, fmt: str) -> StreamingHttpResponse:
        """Stream every matching record, EXPORT_BATCH at a time by keyset, in bounded memory.

        Refused (400) when more than `export_max_rows()` records match: a bounded count tells.
        The order is `ordering` when given, else the default (relevance does not stream).
        """
        self.check_vocabulary_codes()
        order = self.paginator.order_of(self.request)
        if order == "relevance":
            order = DEFAULT_ORDER
        cap = export_max_rows()
        if queryset.order_by().values("pk")[: cap + 1].count() > cap:
            raise ValidationError(
                {
                    "all": [
                        f"More than {cap} records match; one export holds at most {cap}. Narrow the "
                        "filters (e.g. date_after/date_before, country) or page through the list with cursor."
                    ]
                }
            )
        writer = writer_for(fmt, self.spec)
        ctx = self.export_context()
        context = self.get_serializer_context()
        serializer_class = self.get_serializer_class()

        def chunks():
            yield writer.begin(ctx)
            cursor, first = None, True
            while True:
                page = keyset_page(queryset, order=order, cursor=cursor, size=EXPORT_BATCH)
                data = serializer_class(page.rows, many=True, context=context).data
                parts = []
                for row, record in zip(data, page.rows, strict=True):
                    parts.append(writer.item(ctx, row, record, first))
                    first = False
                yield "".join(parts)
                if not page.next_cursor:
                    break
                cursor = page.next_cursor
            yield writer.end(ctx)

        renderer = self.request.accepted_renderer
        content_type = renderer.media_type + (f"; charset={renderer.charset}" if renderer.charset else "")
        response = StreamingHttpResponse((chunk.encode("utf-8") for chunk in chunks()), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.spec.plural}.{writer.extension}"'
        return response

    # ---------------------------------------------------------------- detail

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        record = self._record_any_status(pk)
        if record.status == RecordStatus.WITHDRAWN:
            raise Gone(
                detail=f"{self.spec.verbose_name.capitalize()} {record.pk} was withdrawn at revision "
                f"{record.revision}; its history remains at {record.get_absolute_url()}history/."
            )
        instance = self.get_queryset().get(pk=record.pk)
        data = self.get_serializer(instance).data
        fmt = request.accepted_renderer.format
        etag = record_etag(instance, fmt, get_language() or "", dumps(data))
        if if_none_match(request.headers.get("If-None-Match"), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        body = data if fmt == "json" else writer_for(fmt, self.spec).detail(self.export_context(), data, instance)
        return Response(body, headers={"ETag": etag})

    def _record_any_status(self, pk) -> Record:
        return get_object_or_404(Record.objects.filter(record_type=self.spec.name), pk=parse_id(pk))

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
        context = {**self.get_serializer_context(), "record_type": self.spec.name}
        return paginator.get_paginated_response(RevisionSerializer(page, many=True, context=context).data)

    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>[0-9]{1,9})", url_name="revision")
    def revision(self, request: Request, pk: str | None = None, number: str | None = None) -> Response:
        """One revision: who proposed and approved it, and the record's complete state at it."""
        record = self._record_any_status(pk)
        revision = get_object_or_404(
            Revision.objects.select_related("author", "reviewer"), record=record, number=int(number)
        )
        context = {**self.get_serializer_context(), "record_type": self.spec.name}
        return Response(revision_serializer(self.spec)(revision, context=context).data)


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


# ------------------------------------------------------------------ search and vocabularies


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
        response = Response({**links, "results": data})
        if link_header(links):
            response["Link"] = link_header(links)
        return response


class VocabularyListView(APIView):
    """The controlled vocabularies: which codes `kind`, `sphere`, `indicator`, `role`... accept."""

    @extend_schema(responses=VocabularySummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        items = [{"spec": spec} for spec in VOCABULARIES.values()]
        return Response(VocabularySummarySerializer(items, many=True, context={"request": request}).data)


class VocabularyDetailView(APIView):
    """One vocabulary's terms: code, labels in English, Russian and Kazakh, whether still in use for new records."""

    @extend_schema(responses=VocabularySerializer)
    def get(self, request: Request, name: str) -> Response:
        spec = vocabulary(name)
        if spec is None:
            raise review.NotFound(f"No vocabulary {name[:40]!r}; see /api/v1/vocabularies/.")
        item = {"spec": spec, "terms": list(spec.model.objects.order_by("position", "code"))}
        return Response(VocabularySerializer(item, context={"request": request}).data)


# ------------------------------------------------------------------ proposals


class IsAuthenticated(permissions.IsAuthenticated):
    message = "Sign in (or send an API token) to see or make proposals."


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ProposalStatus.values, description="Only proposals in this state"),
            OpenApiParameter("mine", str, enum=["0", "1", "false", "true"], description="1: only your own"),
        ]
    )
)
class ChangeViewSet(JSONErrors, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals: create, revise, submit, withdraw, claim, approve, reject, discuss.

    Authors see their own; reviewers also see every submitted or decided proposal (the queue).
    """

    serializer_class = ProposalSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNegotiation
    lookup_value_regex = "[^/]+"
    single_item = True

    def get_queryset(self):
        queryset = Proposal.objects.visible_to(self.request.user).select_related("author", "reviewer", "claimed_by")
        queryset = queryset.prefetch_related(
            Prefetch("items", queryset=ProposalItem.objects.select_related("revision")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
        if self.action != "list":
            return queryset
        status_filter = self.request.query_params.get("status")
        if status_filter:
            if status_filter not in ProposalStatus.values:
                raise ValidationError({"status": [f"Use one of: {', '.join(ProposalStatus.values)}."]})
            queryset = queryset.filter(status=status_filter)
        mine = self.request.query_params.get("mine")
        if mine not in (None, "", "0", "false", "1", "true"):
            raise ValidationError({"mine": ["Use mine=1 (only your own proposals) or leave it out."]})
        if mine in ("1", "true"):
            queryset = queryset.filter(author=self.request.user)
        return queryset

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=parse_id(self.kwargs["pk"]))

    def get_serializer_class(self):
        return ProposalInputSerializer if self.action == "create" else ProposalSerializer

    def _respond(self, proposal: Proposal, code: int = status.HTTP_200_OK) -> Response:
        proposal = self.get_queryset().get(pk=proposal.pk)
        response = Response(ProposalSerializer(proposal, context=self.get_serializer_context()).data, status=code)
        if code == status.HTTP_201_CREATED:
            response["Location"] = reverse("api:change-detail", args=[proposal.pk])
        return response

    @extend_schema(request=ProposalInputSerializer, responses={201: ProposalSerializer})
    def create(self, request: Request) -> Response:
        payload = ProposalInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        raw_items = data.get("items", [data])
        self.single_item = "items" not in data
        if not review.can_propose(request.user):  # rights before preconditions: 403 rather than 412
            raise PermissionDenied(
                "Your account cannot propose changes yet; an administrator grants the researcher role."
            )
        if_match = request.headers.get("If-Match")
        if if_match is not None:
            changed = [item["record"] for item in raw_items if item["action"] != "create" and item.get("record")]
            named = check_if_match(if_match, changed)
            for item in raw_items:
                if item.get("base_revision") is None and item.get("record") in named:
                    item["base_revision"] = named[item["record"]]
        items = [
            review.ItemInput(
                action=item["action"],
                record_type=item["record_type"],
                record_id=item.get("record"),
                base_revision=item.get("base_revision"),
                revert_to=item.get("revert_to"),
                ref=item.get("ref", ""),
                data=item.get("data") or {},
            )
            for item in raw_items
        ]
        proposal = review.proposal_create(
            author=request.user, items=items, summary=data["summary"], draft=data["draft"]
        )
        return self._respond(proposal, status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        payload = DecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        proposal = review.proposal_approve(
            proposal_id=self._visible_pk(pk), reviewer=request.user, comment=payload.validated_data["comment"]
        )
        return self._respond(proposal)

    @extend_schema(request=RejectionSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        payload = RejectionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        proposal = review.proposal_reject(
            proposal_id=self._visible_pk(pk), reviewer=request.user, reason=payload.validated_data["reason"]
        )
        return self._respond(proposal)

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(review.proposal_submit(proposal_id=self._visible_pk(pk), author=request.user))

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(review.proposal_withdraw(proposal_id=self._visible_pk(pk), author=request.user))

    @extend_schema(request=ClaimSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str | None = None) -> Response:
        """Mark a submitted proposal as being reviewed by you (`release`: give it up again)."""
        payload = ClaimSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._respond(
            review.proposal_claim(
                proposal_id=self._visible_pk(pk), reviewer=request.user, release=payload.validated_data["release"]
            )
        )

    @extend_schema(request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["post"], serializer_class=CommentSerializer)
    def comments(self, request: Request, pk: str | None = None) -> Response:
        payload = CommentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = review.comment_add(
            proposal_id=self._visible_pk(pk), author=request.user, body=payload.validated_data["body"]
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    def _visible_pk(self, pk) -> int:
        """404 for proposals the caller may not see (before any rights check reveals they exist)."""
        pk = parse_id(pk)
        if not Proposal.objects.visible_to(self.request.user).filter(pk=pk).exists():
            raise review.NotFound("No such proposal.")
        return pk


def record_viewsets() -> list[tuple[str, type[RecordViewSet], str]]:
    return [(spec.plural, record_viewset(spec), spec.name) for spec in registry]
