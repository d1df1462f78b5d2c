"""System accounts (seed import, synthetic data) act only through the portal's own code: nobody signs
in to them, takes a token for them or sets their password — not even after a reactivation in the database."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.test import Client

from bench.synthetic.generate import synthetic_accounts
from portal.models import User
from records.workflow import review
from records.workflow.seeding import seed_accounts
from tests.conftest import page_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def reactivated_with_password(user: User) -> User:
    """What someone with database access might do: switch it on and write a known password hash."""
    User.objects.filter(pk=user.pk).update(is_active=True, password=make_password(PASSWORD))
    return User.objects.get(pk=user.pk)


def test_seed_accounts_are_system_accounts_inactive_without_password():
    importer, reviewer = seed_accounts()
    for user in (importer, reviewer):
        assert user.is_system and not user.is_active and not user.has_usable_password()
    # They still act through the portal's code: the seed reviewer may approve the importer's proposals.
    assert review.can_propose(importer) and review.can_review(reviewer)


def test_synthetic_accounts_are_system_accounts():
    for user in synthetic_accounts():
        assert user.is_system and not user.is_active and not user.has_usable_password()


def test_a_reactivated_system_account_cannot_sign_in_take_a_token_or_keep_a_session(api):
    _, seed_reviewer = seed_accounts()
    user = reactivated_with_password(seed_reviewer)

    browser = Client()
    page = browser.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert page.status_code == 200 and "_auth_user_id" not in browser.session

    token = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert token.status_code == 400 and "token" not in token.json()

    # A session made some other way is not honoured either.
    client = page_client(user)
    assert client.get("/accounts/profile/").status_code == 302


def test_nobody_sets_a_system_account_password():
    importer, _ = seed_accounts()
    with pytest.raises(PermissionDenied):
        importer.set_password("a brand new passphrase 42")


def test_the_admin_shows_system_accounts_read_only(admin_user):
    _, seed_reviewer = seed_accounts()
    client = page_client(admin_user)
    url = f"/admin/portal/user/{seed_reviewer.pk}/change/"
    assert client.get(url).status_code == 200  # viewed
    response = client.post(url, {"username": seed_reviewer.username, "is_active": "on", "roles": ["reviewer"]})
    assert response.status_code == 403
    assert not User.objects.get(pk=seed_reviewer.pk).is_active
    assert client.get(f"/admin/portal/user/{seed_reviewer.pk}/password/").status_code == 403
