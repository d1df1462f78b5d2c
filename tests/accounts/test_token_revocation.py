"""Every API token of an account stops working when its password is set (changed, reset, set by a
command or the admin) or the account is deactivated; a sign-in that merely re-hashes the password, or
any other save of the account, leaves them alone."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from portal.models import ApiToken, AuditEntry, User
from tests.factories import PASSWORD
from tests.tokens import token_for, verify

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a new long passphrase 99"


def works(token: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/changes/").status_code == 200


def test_changing_ones_password_on_its_page_revokes_every_token(researcher, researcher2):
    tokens, other = [token_for(researcher, "a"), token_for(researcher, "b")], token_for(researcher2)
    client = Client()
    client.force_login(researcher)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not any(works(token) for token in tokens)
    assert ApiToken.objects.filter(user=researcher, revoked_at__isnull=True).count() == 0
    assert works(other)
    audited = AuditEntry.objects.get(actor=researcher, action=AuditEntry.Action.SIGN_OUT, detail__via="api_token")
    assert audited.detail == {"via": "api_token", "revoked": 2, "reason": "password changed"}


def test_a_password_reset_by_e_mail_revokes_every_token(researcher):
    verify(researcher)
    token = token_for(researcher)
    client = Client()
    client.post("/accounts/password/reset/", {"email": researcher.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    assert works(token)  # asking for a reset changes nothing yet
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not works(token)


def test_a_password_set_by_the_create_user_command_revokes_every_token(researcher):
    token = token_for(researcher)
    call_command("create_user", "rita", "--role", "researcher", "--password", NEW_PASSWORD, stdout=None)
    assert not works(token)


def test_a_password_set_in_code_revokes_every_token(researcher):
    token = token_for(researcher)
    researcher.set_password(NEW_PASSWORD)
    researcher.save()
    assert not works(token)


def test_deactivating_an_account_revokes_every_token_and_they_stay_revoked(researcher, researcher2):
    token, other = token_for(researcher), token_for(researcher2)
    researcher.is_active = False
    researcher.save(update_fields=["is_active"])
    researcher.is_active = True
    researcher.save()
    assert not works(token)  # reactivating does not bring them back
    assert works(other)


def test_other_saves_of_the_account_leave_its_tokens_alone(researcher):
    token = token_for(researcher)
    researcher.display_name = "Rita R."
    researcher.save()
    Client().login(username="rita", password=PASSWORD)  # a sign-in saves last_login
    assert works(token)


def test_a_sign_in_that_upgrades_the_password_hash_is_not_a_password_change(researcher, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    User.objects.filter(pk=researcher.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    token = token_for(researcher)
    assert Client().login(username="rita", password=PASSWORD)
    assert User.objects.get(pk=researcher.pk).password.startswith("md5$")  # it was re-hashed
    assert works(token)


def test_after_a_password_change_a_new_token_can_be_made(researcher):
    EmailAddress.objects.create(user=researcher, email=researcher.email, verified=True, primary=True)
    old = token_for(researcher)
    researcher.set_password(NEW_PASSWORD)
    researcher.save()
    response = APIClient().post("/api/v1/auth/token/", {"username": "rita", "password": NEW_PASSWORD}, format="json")
    assert response.status_code == 200
    assert works(response.json()["token"]) and not works(old)
