"""One JSON error shape everywhere under /api/, and odd input never causes a server error."""

import json

import pytest
from django.test import Client


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["code"], str)
    if code:
        assert body["code"] == code
    return body


def test_an_unknown_api_url_is_a_json_404(db, api):
    assert_error(api.get("/api/v1/planets/"), 404, "not_found")
    assert_error(api.get("/api/v2/"), 404, "not_found")
    assert_error(api.get("/api/v1/places/1/nothing/"), 404, "not_found")


def test_pages_outside_the_api_keep_their_html_errors(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "json" not in response["Content-Type"]


def test_a_wrong_method_is_405(db, api):
    body = assert_error(api.delete("/api/v1/places/"), 405, "method_not_allowed")
    assert "DELETE" in body["detail"]
    assert_error(api.put("/api/v1/search/?q=a"), 405)


def test_unknown_formats_and_accept_are_406(db, api):
    assert_error(api.get("/api/v1/search/", {"q": "a", "format": "csv"}), 406, "not_acceptable")
    assert_error(api.get("/api/v1/vocabularies/", HTTP_ACCEPT="image/png"), 406, "not_acceptable")


def test_a_body_over_the_limit_is_413_before_it_is_read(db, as_user, researcher, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    client = as_user(researcher)
    response = client.post("/api/v1/changes/", {"summary": "x" * 2000}, format="json")
    assert_error(response, 413, "too_large")


@pytest.mark.parametrize(
    ("content_type", "payload"),
    [("text/plain", b"hello"), ("application/x-www-form-urlencoded", b"action=create"), ("application/xml", b"<a/>")],
)
def test_a_body_that_is_not_json_is_415(db, as_user, researcher, content_type, payload):
    response = as_user(researcher).generic("POST", "/api/v1/changes/", payload, content_type=content_type)
    assert_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "payload",
    [
        b"{",
        b'{"action": }',
        b"\xff\xfe\x00{",
        '{"summary": "caf\u00e9"}'.encode("latin-1"),
        b"",
        b"NaN",
        b'{"a": ' * 2000 + b"1" + b"}" * 2000,
    ],
)
def test_malformed_json_is_a_400(db, as_user, researcher, payload):
    response = as_user(researcher).generic("POST", "/api/v1/changes/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["code"] in ("parse_error", "invalid")


@pytest.mark.parametrize(
    "payload",
    [
        [],
        [1, 2],
        "a string",
        42,
        None,
        {"action": "create"},
        {"action": "create", "record_type": "planet", "data": {}},
        {"action": "create", "record_type": "place", "data": []},
        {"action": "create", "record_type": "place", "data": "name"},
        {"action": "update", "record_type": "place", "record": 2**64, "data": {}},
        {"action": "update", "record_type": "place", "record": -1, "data": {}},
        {"action": "update", "record_type": "place", "record": 99999, "base_revision": 1, "data": {}},
        {"action": "update", "record_type": "place", "record": "1; DROP", "data": {}},
        {"action": "create", "record_type": "place", "data": {"name": "a\x00b", "kind": "region"}},
        {"action": "create", "record_type": "place", "data": {"name": ["x"], "kind": {"a": 1}}},
        {"action": "create", "record_type": "place", "data": {"name": "X", "kind": "region", "parent": 2**70}},
        {"action": "create", "record_type": "place", "data": {"name": "X", "kind": "region", "latitude": "1e400"}},
        {"action": "create", "record_type": "place", "data": {"name": "X", "kind": "region", "names": {"<": "y"}}},
        {"action": "create", "record_type": "agreement", "data": {"title": "X", "kind": "treaty", "date": "9" * 200}},
        {"items": []},
        {"items": {"0": {}}},
        {"items": [None]},
        {"items": [{"action": "create", "record_type": "place", "data": {}}] * 101},
        {"action": "create", "record_type": "place", "data": {"name": "X", "kind": "region"}, "draft": "perhaps"},
        {"action": "create", "record_type": "place", "data": {"name": "X", "kind": "region"}, "summary": "<script>"},
    ],
)
def test_odd_proposals_are_400_never_500(db, as_user, researcher, payload):
    response = as_user(researcher).post("/api/v1/changes/", payload, format="json")
    body = assert_error(response, 400)
    assert body["code"] == "invalid"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/changes/99999999999999999999999/approve/",
        "/api/v1/changes/-1/approve/",
        "/api/v1/changes/abc/reject/",
        "/api/v1/changes/0/comments/",
    ],
)
def test_actions_on_odd_proposal_ids_are_404(db, as_user, reviewer, path):
    assert_error(as_user(reviewer).post(path, {"reason": "r", "body": "b"}, format="json"), 404, "not_found")


@pytest.mark.parametrize(
    "query",
    [
        "page_size=-1",
        "page_size=1e3",
        "page_size=99999999999999999999",
        "cursor=%FF%FE",
        "cursor=" + "A" * 5000,
        "ordering=%00",
        "q=%FF%FE%FD",
        "place=1%00",
        "updated_after=0001-01-01T00:00:00",
        "updated_after=9999-12-31T23:59:59",
        "updated_after=2001-01-01T00:00:00%2B25:00",
        "date_after=99999",
        "kind=a&kind=b&kind=" + "&kind=".join(str(i) for i in range(100)),
        "format=%00",
    ],
)
def test_odd_query_strings_are_4xx_or_fine_never_500(db, api, query):
    response = api.get(f"/api/v1/agreements/?{query}")
    readable = query.startswith(("q=", "updated_after=0001", "updated_after=9999"))  # text, and the calendar's ends
    expected = 406 if query.startswith("format=") else 200 if readable else 400
    assert response.status_code == expected, response.content[:300]
    assert response["Content-Type"] == "application/json"


def test_a_bad_host_header_is_a_json_400(db):
    response = Client(HTTP_HOST="evil.example").get("/api/v1/")
    assert_error(response, 400)


def test_non_utf8_in_the_path_is_404(db, api):
    assert api.get("/api/v1/places/%FF/").status_code == 404


def test_deep_nesting_anywhere_is_bad_input(db, api, as_user, researcher):
    deep = b'{"a": ' * 3000 + b"1" + b"}" * 3000
    token = api.generic("POST", "/api/v1/auth/token/", deep, content_type="application/json")
    assert token.status_code == 400
    nested: dict = {}
    cursor = nested
    for _ in range(400):
        cursor["a"] = {}
        cursor = cursor["a"]
    draft = {"action": "create", "record_type": "place", "data": {"notes": nested}, "draft": True}
    response = as_user(researcher).post("/api/v1/changes/", draft, format="json")
    # A draft keeps whatever its author wrote until it is submitted; 400 levels of JSON are within limits.
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
