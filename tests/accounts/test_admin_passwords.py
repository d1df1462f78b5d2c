"""Administrators never set passwords (reset e-mails instead), and every admin action on accounts is
in the audit log: creation, which fields changed, activation, deactivation, reset e-mails, refusals."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from portal.models import AuditEntry, User
from tests.conftest import page_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def change_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "roles": list(user.groups.values_list("name", flat=True)),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_admin_password_form_is_refused_for_other_accounts(admin_user, reviewer):
    client = page_client(admin_user)
    url = f"/admin/portal/user/{reviewer.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "taken over 12345", "password2": "taken over 12345"})
    assert response.status_code == 403
    reviewer.refresh_from_db()
    assert reviewer.check_password(PASSWORD)
    refused = AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_CHANGE_REFUSED)
    assert {(entry.actor, entry.target) for entry in refused} == {(admin_user, f"user:{reviewer.pk}")}
    assert refused.count() == 2


def test_the_admin_sends_your_own_password_change_to_the_account_pages(admin_user):
    response = page_client(admin_user).get(f"/admin/portal/user/{admin_user.pk}/password/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/change/"


def test_the_reset_action_sends_allauth_s_e_mail_and_is_audited(admin_user, reviewer):
    client = page_client(admin_user)
    response = client.post(
        "/admin/portal/user/", {"action": "send_password_reset_action", "_selected_action": [reviewer.pk]}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [reviewer.email]
    link = re.search(r"http://testserver(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)
    form_url = Client().get(link)["Location"]
    assert "/accounts/password/reset/key/" in form_url
    sent = AuditEntry.objects.get(action=AuditEntry.Action.PASSWORD_RESET_SENT)
    assert (sent.actor, sent.target) == (admin_user, f"user:{reviewer.pk}")


def test_a_new_account_gets_no_password_but_a_reset_e_mail(admin_user):
    client = page_client(admin_user)
    response = client.post(
        "/admin/portal/user/add/",
        {"username": "newbie", "display_name": "New", "email": "newbie@example.org", "roles": ["researcher"]},
    )
    assert response.status_code == 302, response.content
    user = User.objects.get(username="newbie")
    assert not user.has_usable_password()
    assert mail.outbox[-1].to == ["newbie@example.org"]
    created = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_CREATED)
    assert (created.actor, created.target, created.detail["username"]) == (admin_user, f"user:{user.pk}", "newbie")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_RESET_SENT, target=f"user:{user.pk}").exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_GRANTED, target=f"user:{user.pk}").exists()


def test_changes_activation_and_deactivation_are_audited_with_the_fields(admin_user, researcher):
    client = page_client(admin_user)
    url = f"/admin/portal/user/{researcher.pk}/change/"
    assert client.post(url, change_form(researcher, display_name="Dr Rita", is_active=None)).status_code == 302
    researcher.refresh_from_db()
    assert not researcher.is_active
    changed = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_CHANGED)
    assert changed.actor == admin_user and changed.detail["fields"] == ["display_name"]
    deactivated = AuditEntry.objects.get(action=AuditEntry.Action.ACCOUNT_DEACTIVATED)
    assert (deactivated.actor, deactivated.target) == (admin_user, f"user:{researcher.pk}")

    assert client.post(url, change_form(researcher)).status_code == 302
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT_ACTIVATED, actor=admin_user).exists()


def test_your_own_password_change_on_the_account_pages_is_audited(researcher):
    EmailAddress.objects.create(user=researcher, email=researcher.email, verified=True, primary=True)
    client = page_client(researcher)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another long phrase 77", "password2": "another long phrase 77"},
    )
    assert response.status_code == 302
    researcher.refresh_from_db()
    assert researcher.check_password("another long phrase 77")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_CHANGED, actor=researcher).exists()


def test_a_password_reset_is_audited(researcher):
    EmailAddress.objects.create(user=researcher, email=researcher.email, verified=True, primary=True)
    client = Client()
    client.post("/accounts/password/reset/", {"email": researcher.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": "a new long passphrase 99", "password2": "a new long passphrase 99"})
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PASSWORD_RESET, actor=researcher).exists()
