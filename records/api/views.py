"""API views: one generic viewset serves every record type; proposals have their own.

Views are thin: parse, fetch through a permission-aware queryset, call one domain function, render.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from records import review
from records.api.errors import Gone
from records.api.pagination import KeysetPagination
from records.api.serializers import (
    CommentSerializer,
    DecisionSerializer,
    ProposalInputSerializer,
    ProposalSerializer,
    RejectionSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
    read_serializer,
)
from records.filters import filterset_for
from records.models import Comment, Proposal, ProposalItem, Record, RecordStatus, Revision
from records.registry import RecordTypeSpec, registry


class Pagination(CursorPagination):
    """Cursor pagination by id for lists that are not records (proposals, revisions)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Published records of one type. A withdrawn record answers 410 with its tombstone."""

    spec: RecordTypeSpec
    pagination_class = KeysetPagination

    def get_queryset(self):
        return self.spec.queryset()

    def get_serializer_class(self):
        return read_serializer(self.spec)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        record = self._record_any_status(pk)
        if record.status == RecordStatus.WITHDRAWN:
            raise Gone(
                detail=f"{self.spec.verbose_name.capitalize()} {record.pk} was withdrawn at revision "
                f"{record.revision}; its history remains at {record.get_absolute_url()}history/."
            )
        instance = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(instance).data)

    def _record_any_status(self, pk) -> Record:
        if not str(pk).isdigit() or int(pk) >= 2**63:
            raise review.NotFound("Not found.")
        return get_object_or_404(Record.objects.filter(record_type=self.spec.name), pk=int(pk))

    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        record = self._record_any_status(pk)
        revisions = Revision.objects.filter(record=record).select_related("author", "reviewer")
        paginator = Pagination()
        page = paginator.paginate_queryset(revisions, request, view=self)
        context = {**self.get_serializer_context(), "record_type": self.spec.name}
        return paginator.get_paginated_response(RevisionSerializer(page, many=True, context=context).data)

    @action(detail=True, methods=["get"], url_path=r"revisions/(?P<number>[0-9]{1,9})", url_name="revision")
    def revision(self, request: Request, pk: str | None = None, number: str | None = None) -> Response:
        record = self._record_any_status(pk)
        revision = get_object_or_404(
            Revision.objects.select_related("author", "reviewer"), record=record, number=int(number)
        )
        context = {**self.get_serializer_context(), "record_type": self.spec.name}
        return Response(RevisionDetailSerializer(revision, context=context).data)


def record_viewset(spec: RecordTypeSpec) -> type[RecordViewSet]:
    return type(
        f"{spec.name.capitalize()}ViewSet",
        (RecordViewSet,),
        {"spec": spec, "filterset_class": filterset_for(spec), "__doc__": f"Published {spec.verbose_name_plural}."},
    )


class IsAuthenticated(permissions.IsAuthenticated):
    message = "Sign in (or send an API token) to see or make proposals."


class ChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals: create, revise, submit, withdraw, claim, approve, reject, discuss.

    Authors see their own; reviewers also see every submitted or decided proposal (the queue).
    """

    serializer_class = ProposalSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    single_item = True

    def get_queryset(self):
        queryset = Proposal.objects.visible_to(self.request.user).select_related("author", "reviewer", "claimed_by")
        queryset = queryset.prefetch_related(
            Prefetch("items", queryset=ProposalItem.objects.select_related("revision")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
        status_filter = self.request.query_params.get("status")
        if status_filter:
            queryset = queryset.filter(status=status_filter)
        if self.request.query_params.get("mine") in ("1", "true"):
            queryset = queryset.filter(author=self.request.user)
        return queryset

    def get_serializer_class(self):
        return ProposalInputSerializer if self.action == "create" else ProposalSerializer

    def _respond(self, proposal: Proposal, code: int = status.HTTP_200_OK) -> Response:
        proposal = self.get_queryset().get(pk=proposal.pk)
        return Response(ProposalSerializer(proposal, context=self.get_serializer_context()).data, status=code)

    def create(self, request: Request) -> Response:
        payload = ProposalInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        raw_items = data.get("items", [data])
        self.single_item = "items" not in data
        items = [
            review.ItemInput(
                action=item["action"],
                record_type=item["record_type"],
                record=item.get("record"),
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

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        payload = DecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        proposal = review.proposal_approve(
            proposal_id=self._visible_pk(pk), reviewer=request.user, comment=payload.validated_data["comment"]
        )
        return self._respond(proposal)

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        payload = RejectionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        proposal = review.proposal_reject(
            proposal_id=self._visible_pk(pk), reviewer=request.user, reason=payload.validated_data["reason"]
        )
        return self._respond(proposal)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(review.proposal_submit(proposal_id=self._visible_pk(pk), author=request.user))

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._respond(review.proposal_withdraw(proposal_id=self._visible_pk(pk), author=request.user))

    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str | None = None) -> Response:
        release = (
            str(request.data.get("release", "")).lower() in ("1", "true") if isinstance(request.data, dict) else False
        )
        return self._respond(
            review.proposal_claim(proposal_id=self._visible_pk(pk), reviewer=request.user, release=release)
        )

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
        if not str(pk).isdigit() or int(pk) >= 2**63:
            raise review.NotFound("No such proposal.")
        if not Proposal.objects.visible_to(self.request.user).filter(pk=int(pk)).exists():
            raise review.NotFound("No such proposal.")
        return int(pk)


def record_viewsets() -> list[tuple[str, type[RecordViewSet], str]]:
    return [(spec.plural, record_viewset(spec), spec.name) for spec in registry]
