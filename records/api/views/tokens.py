"""API tokens: make one (POST /api/v1/auth/token/), list yours (GET /api/v1/auth/tokens/), revoke one
(DELETE /api/v1/auth/tokens/<id>/). Tokens are made, checked and revoked by portal/tokens.py."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from portal import tokens
from portal.audit import client_ip
from portal.models import ApiToken
from records.api.negotiation import FormatNegotiation
from records.api.parsers import JSONParser
from records.api.throttling import AuthThrottle
from records.api.views.base import APIView, JSONErrors, Pagination, parse_id
from records.workflow import review


class ApiTokenCredentialsSerializer(serializers.Serializer):
    """Username and password, and — for an account with two-factor sign-in switched on — its current
    authenticator (or recovery) code, so a token is never easier to get than a browser session."""

    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    code = serializers.CharField(required=False, allow_blank=True, max_length=64, write_only=True)
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=f'What the token is for (default "{tokens.DEFAULT_NAME}")',
    )

    def validate_name(self, value: str) -> str:
        problem = tokens.name_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value.strip()


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: never the token itself, which is shown once when it is made."""

    state = serializers.SerializerMethodField(help_text="active, expired or revoked")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "state"]
        read_only_fields = fields

    def get_state(self, token: ApiToken) -> str:
        return tokens.state_of(token)


class NewApiTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`; shown only this once")
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenView(APIView):
    """POST username and password (and `code` when two-factor sign-in is on, and optionally a `name`);
    returns a new token {"token", "name", "expires_at"} for `Authorization: Token <token>`. Each call
    makes a new token. Accounts whose e-mail address is not verified get 403."""

    throttle_classes = [AuthThrottle]
    parser_classes = [JSONParser, FormParser]
    authentication_classes = []
    permission_classes = []

    @extend_schema(request=ApiTokenCredentialsSerializer, responses={200: NewApiTokenSerializer}, tags=["auth"])
    def post(self, request, *args, **kwargs):
        data = ApiTokenCredentialsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        address = client_ip(request._request)
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None:  # the failed sign-in is in the audit log already (Django's user_login_failed signal)
            raise serializers.ValidationError({"non_field_errors": ["Unable to log in with provided credentials."]})
        if not tokens.has_verified_email(user):
            tokens.audit_refused(user, "e-mail not verified", ip_address=address)
            raise PermissionDenied(
                "This account's e-mail address is not verified: verify it (see the e-mail addresses page of "
                "your account) before making API tokens."
            )
        self.check_code(user, (data.validated_data.get("code") or "").strip(), address)
        token, raw = tokens.issue(user, data.validated_data.get("name", ""), ip_address=address)
        return Response({"token": raw, "name": token.name, "expires_at": token.expires_at})

    def check_code(self, user, code: str, address: str | None) -> None:
        if not is_mfa_enabled(user):
            return
        if not code:
            tokens.audit_refused(user, "two-factor code missing", ip_address=address)
            raise serializers.ValidationError(
                {"code": ["This account signs in with two factors: send the authenticator code as `code`."]}
            )
        authenticators = Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN)
        if not any(authenticator.wrap().validate_code(code) for authenticator in authenticators):
            tokens.audit_refused(user, "two-factor code wrong", ip_address=address)
            raise serializers.ValidationError({"code": ["The authenticator code is not valid."]})


class TokenListView(JSONErrors, generics.ListAPIView):
    """Your API tokens, newest first: names, dates and state, never the tokens themselves."""

    serializer_class = ApiTokenSerializer
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatNegotiation
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular describing the view
            return self.queryset
        return ApiToken.objects.filter(user=self.request.user).order_by("-id")

    @extend_schema(tags=["auth"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TokenDetailView(APIView):
    """Revoke one of your tokens: it stops working at once, and the answer is the token as listed, now
    `revoked` (revoking it again changes nothing)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ApiTokenSerializer}, tags=["auth"])
    def delete(self, request, pk, *args, **kwargs):
        token = ApiToken.objects.filter(user=request.user, pk=parse_id(pk)).first()
        if token is None:
            raise review.NotFound("No such token of yours.")
        tokens.revoke(token, ip_address=client_ip(request._request))
        return Response(ApiTokenSerializer(token).data)
