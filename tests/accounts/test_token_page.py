"""The account's API tokens page: list, make one with a name (shown once), revoke."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from portal.models import ApiToken, AuditEntry
from portal.tokens import digest_of
from tests.conftest import page_client
from tests.editing.helpers import text_of
from tests.tokens import token_for, verify

pytestmark = pytest.mark.django_db
TOKEN_RE = re.compile(r'<code class="token">(bly_[A-Za-z0-9_-]+)</code>')


def works(token: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/changes/").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Client().post("/accounts/tokens/", {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_the_account_page_links_to_the_tokens_page(researcher):
    assert 'href="/accounts/tokens/"' in page_client(researcher).get("/accounts/profile/").content.decode()


def test_a_token_made_on_the_page_is_shown_once_and_works(researcher):
    verify(researcher)
    client = page_client(researcher)
    response = client.post("/accounts/tokens/", {"name": "Zotero sync"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    token = TOKEN_RE.search(response.content.decode()).group(1)
    assert ApiToken.objects.get(user=researcher, name="Zotero sync").digest == digest_of(token)
    assert works(token)
    again = client.get("/accounts/tokens/").content.decode()
    assert token not in again
    assert "Zotero sync" in again and token[:8] in again
    issued = AuditEntry.objects.get(actor=researcher, action=AuditEntry.Action.SIGN_IN, detail__via="api_token")
    assert issued.detail["from"] == "page"


@pytest.mark.parametrize("name", ["", "   ", "<script>", "x" * 101])
def test_a_token_needs_a_plain_name(researcher, name):
    verify(researcher)
    response = page_client(researcher).post("/accounts/tokens/", {"name": name})
    assert response.status_code == 400
    assert not TOKEN_RE.search(response.content.decode())
    assert not ApiToken.objects.exists()


def test_an_unverified_e_mail_address_gets_no_token_on_the_page_either(researcher):
    client = page_client(researcher)
    assert "Verify your e-mail address" in text_of(client.get("/accounts/tokens/").content)
    response = client.post("/accounts/tokens/", {"name": "script"})
    assert response.status_code == 400
    assert "Verify your e-mail address before making API tokens." in text_of(response.content)
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_stops_the_token_and_only_ones_own(researcher, researcher2):
    mine, theirs = token_for(researcher, "laptop"), token_for(researcher2, "other")
    client = page_client(researcher)
    mine_id = ApiToken.objects.get(digest=digest_of(mine)).pk
    theirs_id = ApiToken.objects.get(digest=digest_of(theirs)).pk
    assert client.get(f"/accounts/tokens/{mine_id}/revoke/").status_code == 405
    assert client.post(f"/accounts/tokens/{theirs_id}/revoke/").status_code == 404
    assert client.post("/accounts/tokens/99999999999999999999999/revoke/").status_code == 404
    assert works(theirs)
    response = client.post(f"/accounts/tokens/{mine_id}/revoke/", follow=True)
    assert "Token “laptop” revoked." in text_of(response.content)
    assert not works(mine)
    page = text_of(client.get("/accounts/tokens/").content)
    assert "laptop" in page and "revoked" in page and "other" not in page


def test_revoking_needs_the_csrf_token(researcher):
    token = token_for(researcher)
    client = Client(enforce_csrf_checks=True)
    client.force_login(researcher)
    pk = ApiToken.objects.get(digest=digest_of(token)).pk
    assert client.post(f"/accounts/tokens/{pk}/revoke/").status_code == 403
    assert works(token)


@pytest.mark.parametrize(("code", "title"), [("ru", "Токены API"), ("kk", "API токендері")])
def test_the_page_reads_in_the_language(researcher, code, title):
    token_for(researcher, "script")
    page = text_of(page_client(researcher, language=code).get("/accounts/tokens/").content)
    assert title in page
    assert "Revoke" not in page and "Last used" not in page
