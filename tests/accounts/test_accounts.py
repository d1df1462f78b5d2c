"""Accounts through django-allauth: sign-up with e-mail verification, sign-in (audited), password reset,
two-factor sign-in, and the rule that a new account has no role until an administrator grants one."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from portal.models import AuditEntry, User
from records.workflow import review
from tests.editing.helpers import text_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, login: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR="203.0.113.7")


def test_sign_up_verifies_the_e_mail_and_grants_no_role(db):
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {"email": "amina@example.org", "username": "amina", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(username="amina")
    assert not user.groups.exists()
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)

    # Unverified: signing in only says to check the mailbox.
    fresh = Client()
    response = sign_in(fresh, "amina")
    assert "_auth_user_id" not in fresh.session

    client.post(link)
    fresh = Client()
    response = sign_in(fresh, "amina")
    assert response.status_code == 302
    assert int(fresh.session["_auth_user_id"]) == user.pk
    assert not review.can_propose(user)
    assert fresh.get("/places/new/").status_code == 403


def test_sign_ins_and_failures_are_audited_with_the_address(researcher):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=researcher, email=researcher.email, verified=True, primary=True)
    client = Client()
    sign_in(client, "rita", "wrong password")
    sign_in(client, "rita")

    failed = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_IN_FAILED)
    assert (failed.target, str(failed.ip_address)) == ("login:rita", "203.0.113.7")
    assert "wrong password" not in str(failed.detail)
    signed = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_IN)
    assert (signed.actor, str(signed.ip_address)) == (researcher, "203.0.113.7")
    client.post("/accounts/logout/")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_OUT, actor=researcher).exists()


def test_sign_in_by_e_mail_address_works_too(researcher):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=researcher, email=researcher.email, verified=True, primary=True)
    client = Client()
    assert sign_in(client, "rita@example.org").status_code == 302
    assert int(client.session["_auth_user_id"]) == researcher.pk


def test_password_reset_by_e_mail(researcher):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=researcher, email=researcher.email, verified=True, primary=True)
    client = Client()
    client.post("/accounts/password/reset/", {"email": "rita@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": "a new long passphrase 99", "password2": "a new long passphrase 99"})
    assert response.status_code == 302
    researcher.refresh_from_db()
    assert researcher.check_password("a new long passphrase 99")


def _totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_reviewer_switches_on_two_factor_and_it_is_then_required(reviewer):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=reviewer, email=reviewer.email, verified=True, primary=True)
    client = Client()
    sign_in(client, "vera")
    assert "please switch on two-factor sign-in" in text_of(client.get("/accounts/profile/").content)

    # Switching it on asks for the password again first.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert "please switch on" not in text_of(client.get("/accounts/profile/").content)
    client.post("/accounts/logout/")

    cache.clear()  # the code just used may be used once only
    again = Client()
    response = sign_in(again, "vera")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in again.session  # the password alone does not sign in
    response = again.post("/accounts/2fa/authenticate/", {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert int(again.session["_auth_user_id"]) == reviewer.pk


def test_the_admin_login_goes_through_the_portal_sign_in(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_account_pages_use_the_portal_layout(db):
    page = Client().get("/accounts/login/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="site-header"' in html and "css/site.css" in html
    assert 'class="account-form"' in html


def test_the_profile_sets_the_public_name(newcomer):
    client = Client()
    client.force_login(newcomer)
    text = text_of(client.get("/accounts/profile/").content)
    assert "none yet" in text and "administrator grants" in text

    client.post("/accounts/profile/", {"display_name": "Nina N."})
    newcomer.refresh_from_db()
    assert newcomer.display_name == "Nina N."
    assert client.post("/accounts/profile/", {"display_name": "<b>Nina</b>"}).status_code == 400


def test_create_user_command_still_works(db):
    call_command("create_user", "zhanar", "--role", "reviewer", "--password", PASSWORD, "--email", "z@example.org")
    user = User.objects.get(username="zhanar")
    assert review.can_review(user)
    client = Client()
    assert sign_in(client, "zhanar").status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
