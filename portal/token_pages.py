"""The account's API tokens page: list them, make one with a name (shown once), revoke one.

Making, checking and revoking tokens is portal/tokens.py; the API's side is records/api/views/tokens.py.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal import tokens
from portal.accounts import client_ip
from portal.models import ApiToken


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. the script or computer that uses it."),
    )

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        if tokens.name_problem(value):
            raise forms.ValidationError(_("Plain text only."))
        return value


@login_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    """GET: your tokens. POST: a new token, shown on this answer only (it is never stored)."""
    user = request.user
    new_token = None
    verified = tokens.has_verified_email(user)
    form = NewTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if verified:
            _row, new_token = tokens.issue(user, form.cleaned_data["name"], ip_address=client_ip(request), via="page")
            form = NewTokenForm()
        else:
            form.add_error(None, _("Verify your e-mail address before making API tokens."))
    now = timezone.now()
    rows = [(token, tokens.state_of(token, now)) for token in ApiToken.objects.filter(user=user).order_by("-id")]
    response = render(
        request,
        "account/tokens.html",
        {"form": form, "rows": rows, "new_token": new_token, "verified": verified, "days": tokens.lifetime().days},
        status=400 if form.errors else 200,
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if tokens.revoke(token, ip_address=client_ip(request)):
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("account_tokens")
