"""/api/v1/changes/: proposals — create, revise (PUT), submit, withdraw, claim, approve, reject, discuss.

Each action parses its input, calls one function of records.workflow.review, and answers with the
proposal as it now is.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from records.api.etags import check_if_match
from records.api.negotiation import FormatNegotiation
from records.api.serializers import (
    ApprovalSerializer,
    ClaimSerializer,
    CommentSerializer,
    ProposalInputSerializer,
    ProposalSerializer,
    RejectionSerializer,
)
from records.api.views.base import JSONErrors, Pagination, parse_id
from records.models import Comment, Proposal, ProposalItem, ProposalStatus
from records.workflow import review


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
        queryset = Proposal.objects.visible_to(self.request.user).select_related(
            "author", "reviewer", "claimed_by", "approval_run"
        )
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
        return ProposalInputSerializer if self.action in ("create", "update") else ProposalSerializer

    def _respond(self, proposal: Proposal, code: int = status.HTTP_200_OK) -> Response:
        proposal = self.get_queryset().get(pk=proposal.pk)
        response = Response(ProposalSerializer(proposal, context=self.get_serializer_context()).data, status=code)
        if code == status.HTTP_201_CREATED:
            response["Location"] = reverse("api:change-detail", args=[proposal.pk])
        return response

    def _input(self, serializer_class: type[Serializer]) -> dict:
        """The request's body as `serializer_class` validates it (400 with the field errors otherwise)."""
        payload = serializer_class(data=self.request.data)
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    @extend_schema(request=ProposalInputSerializer, responses={201: ProposalSerializer})
    def create(self, request: Request) -> Response:
        data = self._input(ProposalInputSerializer)
        raw_items = data.get("items", [data])
        self.single_item = "items" not in data
        if not review.can_propose(request.user):  # rights before preconditions: 403 rather than 412
            raise PermissionDenied(
                "Your account cannot propose changes yet; an administrator grants the researcher role."
            )
        self._check_if_match(raw_items)
        proposal = review.proposal_create(
            author=request.user,
            items=[item_input(item) for item in raw_items],
            summary=data["summary"],
            draft=data["draft"],
        )
        return self._respond(proposal, status.HTTP_201_CREATED)

    def _check_if_match(self, raw_items: list[dict]) -> None:
        """412 unless the changed records are where If-Match (when sent) says; a change without
        `base_revision` takes the revision If-Match names for its record."""
        if_match = self.request.headers.get("If-Match")
        if if_match is None:
            return
        changed = [item["record"] for item in raw_items if item["action"] != "create" and item.get("record")]
        named = check_if_match(if_match, changed)
        for item in raw_items:
            if item.get("base_revision") is None and item.get("record") in named:
                item["base_revision"] = named[item["record"]]

    @extend_schema(request=ProposalInputSerializer, responses=ProposalSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        """Revise your proposal: the same body as a new one; its changes are replaced and its `version` goes
        up. A submitted proposal is checked again and goes back to the queue (its claim released); a draft
        is submitted unless `draft` is true."""
        proposal_id = self._visible_pk(pk)
        if not Proposal.objects.filter(pk=proposal_id, author=request.user).exists():  # 403 before the body's 400
            raise PermissionDenied("Only the proposal's author can change it.")
        data = self._input(ProposalInputSerializer)
        raw_items = data.get("items", [data])
        self.single_item = "items" not in data
        self._check_if_match(raw_items)
        proposal = review.proposal_save(
            author=request.user,
            items=[item_input(item) for item in raw_items],
            summary=data["summary"],
            proposal_id=proposal_id,
            submit=not data["draft"],
        )
        return self._respond(proposal)

    @extend_schema(request=ApprovalSerializer, responses={200: ProposalSerializer, 202: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Publish the proposal. Send the `version` you reviewed: a proposal revised since is a 409. A large
        proposal (more changes than the server approves inside a request) is approved by the worker: the
        answer is then 202, the proposal still submitted, and its `approval` shows the progress until it is
        published, or why the approval was refused."""
        decision = self._input(ApprovalSerializer)
        proposal = review.approval_request(
            proposal_id=self._visible_pk(pk),
            reviewer=request.user,
            comment=decision["comment"],
            version=decision["version"],
        )
        queued = proposal.status == ProposalStatus.SUBMITTED
        return self._respond(proposal, status.HTTP_202_ACCEPTED if queued else status.HTTP_200_OK)

    @extend_schema(request=RejectionSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        reason = self._input(RejectionSerializer)["reason"]
        return self._respond(
            review.proposal_reject(proposal_id=self._visible_pk(pk), reviewer=request.user, reason=reason)
        )

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
        """Claim a submitted proposal: until `claim_expires_at` only you may approve or reject it (`release`:
        give it up again). Claiming renews your own claim; another reviewer's live claim answers 409 naming
        them and when it lapses; a lapsed claim is taken over and its holder told."""
        release = self._input(ClaimSerializer)["release"]
        return self._respond(
            review.proposal_claim(proposal_id=self._visible_pk(pk), reviewer=request.user, release=release)
        )

    @extend_schema(request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["post"], serializer_class=CommentSerializer)
    def comments(self, request: Request, pk: str | None = None) -> Response:
        body = self._input(CommentSerializer)["body"]
        comment = review.comment_add(proposal_id=self._visible_pk(pk), author=request.user, body=body)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    def _visible_pk(self, pk) -> int:
        """404 for proposals the caller may not see (before any rights check reveals they exist)."""
        pk = parse_id(pk)
        if not Proposal.objects.visible_to(self.request.user).filter(pk=pk).exists():
            raise review.NotFound("No such proposal.")
        return pk


def item_input(item: dict) -> review.ItemInput:
    """One change of a proposal, from its validated API shape."""
    return review.ItemInput(
        action=item["action"],
        record_type=item["record_type"],
        record_id=item.get("record"),
        base_revision=item.get("base_revision"),
        revert_to=item.get("revert_to"),
        ref=item.get("ref", ""),
        data=item.get("data") or {},
    )
