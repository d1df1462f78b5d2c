"""Revising through the API (PUT /api/v1/changes/<id>/) and approving the version that was reviewed."""

import pytest

from records.models import Notification, Proposal, ProposalItem, ProposalStatus, Record
from tests.conftest import client_for

MEMO = {"title": "Memorandum on tourism", "kind": "memorandum", "date": "2013-06-20"}


def body(title: str, **extra) -> dict:
    return {"action": "create", "record_type": "agreement", "data": {**MEMO, "title": title}, **extra}


def propose(author, title="Memorandum on tourism", **extra) -> dict:
    response = client_for(author).post("/api/v1/changes/", body(title, **extra), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def put(user, proposal_id, payload):
    return client_for(user).put(f"/api/v1/changes/{proposal_id}/", payload, format="json")


def test_a_proposal_starts_at_version_one_and_the_author_revises_it(researcher):
    proposal = propose(researcher)
    assert proposal["version"] == 1

    response = put(researcher, proposal["id"], body("Memorandum on tourism and trade", summary="wider"))

    assert response.status_code == 200, response.content
    revised = response.json()
    assert (revised["version"], revised["status"], revised["summary"]) == (2, "submitted", "wider")
    assert revised["items"][0]["data"]["title"] == "Memorandum on tourism and trade"
    assert client_for(researcher).get(f"/api/v1/changes/{proposal['id']}/").json()["version"] == 2
    assert ProposalItem.objects.get().data["title"] == "Memorandum on tourism and trade"


def test_a_draft_revised_without_draft_is_submitted_and_with_draft_stays_a_draft(researcher):
    draft = propose(researcher, draft=True)
    kept = put(researcher, draft["id"], body("Still a draft", draft=True)).json()
    assert (kept["status"], kept["version"]) == ("draft", 2)
    submitted = put(researcher, draft["id"], body("Ready")).json()
    assert (submitted["status"], submitted["version"]) == ("submitted", 3)


def test_only_the_author_revises(researcher, researcher2, reviewer):
    proposal = propose(researcher)
    assert put(reviewer, proposal["id"], body("Reviewer's wording")).status_code == 403
    assert put(researcher2, proposal["id"], body("Someone else's")).status_code == 404  # cannot even see it
    assert put(researcher, 999999, body("Nothing there")).status_code == 404
    assert client_for(None).put(f"/api/v1/changes/{proposal['id']}/", body("x"), format="json").status_code == 401
    assert Proposal.objects.get().version == 1
    assert ProposalItem.objects.get().data["title"] == MEMO["title"]


def test_someone_elses_proposal_is_refused_before_its_body_is_read(researcher, reviewer):
    proposal = propose(researcher)
    assert put(reviewer, proposal["id"], {"action": "create", "record_type": "nonsense"}).status_code == 403


def test_a_decided_proposal_cannot_be_revised(researcher, reviewer):
    proposal = propose(researcher)
    client_for(reviewer).post(f"/api/v1/changes/{proposal['id']}/approve/", {"version": 1}, format="json")
    response = put(researcher, proposal["id"], body("After the fact"))
    assert response.status_code == 409
    assert "approved" in response.json()["detail"]
    assert Record.objects.get().label == MEMO["title"]


def test_an_invalid_revision_is_a_400_and_changes_nothing(researcher):
    proposal = propose(researcher)
    response = put(researcher, proposal["id"], body("Bad date", data={"title": "x", "kind": "memorandum"}))
    assert response.status_code == 400
    response = put(researcher, proposal["id"], {**body("Bad"), "data": {**MEMO, "date": "2013-13-45"}})
    assert response.status_code == 400
    assert "date" in response.json()["errors"]["data"]
    assert Proposal.objects.get().version == 1
    assert ProposalItem.objects.get().data["title"] == MEMO["title"]


def test_approving_a_stale_version_is_a_409_and_publishes_nothing(researcher, reviewer):
    proposal = propose(researcher, "What the reviewer read")
    client = client_for(reviewer)
    client.post(f"/api/v1/changes/{proposal['id']}/claim/", {}, format="json")
    put(researcher, proposal["id"], body("What the author slipped in"))

    response = client.post(f"/api/v1/changes/{proposal['id']}/approve/", {"comment": "ok", "version": 1}, format="json")

    assert response.status_code == 409
    assert "you read version 1, it is now 2" in response.json()["detail"]
    assert not Record.objects.exists()
    current = client.get(f"/api/v1/changes/{proposal['id']}/").json()
    assert (current["status"], current["claimed_by"], current["version"]) == ("submitted", None, 2)
    notice = Notification.objects.get(user=reviewer)
    assert (notice.kind, notice.actor.username) == ("changed", "rita")

    response = client.post(f"/api/v1/changes/{proposal['id']}/approve/", {"comment": "ok", "version": 2}, format="json")
    assert response.status_code == 200
    assert Record.objects.get().label == "What the author slipped in"


def test_approving_without_a_version_approves_the_current_one(researcher, reviewer):
    """Kept for clients written before versions; they should send the version they reviewed."""
    proposal = propose(researcher)
    response = client_for(reviewer).post(f"/api/v1/changes/{proposal['id']}/approve/", {"comment": "ok"})
    assert response.status_code == 200
    assert Proposal.objects.get().status == ProposalStatus.APPROVED


@pytest.mark.parametrize("version", ["one", 0, -1, 2**40, True])
def test_a_malformed_version_is_a_400(researcher, reviewer, version):
    proposal = propose(researcher)
    payload = {"version": version}
    response = client_for(reviewer).post(f"/api/v1/changes/{proposal['id']}/approve/", payload, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]
    assert not Record.objects.exists()


def test_the_schema_documents_revising_and_versions(db, api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    put_operation = schema["paths"]["/api/v1/changes/{id}/"]["put"]
    post_operation = schema["paths"]["/api/v1/changes/"]["post"]
    request_body = put_operation["requestBody"]["content"]["application/json"]["schema"]
    assert request_body == post_operation["requestBody"]["content"]["application/json"]["schema"]
    assert "If-Match" in [parameter["name"] for parameter in put_operation["parameters"]]
    assert {"200", "400", "403", "404", "409", "412"} <= set(put_operation["responses"])
    assert "version" in schema["components"]["schemas"]["Proposal"]["properties"]
    approve = schema["paths"]["/api/v1/changes/{id}/approve/"]["post"]
    approval = approve["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "version" in schema["components"]["schemas"][approval]["properties"]
    assert "409" in approve["responses"]
