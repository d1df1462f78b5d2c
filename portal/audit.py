"""Writing the audit log: `audit_record` is the one way code outside the models adds a line.

The log is append-only (a database trigger refuses UPDATE and DELETE on it), so a line is written
once, with who did it, what, about what, and from which address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from portal.models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from; behind a proxy, the one the proxy saw (X-Forwarded-For)."""
    if request is None:
        return None
    request = getattr(request, "_request", request)  # a REST framework request wraps Django's
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(actor, action: str, request: HttpRequest | None = None, target: str = "", **detail: Any) -> AuditEntry:
    """Append one line to the audit log. `actor` is the user who acted (None for the system or an
    unknown caller); `action` one of AuditEntry.Action; `target` what it was about, e.g. "user:12"
    (defaults to the actor); `detail` any JSON-serialisable facts worth keeping (never secrets)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if not target and actor is not None:
        target = f"user:{actor.pk}"
    return AuditEntry.objects.create(
        actor=actor, action=action, target=target[:200], detail=detail, ip_address=client_ip(request)
    )
