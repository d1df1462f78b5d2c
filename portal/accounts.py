"""Accounts: the profile page, and the audit log of sign-ins (django-allauth does the flows).

Sign-ins, failed sign-ins and sign-outs are written to the audit log with the client's address.
They come from Django's authentication signals, which every way of signing in sends (allauth's
forms, the admin's login, the two-factor step completing a sign-in). Password changes, sets and
resets (allauth's signals) and lockouts (django-axes) are written too.
"""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.models import Authenticator
from axes.signals import user_locked_out
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.audit import audit_record, client_ip
from portal.models import AuditEntry, Role
from records.content.schemas import CONTROL_RE, TAG_RE


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs) -> None:
    AuditEntry.objects.create(
        actor=user, action=AuditEntry.Action.SIGN_IN, target=f"user:{user.pk}", ip_address=client_ip(request)
    )


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def audit_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        AuditEntry.objects.create(
            actor=user, action=AuditEntry.Action.SIGN_OUT, target=f"user:{user.pk}", ip_address=client_ip(request)
        )


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password; keep only the name that was tried.
    tried = str(credentials.get("username") or credentials.get("email") or credentials.get("login") or "")[:150]
    AuditEntry.objects.create(
        action=AuditEntry.Action.SIGN_IN_FAILED,
        target=f"login:{tried}",
        detail={"tried": tried},
        ip_address=client_ip(request),
    )


@receiver(password_changed, dispatch_uid="audit_password_changed")
def audit_password_changed(sender, request, user, **kwargs) -> None:
    audit_record(user, AuditEntry.Action.PASSWORD_CHANGED, request)


@receiver(password_set, dispatch_uid="audit_password_set")
def audit_password_set(sender, request, user, **kwargs) -> None:
    audit_record(user, AuditEntry.Action.PASSWORD_SET, request)


@receiver(password_reset, dispatch_uid="audit_password_reset")
def audit_password_reset(sender, request, user, **kwargs) -> None:
    audit_record(user, AuditEntry.Action.PASSWORD_RESET, request)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def audit_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    tried = str(username or "")[:150]
    audit_record(None, AuditEntry.Action.LOCKED_OUT, request, target=f"login:{tried}", tried=tried)


def lockout_username(request, credentials: dict | None) -> str:
    """The account a sign-in was for, as the lockout counts it: user name or e-mail, any case."""
    credentials = credentials or {}
    tried = credentials.get("username") or credentials.get("email") or credentials.get("login")
    if tried is None and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        tried = data.get("username") or data.get("login") if hasattr(data, "get") else None
    return str(tried or "").strip().lower()[:150]


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """429 for a sign-in refused by the lockout: JSON on the API, a page elsewhere."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": f"Too many failed sign-ins for this account or from this address; "
                f"try again in {minutes} minutes.",
                "code": "locked_out",
            },
            status=429,
            headers={"Retry-After": str(minutes * 60)},
        )
    response = render(request, "account/lockout.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=gettext_lazy("Name shown on public pages"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Your name as it appears in histories and discussions. Your e-mail is never shown."),
    )

    def clean_display_name(self) -> str:
        value = self.cleaned_data["display_name"].strip()
        if CONTROL_RE.search(value) or TAG_RE.search(value):
            raise forms.ValidationError(_("Plain text only."))
        return value


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Who you are here: your public name, your roles, and links to e-mail, password and two-factor."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            user.display_name = form.cleaned_data["display_name"]
            user.save(update_fields=["display_name"])
            messages.success(request, _("Saved."))
            return redirect("account_profile")
    else:
        form = ProfileForm(initial={"display_name": user.display_name})
    roles = [label for value, label in Role.choices if user.groups.filter(name=value).exists()]
    has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    reviewer_or_admin = user.is_superuser or user.groups.filter(name__in=[Role.REVIEWER, Role.ADMIN]).exists()
    return render(
        request,
        "account/profile.html",
        {"form": form, "roles": roles, "has_totp": has_totp, "recommend_totp": reviewer_or_admin and not has_totp},
        status=400 if form.errors else 200,
    )
