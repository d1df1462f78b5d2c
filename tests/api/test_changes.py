"""Writing through proposals (/api/v1/changes/): who may propose, review and see what."""

import pytest

from records.models import Proposal, ProposalStatus, Record
from tests.factories import publish

MEMO = {"title": "Memorandum on tourism with Bayan-Ölgii", "kind": "memorandum", "date": "2013-06-20"}


def propose(client, **extra):
    body = {"action": "create", "record_type": "agreement", "data": MEMO, "summary": "new memorandum", **extra}
    return client.post("/api/v1/changes/", body, format="json")


def test_anonymous_callers_must_sign_in(db, api):
    for response in (api.get("/api/v1/changes/"), propose(api), api.post("/api/v1/changes/1/approve/", {})):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response.json()["code"] == "not_authenticated"


def test_an_account_without_a_role_cannot_propose(db, as_user, newcomer):
    response = propose(as_user(newcomer))
    assert response.status_code == 403
    assert "researcher role" in response.json()["detail"]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("role", ["researcher", "reviewer", "admin_user"])
def test_researchers_reviewers_and_administrators_can_propose(db, as_user, request, role):
    response = propose(as_user(request.getfixturevalue(role)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert response["Location"] == f"/api/v1/changes/{body['id']}/"
    assert body["items"][0]["data"]["title"] == MEMO["title"]
    assert not Record.objects.filter(label=MEMO["title"]).exists()  # nothing is published before review


def test_a_draft_stays_a_draft_until_submitted(db, as_user, researcher, reviewer):
    client = as_user(researcher)
    draft = propose(client, draft=True).json()
    assert draft["status"] == "draft"
    assert as_user(reviewer).get(f"/api/v1/changes/{draft['id']}/").status_code == 404
    submitted = client.post(f"/api/v1/changes/{draft['id']}/submit/")
    assert submitted.json()["status"] == "submitted"


def test_the_reviewer_of_someone_elses_proposal_publishes_it(db, as_user, researcher, reviewer, api):
    proposal = propose(as_user(researcher)).json()
    assert as_user(researcher).post(f"/api/v1/changes/{proposal['id']}/approve/", {}).status_code == 403
    response = as_user(reviewer).post(f"/api/v1/changes/{proposal['id']}/approve/", {"comment": "Sourced."})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    record_id = response.json()["items"][0]["record"]
    published = api.get(f"/api/v1/agreements/{record_id}/").json()
    assert published["title"] == MEMO["title"]
    assert published["revision"] == 1


def test_nobody_approves_their_own_proposal_nor_does_an_administrator_review(db, as_user, reviewer, admin_user):
    own = propose(as_user(reviewer)).json()
    response = as_user(reviewer).post(f"/api/v1/changes/{own['id']}/approve/", {})
    assert response.status_code == 403
    assert "own proposal" in response.json()["detail"]
    by_admin = propose(as_user(admin_user)).json()
    assert as_user(admin_user).post(f"/api/v1/changes/{own['id']}/approve/", {}).status_code == 404
    assert as_user(reviewer).post(f"/api/v1/changes/{by_admin['id']}/approve/", {}).status_code == 200
    assert Proposal.objects.get(pk=own["id"]).status == ProposalStatus.SUBMITTED


def test_a_rejection_needs_a_reason(db, as_user, researcher, reviewer):
    proposal = propose(as_user(researcher)).json()
    client = as_user(reviewer)
    response = client.post(f"/api/v1/changes/{proposal['id']}/reject/", {})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    response = client.post(f"/api/v1/changes/{proposal['id']}/reject/", {"reason": "No source given."})
    assert response.json()["status"] == "rejected"
    again = client.post(f"/api/v1/changes/{proposal['id']}/approve/", {})
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_state"


def test_authors_see_their_own_and_reviewers_the_queue(db, as_user, researcher, researcher2, reviewer):
    mine = propose(as_user(researcher)).json()
    assert as_user(researcher2).get(f"/api/v1/changes/{mine['id']}/").status_code == 404
    assert as_user(researcher2).get("/api/v1/changes/").json()["results"] == []
    queue = as_user(reviewer).get("/api/v1/changes/", {"status": "submitted"}).json()["results"]
    assert [item["id"] for item in queue] == [mine["id"]]
    assert as_user(reviewer).get("/api/v1/changes/", {"mine": "1"}).json()["results"] == []
    listed = as_user(researcher).get("/api/v1/changes/").json()["results"][0]
    assert listed["author"] == "Rita Researcher"
    assert "@" not in str(listed)


@pytest.mark.parametrize(("params", "field"), [({"status": "pending"}, "status"), ({"mine": "yes"}, "mine")])
def test_bad_queue_filters_are_400(db, as_user, reviewer, params, field):
    response = as_user(reviewer).get("/api/v1/changes/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_invalid_data_is_a_400_with_the_field_errors_and_nothing_is_stored(db, as_user, researcher):
    response = propose(as_user(researcher), data={**MEMO, "date": "2001-13-45", "kind": "planet"})
    assert response.status_code == 400
    errors = response.json()["errors"]["data"]
    assert set(errors) == {"date", "kind"}
    misspelt = propose(as_user(researcher), data={**MEMO, "colour": "red"})
    assert misspelt.json()["errors"]["data"] == {"colour": ["Unknown field."]}
    assert not Proposal.objects.exists()


def test_a_change_set_creates_records_that_refer_to_each_other(db, as_user, researcher, reviewer, api):
    body = {
        "summary": "a partner and the agreement with it",
        "items": [
            {
                "action": "create",
                "record_type": "place",
                "ref": "$bayan",
                "data": {"name": "Bayan-Ölgii", "kind": "aimag"},
            },
            {
                "action": "create",
                "record_type": "agreement",
                "data": {**MEMO, "parties": [{"id": "$bayan", "role": "party"}]},
            },
        ],
    }
    proposal = as_user(researcher).post("/api/v1/changes/", body, format="json").json()
    approved = as_user(reviewer).post(f"/api/v1/changes/{proposal['id']}/approve/", {}).json()
    place_id, agreement_id = (item["record"] for item in approved["items"])
    agreement = api.get(f"/api/v1/agreements/{agreement_id}/").json()
    assert agreement["parties"][0]["id"] == place_id
    assert agreement["parties"][0]["name"] == "Bayan-Ölgii"


def test_errors_in_a_change_set_are_given_by_item(db, as_user, researcher):
    body = {"items": [{"action": "create", "record_type": "place", "data": {"name": "X"}}, {"action": "delete"}]}
    response = as_user(researcher).post("/api/v1/changes/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "items" in errors


def test_updates_withdrawals_and_reverts(db, as_user, researcher, reviewer, api):
    place = publish("place", name="Semipalatinsk Region", kind="region")
    researcher_client, reviewer_client = as_user(researcher), as_user(reviewer)

    def run(body):
        proposal = researcher_client.post("/api/v1/changes/", body, format="json")
        assert proposal.status_code == 201, proposal.content
        return reviewer_client.post(f"/api/v1/changes/{proposal.json()['id']}/approve/", {})

    base = {"record_type": "place", "record": place.pk}
    run({**base, "action": "update", "base_revision": 1, "data": {"name": "Semey Region"}})
    assert api.get(f"/api/v1/places/{place.pk}/").json()["name"] == "Semey Region"
    run({**base, "action": "withdraw", "base_revision": 2})
    assert api.get(f"/api/v1/places/{place.pk}/").status_code == 410
    run({**base, "action": "revert", "revert_to": 1})
    restored = api.get(f"/api/v1/places/{place.pk}/").json()
    assert (restored["name"], restored["revision"]) == ("Semipalatinsk Region", 4)


def test_a_discussion_and_a_claim(db, as_user, researcher, reviewer):
    proposal = propose(as_user(researcher)).json()
    comment = as_user(reviewer).post(f"/api/v1/changes/{proposal['id']}/comments/", {"body": "Which archive?"})
    assert comment.status_code == 201
    assert comment.json()["author"] == "Vera Reviewer"
    claimed = as_user(reviewer).post(f"/api/v1/changes/{proposal['id']}/claim/", {}, format="json").json()
    assert claimed["claimed_by"] == "Vera Reviewer"
    released = as_user(reviewer).post(f"/api/v1/changes/{proposal['id']}/claim/", {"release": True}, format="json")
    assert released.json()["claimed_by"] is None
    assert as_user(researcher).post(f"/api/v1/changes/{proposal['id']}/claim/", {}).status_code == 403
