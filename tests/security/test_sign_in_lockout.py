"""Brute force: after AXES_FAILURE_LIMIT wrong passwords for one account, or from one address, even the
right password is refused (429 with a message) on the sign-in page and at the API token endpoint,
until the lockout expires or an administrator lifts it with a command."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from portal.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LIMIT = 3
ADDRESS = "203.0.113.50"


@pytest.fixture(autouse=True)
def strict_lockout(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


@pytest.fixture
def verified(researcher, reviewer):
    for user in (researcher, reviewer):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return researcher


def page_sign_in(login: str, password: str, address: str = ADDRESS):
    client = Client()
    return client, client.post("/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR=address)


def token(username: str, password: str, address: str = ADDRESS):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_the_sign_in_page_locks_an_account_after_repeated_failures(verified):
    for _ in range(LIMIT):
        page_sign_in("rita", "wrong guess")
    client, response = page_sign_in("rita", PASSWORD, address="198.51.100.9")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOCKED_OUT, target="login:rita").exists()


def test_the_token_endpoint_locks_an_account_after_repeated_failures(verified):
    answers = [token("rita", "wrong guess").status_code for _ in range(LIMIT)]
    assert answers == [400] * (LIMIT - 1) + [429]  # the failure that reaches the limit is already locked out
    response = token("rita", PASSWORD, address="198.51.100.9")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.json()["detail"] and "token" not in response.json()


def test_failures_from_one_address_lock_it_for_every_account(verified):
    for name in ("someone", "anyone", "nobody"):
        token(name, "wrong guess")
    assert token("vera", PASSWORD).status_code == 429
    assert page_sign_in("vera", PASSWORD)[1].status_code == 429
    assert token("vera", PASSWORD, address="198.51.100.9").status_code == 200  # elsewhere, vera is fine


def test_an_administrator_lifts_a_lockout_with_a_command(verified):
    for _ in range(LIMIT):
        page_sign_in("rita", "wrong guess")
    assert token("rita", PASSWORD, address="198.51.100.9").status_code == 429
    call_command("axes_reset_username", "rita")
    call_command("axes_reset_ip", ADDRESS)
    assert token("rita", PASSWORD, address="198.51.100.9").status_code == 200


def test_a_lockout_expires_after_the_cool_off(verified, settings):
    for _ in range(LIMIT):
        token("rita", "wrong guess")
    assert token("rita", PASSWORD, address="198.51.100.9").status_code == 429
    long_ago = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=long_ago)  # as if the cool-off had passed
    assert token("rita", PASSWORD, address="198.51.100.9").status_code == 200


def test_a_success_before_the_limit_starts_the_count_again(verified):
    for _ in range(LIMIT - 1):
        page_sign_in("rita", "wrong guess")
    assert page_sign_in("rita", PASSWORD)[1].status_code == 302
    for _ in range(LIMIT - 1):
        page_sign_in("rita", "wrong guess")
    assert page_sign_in("rita", PASSWORD)[1].status_code == 302
