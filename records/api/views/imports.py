"""/api/v1/imports/: upload a file for a dry run, follow its check, propose it as one change set, cancel it.

Each action parses its input, calls one function of records.imports.running, and answers with the
import as it now is.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from records.api.formats import CSVRenderer, XLSXRenderer, csv_template, format_responses, xlsx_template
from records.api.negotiation import FormatNegotiation
from records.api.views.base import JSONErrors, parse_id
from records.content.registry import registry
from records.imports import running
from records.imports.files import FileRefused, max_bytes
from records.models import Import, ImportFormat, ImportStatus


class IsAuthenticated(permissions.IsAuthenticated):
    message = "Sign in (or send an API token) to import records."


class ImportSerializer(serializers.ModelSerializer):
    """An import as its author follows it: status and progress, errors by row and column, possible
    duplicates, a preview of the changes, and the proposal once made."""

    format = serializers.CharField(source="file_format")
    proposal = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Import
        fields = [
            "id",
            "status",
            "filename",
            "format",
            "record_type",
            "dry_run",
            "rows",
            "rows_checked",
            "progress",
            "counts",
            "errors",
            "duplicates",
            "preview",
            "links",
            "proposal",
            "created_at",
            "updated_at",
        ]

    def get_proposal(self, obj) -> dict | None:
        if obj.proposal_id is None:
            return None
        url = reverse("api:change-detail", args=[obj.proposal_id])
        request = self.context.get("request")
        return {"id": obj.proposal_id, "url": request.build_absolute_uri(url) if request else url}

    def get_progress(self, obj) -> float:
        """The share of rows checked, 0 to 1."""
        if obj.finished:
            return 1.0
        return round(obj.rows_checked / obj.rows, 3) if obj.rows else 0.0


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    record_type = serializers.ChoiceField(choices=[], required=False, allow_blank=True, default="")
    format = serializers.ChoiceField(choices=ImportFormat.values, required=False, allow_blank=True, default="")
    dry_run = serializers.BooleanField(required=False, default=True)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = registry.names()


class ProposeInputSerializer(serializers.Serializer):
    link = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text='Possible duplicates to use instead of creating a record: {"<row>": <id of the published record>}',
    )


TEMPLATE_RENDERERS = [CSVRenderer, XLSXRenderer]


class ImportViewSet(JSONErrors, viewsets.GenericViewSet):
    """Bulk imports: CSV or XLSX for any record type, BibTeX and CSL-JSON for sources, GeoJSON for places."""

    serializer_class = ImportSerializer
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNegotiation
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return Import.objects.visible_to(self.request.user).defer("content")

    def _respond(self, job: Import, code: int = status.HTTP_200_OK) -> Response:
        job = self.get_queryset().get(pk=job.pk)
        response = Response(ImportSerializer(job, context=self.get_serializer_context()).data, status=code)
        if code == status.HTTP_201_CREATED:
            response["Location"] = reverse("api:import-detail", args=[job.pk])
        return response

    @extend_schema(request={"multipart/form-data": ImportInputSerializer}, responses={201: ImportSerializer})
    def create(self, request: Request) -> Response:
        """Upload a file: it is checked at once (a small file) or by a worker (follow `status` and `progress`).
        With `dry_run` false, a clean file is proposed as soon as it is checked."""
        payload = ImportInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        upload = data["file"]
        if upload.size > max_bytes():
            raise ValidationError({"file": [f"The file is larger than {max_bytes()} bytes."]})
        try:
            job = running.import_create(
                author=request.user,
                filename=upload.name or "",
                content=upload.read(),
                record_type=data["record_type"],
                file_format=data["format"],
                dry_run=data["dry_run"],
                summary=data["summary"],
            )
        except FileRefused as exc:
            raise ValidationError({"file": [str(exc)]}) from None
        except running.QuotaExceeded as exc:
            raise Throttled(detail=str(exc)) from None
        if job.status == ImportStatus.FAILED:  # checked at once, and unreadable as a whole
            raise ValidationError({"file": [error["message"] for error in job.errors]})
        return self._respond(job, status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(self._get(pk))

    @extend_schema(request=ProposeInputSerializer, responses=ImportSerializer)
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: str | None = None) -> Response:
        """Turn a checked import without errors into one proposal, submitted for review."""
        payload = ProposeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        link = payload.validated_data.get("link")
        if link is not None and not all(str(row).isdigit() for row in link):
            raise ValidationError({"link": ["Name rows by their number."]})
        links = {int(row): pk for row, pk in link.items()} if link is not None else None
        job = running.import_propose(import_id=self._get(pk).pk, author=request.user, links=links)
        return self._respond(job)

    @extend_schema(request=None, responses=format_responses(TEMPLATE_RENDERERS))
    @action(
        detail=False,
        methods=["get"],
        url_path="templates/(?P<record_type>[a-z]+)",
        permission_classes=[],
        renderer_classes=TEMPLATE_RENDERERS,
    )
    def template(self, request: Request, record_type: str = "") -> HttpResponse:
        """An empty table of a record type, CSV (the default) or XLSX (`?format=xlsx`): the columns of its
        CSV export, which an import reads back, and `ref`."""
        spec = registry.find(record_type)
        if spec is None:
            raise running.review.NotFound("No such record type.")
        if request.accepted_renderer.format == "xlsx":
            response = HttpResponse(xlsx_template(spec), content_type=XLSXRenderer.media_type)
        else:
            response = HttpResponse(csv_template(spec), content_type="text/csv; charset=utf-8")
        name = f"{spec.plural}-template.{request.accepted_renderer.format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(request=None, responses=ImportSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Stop an import that is not yet proposed; nothing of it is written."""
        return self._respond(running.import_cancel(import_id=self._get(pk).pk, author=request.user))

    def _get(self, pk) -> Import:
        job = self.get_queryset().filter(pk=parse_id(pk)).first()
        if job is None:
            raise running.review.NotFound("No such import.")
        return job
