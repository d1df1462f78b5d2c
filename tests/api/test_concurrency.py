"""Optimistic concurrency the HTTP way: ETag and If-None-Match on details, If-Match on proposals."""

import re

import pytest

from records.models import Proposal
from records.workflow import review
from tests.factories import propose_update, publish


@pytest.fixture
def place(db):
    return publish("place", name="Pavlodar Region", kind="region")


def approve_edit(place, researcher, reviewer, **changes):
    proposal = propose_update(place, researcher, **changes)
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)
    place.refresh_from_db()


def propose(client, body, **headers):
    return client.post("/api/v1/changes/", body, format="json", **headers)


def test_a_detail_carries_an_etag_naming_its_revision(place, api):
    response = api.get(f"/api/v1/places/{place.pk}/")
    assert re.fullmatch(rf'"{place.pk}-r1-[0-9a-f]{{16}}"', response["ETag"])


def test_if_none_match_gives_304_until_the_record_changes(place, api, researcher, reviewer):
    etag = api.get(f"/api/v1/places/{place.pk}/")["ETag"]
    unchanged = api.get(f"/api/v1/places/{place.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag
    approve_edit(place, researcher, reviewer, name="Pavlodar Oblast")
    changed = api.get(f"/api/v1/places/{place.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"].startswith(f'"{place.pk}-r2-')


def test_each_representation_has_its_own_etag(place, api):
    json_tag = api.get(f"/api/v1/places/{place.pk}/")["ETag"]
    csv_tag = api.get(f"/api/v1/places/{place.pk}/", {"format": "csv"})["ETag"]
    russian_tag = api.get(f"/api/v1/places/{place.pk}/", HTTP_ACCEPT_LANGUAGE="ru")["ETag"]
    assert len({json_tag, csv_tag, russian_tag}) == 3
    assert api.get(f"/api/v1/places/{place.pk}/", {"format": "csv"}, HTTP_IF_NONE_MATCH=json_tag).status_code == 200


def test_a_proposal_with_a_current_if_match_is_accepted(place, api, as_user, researcher):
    etag = api.get(f"/api/v1/places/{place.pk}/")["ETag"]
    body = {"action": "update", "record_type": "place", "record": place.pk, "data": {"name": "Pavlodar Oblast"}}
    response = propose(as_user(researcher), body, HTTP_IF_MATCH=etag)
    assert response.status_code == 201, response.content
    assert response.json()["items"][0]["base_revision"] == 1  # taken from If-Match


def test_a_proposal_with_a_stale_if_match_gets_412_and_nothing_is_stored(place, api, as_user, researcher, reviewer):
    etag = api.get(f"/api/v1/places/{place.pk}/")["ETag"]
    approve_edit(place, researcher, reviewer, notes="Renamed in 1992.")
    before = Proposal.objects.count()
    body = {"action": "update", "record_type": "place", "record": place.pk, "base_revision": 1, "data": {"name": "X"}}
    response = propose(as_user(researcher), body, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert response.json()["records"] == {str(place.pk): {"if_match": [1], "current_revision": 2}}
    assert Proposal.objects.count() == before
    withdraw = {"action": "withdraw", "record_type": "place", "record": place.pk}
    assert propose(as_user(researcher), withdraw, HTTP_IF_MATCH=etag).status_code == 412
    fresh = api.get(f"/api/v1/places/{place.pk}/")["ETag"]
    assert propose(as_user(researcher), withdraw, HTTP_IF_MATCH=fresh).status_code == 201


def test_the_short_form_and_star_are_understood(place, as_user, researcher):
    body = {"action": "update", "record_type": "place", "record": place.pk, "data": {"notes": "n"}}
    assert propose(as_user(researcher), body, HTTP_IF_MATCH=f'"{place.pk}-r1"').status_code == 201
    star = {**body, "base_revision": 1}
    assert propose(as_user(researcher), star, HTTP_IF_MATCH="*").status_code == 201


@pytest.mark.parametrize("header", ['"garbage"', "W/", '"1-r0"', "r1", '"99999999999999999999-r1"'])
def test_an_if_match_that_names_no_revision_fails(place, as_user, researcher, header):
    body = {"action": "update", "record_type": "place", "record": place.pk, "base_revision": 1, "data": {"notes": "n"}}
    response = propose(as_user(researcher), body, HTTP_IF_MATCH=header)
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"


def test_if_match_must_name_the_record_being_changed(place, as_user, researcher):
    other = publish("place", name="Kostanay Region", kind="region")
    body = {"action": "update", "record_type": "place", "record": place.pk, "base_revision": 1, "data": {"notes": "n"}}
    assert propose(as_user(researcher), body, HTTP_IF_MATCH=f'"{other.pk}-r1"').status_code == 412


def test_a_change_set_checks_every_record_named(place, as_user, researcher, reviewer):
    other = publish("place", name="Kostanay Region", kind="region")
    approve_edit(other, researcher, reviewer, notes="changed")
    body = {
        "items": [
            {"action": "update", "record_type": "place", "record": place.pk, "data": {"notes": "a"}},
            {"action": "update", "record_type": "place", "record": other.pk, "data": {"notes": "b"}},
        ]
    }
    stale = f'"{place.pk}-r1", "{other.pk}-r1"'
    response = propose(as_user(researcher), body, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert set(response.json()["records"]) == {str(other.pk)}
    current = f'"{place.pk}-r1", "{other.pk}-r2"'
    accepted = propose(as_user(researcher), body, HTTP_IF_MATCH=current)
    assert accepted.status_code == 201
    assert [item["base_revision"] for item in accepted.json()["items"]] == [1, 2]


def test_without_if_match_a_stale_base_still_merges_or_conflicts(place, as_user, researcher, reviewer):
    approve_edit(place, researcher, reviewer, notes="Renamed in 1992.")
    merged = {
        "action": "update",
        "record_type": "place",
        "record": place.pk,
        "base_revision": 1,
        "data": {"iso_code": "KZ-PAV"},
    }
    assert propose(as_user(researcher), merged).status_code == 201
    clash = {
        "action": "update",
        "record_type": "place",
        "record": place.pk,
        "base_revision": 1,
        "data": {"notes": "Other."},
    }
    response = propose(as_user(researcher), clash)
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_a_user_without_rights_gets_403_not_412(place, as_user, newcomer):
    body = {"action": "withdraw", "record_type": "place", "record": place.pk}
    assert propose(as_user(newcomer), body, HTTP_IF_MATCH='"1-r9"').status_code == 403
