"""The workflow through the API, with DESIGN.md's names and status codes."""

import json

import pytest
from django.test import override_settings

from portal.models import ApiToken
from portal.tokens import digest_of
from records.models import Proposal, Record
from tests.conftest import client_for
from tests.factories import PASSWORD, publish
from tests.tokens import verify

MEMO = {"title": "Memorandum on tourism", "kind": "memorandum", "date": "2014-04-09", "spheres": ["tourism"]}


def propose(client, **body):
    body.setdefault("action", "create")
    body.setdefault("record_type", "agreement")
    return client.post("/api/v1/changes/", body, format="json")


def test_it_gives_a_token_for_good_credentials_only(api, researcher):
    verify(researcher)
    response = api.post("/api/v1/auth/token/", {"username": "rita", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=researcher).digest == digest_of(response.json()["token"])
    response = api.post("/api/v1/auth/token/", {"username": "rita", "password": "wrong"}, format="json")
    assert response.status_code == 400


def test_a_token_authenticates_a_proposal(api, researcher):
    verify(researcher)
    token = api.post("/api/v1/auth/token/", {"username": "rita", "password": PASSWORD}, format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert propose(api, data=MEMO).status_code == 201


def test_the_whole_round_trip(researcher, reviewer):
    author, approver = client_for(researcher), client_for(reviewer)
    response = propose(author, data=MEMO, summary="From the 2014 report")
    assert response.status_code == 201
    change = response.json()
    assert (change["status"], change["author"], change["summary"]) == (
        "submitted",
        "Rita Researcher",
        "From the 2014 report",
    )

    assert author.post(f"/api/v1/changes/{change['id']}/approve/", {}, format="json").status_code == 403
    assert change["version"] == 1
    decision = {"comment": "ok", "version": change["version"]}  # the version reviewed
    response = approver.post(f"/api/v1/changes/{change['id']}/approve/", decision, format="json")
    assert response.status_code == 200
    record_id = response.json()["items"][0]["record"]

    record = client_for(None).get(f"/api/v1/agreements/{record_id}/").json()
    assert (record["title"], record["revision"], record["date"], record["type"]) == (
        "Memorandum on tourism",
        1,
        "2014-04-09",
        "agreement",
    )
    assert record["url"].endswith(f"/api/v1/agreements/{record_id}/")
    assert record["web_url"].endswith(f"/agreements/{record_id}/")

    edit = propose(author, action="update", record=record_id, base_revision=1, data={"title": "Memorandum (2014)"})
    assert edit.status_code == 201
    approver.post(f"/api/v1/changes/{edit.json()['id']}/approve/", {}, format="json")
    history = client_for(None).get(f"/api/v1/agreements/{record_id}/history/").json()["results"]
    assert [h["number"] for h in history] == [2, 1]
    assert history[0]["author"] == "Rita Researcher" and history[0]["reviewer"] == "Vera Reviewer"
    first = client_for(None).get(f"/api/v1/agreements/{record_id}/revisions/1/").json()
    assert first["data"]["title"] == "Memorandum on tourism"


def test_a_stale_second_edit_is_a_409_with_what_changed(researcher, researcher2, reviewer):
    agreement = publish("agreement", **MEMO)
    first = propose(
        client_for(researcher), action="update", record=agreement.pk, base_revision=1, data={"title": "A"}
    ).json()
    second = propose(
        client_for(researcher2), action="update", record=agreement.pk, base_revision=1, data={"title": "B"}
    ).json()
    approver = client_for(reviewer)
    assert approver.post(f"/api/v1/changes/{first['id']}/approve/", {}, format="json").status_code == 200
    response = approver.post(f"/api/v1/changes/{second['id']}/approve/", {}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["conflicts"]["0"]["fields"]["title"] == {
        "base": "Memorandum on tourism",
        "current": "A",
        "proposed": "B",
    }
    # The author sees it on the proposal.
    mine = client_for(researcher2).get(f"/api/v1/changes/{second['id']}/").json()
    assert mine["conflict"]["items"]["0"]["fields"]["title"]["current"] == "A"


def test_a_withdrawn_record_answers_410_and_keeps_its_history(researcher, reviewer):
    agreement = publish("agreement", **MEMO)
    change = propose(
        client_for(researcher), action="withdraw", record=agreement.pk, base_revision=1, summary="Duplicate"
    ).json()
    client_for(reviewer).post(f"/api/v1/changes/{change['id']}/approve/", {}, format="json")
    response = client_for(None).get(f"/api/v1/agreements/{agreement.pk}/")
    assert response.status_code == 410
    assert response.json()["code"] == "gone"
    assert len(client_for(None).get(f"/api/v1/agreements/{agreement.pk}/history/").json()["results"]) == 2
    assert client_for(None).get(f"/api/v1/agreements/{agreement.pk}/revisions/1/").status_code == 200
    listed = client_for(None).get("/api/v1/agreements/").json()["results"]
    assert agreement.pk not in [row["id"] for row in listed]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"data": {**MEMO, "date": "2001-13-45"}}, "date"),
        ({"data": {**MEMO, "date": ""}}, "date"),
        ({"data": {**MEMO, "kind": "treatise"}}, "kind"),
        ({"data": {**MEMO, "spheres": "tourism"}}, "spheres"),
        ({"data": {**MEMO, "parties": [{"id": 987654}]}}, "parties"),
        ({"data": {**MEMO, "title": "<b>bold</b>"}}, "title"),
        ({"data": "not an object"}, "data"),
        ({"record_type": "planet", "data": MEMO}, "record_type"),
        ({"action": "explode", "data": MEMO}, "action"),
        ({"action": "update", "record": 987654, "base_revision": 1, "data": {}}, "record"),
        ({"action": "update", "record": "seven", "base_revision": 1, "data": {}}, "record"),
        ({"action": "update", "record": -3, "base_revision": 1, "data": {}}, "record"),
        ({"data": MEMO, "summary": ["not", "text"]}, "summary"),
    ],
)
def test_invalid_proposals_are_400_naming_the_field_and_store_nothing(researcher, body, field):
    response = propose(client_for(researcher), **body)
    assert response.status_code == 400, response.content
    assert field in json.dumps(response.json())
    assert response.json()["detail"]
    assert not Proposal.objects.exists() and not Record.objects.exists()


