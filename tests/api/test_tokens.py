"""API tokens through the API: made (verified e-mail only, audited), named, expiring, listed, revoked."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from portal.models import ApiToken, AuditEntry
from portal.tokens import digest_of
from tests.factories import PASSWORD
from tests.tokens import token_for, verify

pytestmark = pytest.mark.django_db
RITA = {"username": "rita", "password": PASSWORD}


def with_token(token: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {token}")
    return client


def test_a_named_token_expires_after_the_configured_days_and_only_its_hash_is_kept(api, researcher, settings):
    settings.BAILANYS_API_TOKEN_DAYS = 7
    verify(researcher)
    response = api.post("/api/v1/auth/token/", {**RITA, "name": "harvest script"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "name", "expires_at"}
    assert body["name"] == "harvest script"
    expires = parse_datetime(body["expires_at"])
    assert timedelta(days=6, hours=23) < expires - timezone.now() <= timedelta(days=7)
    stored = ApiToken.objects.get(user=researcher)
    assert stored.digest == digest_of(body["token"])
    assert body["token"] not in {stored.digest, stored.prefix, stored.name}
    assert body["token"].startswith(stored.prefix)
    # Both ways of sending it work.
    assert with_token(body["token"]).get("/api/v1/changes/").status_code == 200
    assert with_token(body["token"], "Bearer").get("/api/v1/changes/").status_code == 200


def test_without_a_name_a_token_gets_a_default_one(api, researcher):
    verify(researcher)
    assert api.post("/api/v1/auth/token/", RITA, format="json").json()["name"] == "API token"


@pytest.mark.parametrize("name", ["tab\there", "x" * 101, "<b>bold</b>", "nul\x00"])
def test_a_bad_name_is_refused_with_nothing_made(api, researcher, name):
    verify(researcher)
    response = api.post("/api/v1/auth/token/", {**RITA, "name": name}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert not ApiToken.objects.exists()


def test_an_unverified_e_mail_address_gets_no_token_and_the_refusal_is_audited(api, researcher):
    response = api.post("/api/v1/auth/token/", RITA, format="json")
    assert response.status_code == 403
    assert "e-mail address is not verified" in response.json()["detail"]
    assert not ApiToken.objects.exists()
    refusal = AuditEntry.objects.get(actor=researcher, action=AuditEntry.Action.SIGN_IN_FAILED)
    assert refusal.detail == {"via": "api_token", "reason": "e-mail not verified"}


def test_each_token_issued_and_each_wrong_password_is_audited(api, researcher):
    verify(researcher)
    response = api.post("/api/v1/auth/token/", {**RITA, "name": "laptop"}, format="json", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    issued = AuditEntry.objects.get(actor=researcher, action=AuditEntry.Action.SIGN_IN)
    token = ApiToken.objects.get(user=researcher)
    assert issued.detail == {"via": "api_token", "token": token.pk, "name": "laptop", "from": "api"}
    assert issued.ip_address == "10.1.2.3"
    assert api.post("/api/v1/auth/token/", {**RITA, "password": "wrong"}, format="json").status_code == 400
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN_FAILED, target="login:rita").count() == 1


def test_an_inactive_account_gets_no_token(api, researcher):
    verify(researcher)
    researcher.is_active = False
    researcher.save()
    assert api.post("/api/v1/auth/token/", RITA, format="json").status_code == 400
    assert not ApiToken.objects.exists()


def test_expired_revoked_unknown_and_inactive_tokens_answer_401_saying_which(researcher, researcher2):
    expired, revoked, inactive = token_for(researcher), token_for(researcher, "old"), token_for(researcher2)
    ApiToken.objects.filter(digest=digest_of(expired)).update(expires_at=timezone.now() - timedelta(seconds=1))
    ApiToken.objects.filter(digest=digest_of(revoked)).update(revoked_at=timezone.now())
    type(researcher2).objects.filter(pk=researcher2.pk).update(is_active=False)  # behind the signals' back
    for token, words in [
        (expired, "expired"),
        (revoked, "revoked"),
        ("bly_not-a-token", "Invalid token"),
        (inactive, "inactive"),
    ]:
        response = with_token(token).get("/api/v1/places/")
        assert response.status_code == 401, token
        assert response["WWW-Authenticate"] == "Token"
        assert words in response.json()["detail"]


def test_last_used_is_written_at_most_once_a_minute(researcher):
    token = token_for(researcher)
    row = ApiToken.objects.get(digest=digest_of(token))
    assert row.last_used_at is None
    with_token(token).get("/api/v1/changes/")
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    with_token(token).get("/api/v1/changes/")
    row.refresh_from_db()
    assert row.last_used_at == first
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=first - timedelta(minutes=2))
    with_token(token).get("/api/v1/changes/")
    row.refresh_from_db()
    assert row.last_used_at > first


def test_the_list_shows_the_callers_tokens_and_never_a_secret(researcher, researcher2):
    mine, theirs = token_for(researcher, "mine"), token_for(researcher2, "theirs")
    response = with_token(mine).get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [t["name"] for t in results] == ["mine"]
    assert set(results[0]) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "state",
    }
    assert results[0]["state"] == "active"
    assert mine not in response.content.decode()
    assert digest_of(mine) not in response.content.decode()
    assert theirs not in response.content.decode()
    assert APIClient().get("/api/v1/auth/tokens/").status_code == 401


def test_delete_revokes_one_of_ones_own_tokens(researcher, researcher2):
    keep, drop, theirs = token_for(researcher, "keep"), token_for(researcher, "drop"), token_for(researcher2)
    client = with_token(keep)
    drop_id = ApiToken.objects.get(digest=digest_of(drop)).pk
    theirs_id = ApiToken.objects.get(digest=digest_of(theirs)).pk
    assert client.delete(f"/api/v1/auth/tokens/{theirs_id}/").status_code == 404
    assert with_token(theirs).get("/api/v1/changes/").status_code == 200
    revoked = client.delete(f"/api/v1/auth/tokens/{drop_id}/")
    assert revoked.status_code == 200
    audited = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_OUT, detail__token=drop_id)
    assert audited.actor == researcher and audited.detail["reason"] == "revoked by its owner"
    assert revoked.json()["state"] == "revoked" and revoked.json()["name"] == "drop"
    assert with_token(drop).get("/api/v1/changes/").status_code == 401
    again = client.delete(f"/api/v1/auth/tokens/{drop_id}/")  # again: nothing changes
    assert again.status_code == 200 and again.json()["revoked_at"] == revoked.json()["revoked_at"]
    listed = {t["name"]: t["state"] for t in client.get("/api/v1/auth/tokens/").json()["results"]}
    assert listed == {"keep": "active", "drop": "revoked"}
    for path in ["/api/v1/auth/tokens/99999999999999999999999/", "/api/v1/auth/tokens/٣/"]:
        assert client.delete(path).status_code == 404, path
    assert APIClient().delete(f"/api/v1/auth/tokens/{drop_id}/").status_code == 401


def test_a_token_can_revoke_itself(researcher):
    token = token_for(researcher)
    pk = ApiToken.objects.get(digest=digest_of(token)).pk
    assert with_token(token).delete(f"/api/v1/auth/tokens/{pk}/").status_code == 200
    assert with_token(token).get("/api/v1/changes/").status_code == 401


def test_the_schema_describes_the_token_endpoints(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert set(schema["paths"]["/api/v1/auth/tokens/"]) == {"get"}
    assert set(schema["paths"]["/api/v1/auth/tokens/{id}/"]) == {"delete"}
    token_post = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert token_post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/NewApiToken")
    assert "Bearer" in schema["components"]["securitySchemes"]["tokenAuth"]["description"]
    listed = schema["components"]["schemas"]["ApiToken"]["properties"]
    assert "token" not in listed and "digest" not in listed


def test_accounts_made_by_the_commands_can_take_tokens(api, settings, tmp_path):
    settings.DEBUG = True
    out = StringIO()
    call_command("create_user", "zhanar", "--role", "researcher", "--password", PASSWORD, "--email", "z@example.org")
    call_command("create_user", "nomail", "--role", "researcher", "--password", PASSWORD, stdout=out)
    assert "cannot take API tokens" in out.getvalue()
    call_command("create_demo_accounts", state_file=tmp_path / "demo.json", stdout=StringIO())
    demo = json.loads((tmp_path / "demo.json").read_text())
    for username, password in [("zhanar", PASSWORD), *demo.items()]:
        response = api.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
        assert response.status_code == 200, username
    assert api.post("/api/v1/auth/token/", {"username": "nomail", "password": PASSWORD}).status_code == 403
