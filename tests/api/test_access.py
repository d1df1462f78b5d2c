"""Authentication (token and session), throttling, and CORS for read-only requests from other sites."""

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from tests.tokens import verify

MEMO = {"action": "create", "record_type": "agreement", "data": {"title": "M", "kind": "memorandum", "date": "2014"}}


def test_a_token_for_username_and_password(db, api, researcher):
    verify(researcher)
    response = api.post("/api/v1/auth/token/", {"username": "rita", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/v1/changes/", MEMO, format="json").status_code == 201
    again = api.post("/api/v1/auth/token/", {"username": "rita", "password": PASSWORD}, format="json")
    assert again.json()["token"] != token  # every request makes a new token; the first keeps working
    assert client.get("/api/v1/changes/").status_code == 200


def test_wrong_credentials_and_bad_tokens(db, api, researcher):
    response = api.post("/api/v1/auth/token/", {"username": "rita", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    rejected = client.get("/api/v1/places/")
    assert rejected.status_code == 401
    assert rejected.json()["code"] == "authentication_failed"


def test_the_browser_session_works_and_needs_the_csrf_token(db, researcher):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="rita", password=PASSWORD)
    assert client.get("/api/v1/changes/").status_code == 200
    refused = client.post("/api/v1/changes/", MEMO, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    token = "k" * 32  # what a page of the site puts into the csrftoken cookie and a script echoes
    client.cookies["csrftoken"] = token
    accepted = client.post("/api/v1/changes/", MEMO, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


@pytest.fixture
def tight_rates(settings):
    rates = {"anon": "3/minute", "user": "5/minute", "auth": "2/minute", "export": "1/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    return rates


def test_anonymous_callers_are_throttled_with_retry_after(db, api, tight_rates):
    # Three different reads (a repeated one is answered from the cache, which no throttle counts).
    for accept in ("application/json", "text/csv", "*/*"):
        assert api.get("/api/v1/places/", headers={"accept": accept}).status_code == 200
    response = api.get("/api/v1/places/", {"format": "csv"})
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["retry_after"] == int(response["Retry-After"])


def test_signed_in_callers_have_their_own_rate(db, as_user, researcher, api, tight_rates):
    client = as_user(researcher)
    for _ in range(5):
        assert client.get("/api/v1/places/").status_code == 200
    assert client.get("/api/v1/places/").status_code == 429
    assert api.get("/api/v1/places/").status_code == 200  # anonymous callers count separately


def test_a_repeated_anonymous_read_is_served_from_the_cache_and_not_counted(db, api, tight_rates):
    assert api.get("/api/v1/places/", {"format": "csv"}).status_code == 200
    for _ in range(5):
        assert api.get("/api/v1/places/").status_code == 200


def test_token_requests_are_throttled_against_password_guessing(db, api, researcher, tight_rates):
    verify(researcher)
    for _ in range(2):
        api.post("/api/v1/auth/token/", {"username": "rita", "password": "guess"}, format="json")
    response = api.post("/api/v1/auth/token/", {"username": "rita", "password": PASSWORD}, format="json")
    assert response.status_code == 429


def test_whole_exports_have_a_rate_of_their_own(db, as_user, researcher, tight_rates):
    client = as_user(researcher)
    first = client.get("/api/v1/places/", {"all": "1", "format": "csv"})
    assert first.status_code == 200
    assert client.get("/api/v1/places/", {"all": "1", "format": "csv"}).status_code == 429
    assert client.get("/api/v1/places/", {"format": "csv"}).status_code == 200  # pages are not exports


def test_cors_lets_other_sites_read(db, api):
    response = api.get("/api/v1/places/", HTTP_ORIGIN="https://research.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Link" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_allows_reading_but_not_writing(db, api):
    read = api.options(
        "/api/v1/places/",
        HTTP_ORIGIN="https://research.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert read.status_code == 200
    assert read["Access-Control-Allow-Origin"] == "*"
    assert set(read["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    write = api.options(
        "/api/v1/changes/",
        HTTP_ORIGIN="https://research.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in write.get("Access-Control-Allow-Methods", "")


def test_cors_is_only_for_the_api(db, client):
    response = client.get("/", HTTP_ORIGIN="https://research.example.org")
    assert "Access-Control-Allow-Origin" not in response