def test_malformed_json_is_a_400(researcher):
    response = client_for(researcher).generic("POST", "/api/v1/changes/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@override_settings(MAX_REQUEST_BODY_BYTES=10_000)
def test_an_oversized_body_is_a_413(researcher):
    body = {"action": "create", "record_type": "agreement", "data": {**MEMO, "notes": "x" * 20_000}}
    response = client_for(researcher).post("/api/v1/changes/", body, format="json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Proposal.objects.exists()


def test_rights(researcher, newcomer, reviewer):
    anonymous = client_for(None)
    assert propose(anonymous, data=MEMO).status_code == 401
    assert anonymous.get("/api/v1/changes/").status_code == 401
    response = propose(client_for(newcomer), data=MEMO)
    assert response.status_code == 403
    assert "researcher role" in response.json()["detail"]
    change = propose(client_for(researcher), data=MEMO).json()
    assert (
        client_for(researcher)
        .post(f"/api/v1/changes/{change['id']}/reject/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    response = client_for(reviewer).post(f"/api/v1/changes/{change['id']}/reject/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]


def test_pending_and_rejected_content_never_reaches_readers(researcher, researcher2, reviewer):
    pending = propose(client_for(researcher), data={**MEMO, "title": "Secret pending memorandum"}).json()
    rejected = propose(client_for(researcher), data={**MEMO, "title": "Rejected memorandum"}).json()
    client_for(reviewer).post(f"/api/v1/changes/{rejected['id']}/reject/", {"reason": "no source"}, format="json")
    draft = propose(client_for(researcher), data={**MEMO, "title": "Draft memorandum"}, draft=True).json()

    reader = client_for(None)
    for path in ["/api/v1/agreements/", "/api/v1/agreements/?q=memorandum", "/api/v1/agreements/?format=json"]:
        text = reader.get(path).content.decode()
        assert "Secret pending" not in text and "Rejected memorandum" not in text and "Draft memorandum" not in text
    assert reader.get(f"/api/v1/changes/{pending['id']}/").status_code == 401
    # Another researcher cannot open someone else's proposals at all; a reviewer cannot see a draft.
    assert client_for(researcher2).get(f"/api/v1/changes/{pending['id']}/").status_code == 404
    assert client_for(reviewer).get(f"/api/v1/changes/{draft['id']}/").status_code == 404
    assert client_for(reviewer).get(f"/api/v1/changes/{pending['id']}/").status_code == 200
    assert "rita@example.org" not in client_for(reviewer).get("/api/v1/changes/").content.decode()


def test_a_change_set_through_the_api(researcher, reviewer):
    body = {
        "summary": "Plzen agreement",
        "items": [
            {
                "action": "create",
                "record_type": "place",
                "ref": "$plzen",
                "data": {"name": "Plzeň Region", "kind": "region", "aliases": ["Plzensk region"], "iso_code": "CZ-32"},
            },
            {
                "action": "create",
                "record_type": "agreement",
                "data": {
                    "title": "Agreement on trade-economic cooperation",
                    "kind": "agreement",
                    "date": "201X",
                    "parties": [{"id": "$plzen", "role": "party"}],
                },
            },
        ],
    }
    response = client_for(researcher).post("/api/v1/changes/", body, format="json")
    assert response.status_code == 201
    client_for(reviewer).post(f"/api/v1/changes/{response.json()['id']}/approve/", {}, format="json")
    agreement = client_for(None).get("/api/v1/agreements/").json()["results"][0]
    assert agreement["parties"][0]["name"] == "Plzeň Region"
    assert agreement["parties"][0]["type"] == "place"

    bad = {"items": [{"action": "create", "record_type": "agreement", "data": {**MEMO, "parties": [{"id": "$nope"}]}}]}
    response = client_for(researcher).post("/api/v1/changes/", bad, format="json")
    assert response.status_code == 400
    assert "$nope" in json.dumps(response.json()["errors"]["items"]["0"])


def test_unknown_and_odd_ids_are_404_not_500(db, api):
    for path in [
        "/api/v1/agreements/999999999/",
        "/api/v1/agreements/99999999999999999999999/",
        "/api/v1/agreements/abc/",
        "/api/v1/agreements/1/revisions/99/",
        "/api/v1/changes/abc/approve/",
    ]:
        assert api.get(path).status_code == (401 if "/changes/" in path else 404), path


def test_two_factor_accounts_need_their_code_for_a_token(api, reviewer):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    verify(reviewer)
    secret = generate_totp_secret()
    TOTP.activate(reviewer, secret)
    credentials = {"username": "vera", "password": PASSWORD}
    response = api.post("/api/v1/auth/token/", credentials, format="json")
    assert response.status_code == 400
    assert "authenticator code" in json.dumps(response.json()["errors"]["code"])
    response = api.post("/api/v1/auth/token/", {**credentials, "code": "000000"}, format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=reviewer).exists()
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
    response = api.post("/api/v1/auth/token/", {**credentials, "code": code}, format="json")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=reviewer).digest == digest_of(response.json()["token"])
