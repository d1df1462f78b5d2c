"""API tokens: made, checked and revoked here (the model is portal.models.ApiToken).

A token is `bly_` and 43 random URL-safe characters; only its SHA-256 is stored, so it is shown once,
when it is made. It expires after BAILANYS_API_TOKEN_DAYS days. Clients send it as
`Authorization: Token <token>` (or `Bearer <token>`). Every token of an account is revoked when its
password is set — changed, reset, or set in the admin or by `manage.py changepassword` — and when the
account is deactivated: the signals at the bottom watch the user model itself, so no way of changing
a password is missed.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import authentication, exceptions

from portal.models import ApiToken, AuditEntry, User

PREFIX = "bly_"
# last_used_at is written at most this often per token: one cheap UPDATE, not one per request.
LAST_USED_EVERY = timedelta(seconds=60)
KEYWORDS = ("Token", "Bearer")
DEFAULT_NAME = "API token"


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def lifetime() -> timedelta:
    return timedelta(days=settings.BAILANYS_API_TOKEN_DAYS)


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a token (control characters, lone surrogates, markup), or None."""
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
        return "Plain text only: no control characters."
    if "<" in name:
        return "Plain text only: no markup."
    return None


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def issue(user, name: str = "", *, ip_address: str | None = None, via: str = "api") -> tuple[ApiToken, str]:
    """A new token for `user`: the saved row and the token itself (shown once, never stored).
    The audit log records it as an API sign-in."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=(name or "").strip() or DEFAULT_NAME,
        digest=digest_of(raw),
        prefix=raw[: len(PREFIX) + 4],
        expires_at=timezone.now() + lifetime(),
    )
    AuditEntry.objects.create(
        actor=user,
        action=AuditEntry.Action.SIGN_IN,
        target=f"user:{user.pk}",
        detail={"via": "api_token", "token": token.pk, "name": token.name, "from": via},
        ip_address=ip_address,
    )
    return token, raw


def audit_refused(user, reason: str, *, ip_address: str | None = None) -> None:
    """A token request refused after the password was right (e-mail not verified, two-factor code)."""
    AuditEntry.objects.create(
        actor=user,
        action=AuditEntry.Action.SIGN_IN_FAILED,
        target=f"user:{user.pk}",
        detail={"via": "api_token", "reason": reason},
        ip_address=ip_address,
    )


def revoke(token: ApiToken, *, ip_address: str | None = None) -> bool:
    """Revoke one token (audited); False if it was revoked already (its revoked_at stays as it was)."""
    now = timezone.now()
    done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if done:
        token.revoked_at = now
        AuditEntry.objects.create(
            actor_id=token.user_id,
            action=AuditEntry.Action.SIGN_OUT,
            target=f"user:{token.user_id}",
            detail={"via": "api_token", "token": token.pk, "name": token.name, "reason": "revoked by its owner"},
            ip_address=ip_address,
        )
    return bool(done)


def revoke_all(user, reason: str) -> int:
    """Revoke every token of `user` that is still live; how many were."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if count:
        AuditEntry.objects.create(
            actor=user,
            action=AuditEntry.Action.SIGN_OUT,
            target=f"user:{user.pk}",
            detail={"via": "api_token", "revoked": count, "reason": reason},
        )
    return count


def state_of(token: ApiToken, now=None) -> str:
    """`active`, `expired` or `revoked`."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= (now or timezone.now()):
        return "expired"
    return "active"


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <token>` or `Bearer <token>`. A wrong, expired or revoked token, or one
    of an inactive account, answers 401 with a message saying which."""

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in {k.lower() for k in KEYWORDS}:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: send `Authorization: Token <token>`.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return self.authenticate_credentials(raw)

    def authenticate_credentials(self, raw: str):
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(raw)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        now = timezone.now()
        state = state_of(token, now)
        if state == "revoked":
            raise exceptions.AuthenticationFailed("This token has been revoked; make a new one.")
        if state == "expired":
            raise exceptions.AuthenticationFailed(
                f"This token expired at {token.expires_at:%Y-%m-%d %H:%M} UTC; make a new one."
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
            ).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return "Token"


@receiver(post_save, sender=User, dispatch_uid="revoke_api_tokens")
def revoke_on_password_or_deactivation(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A password set in this save (set_password leaves `_password` until the save is done; a mere
    re-hash on sign-in clears it first), or an account saved inactive: its tokens stop working."""
    if created:
        return
    if getattr(instance, "_password", None) is not None:
        revoke_all(instance, "password changed")
    elif not instance.is_active and (update_fields is None or "is_active" in update_fields):
        revoke_all(instance, "account deactivated")
