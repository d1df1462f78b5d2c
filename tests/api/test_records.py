"""Reading records: lists and details of every type, linked records by name, history, revisions, tombstones."""

import pytest

from records.content.registry import registry
from tests.api.conftest import assert_no_secrets

TYPES = [spec.name for spec in registry]


def plural(record_type: str) -> str:
    return registry.get(record_type).plural


def test_the_root_lists_every_resource(db, api):
    body = api.get("/api/v1/").json()
    expected = {spec.plural for spec in registry} | {"changes", "search", "vocabularies", "schema", "docs"}
    assert expected <= set(body)
    assert body["agreements"].endswith("/api/v1/agreements/")


@pytest.mark.parametrize("record_type", TYPES)
def test_it_lists_published_records_of_each_type(world, api, record_type):
    response = api.get(f"/api/v1/{plural(record_type)}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    record = world.of_type(record_type)
    row = next(row for row in body["results"] if row["id"] == record.pk)
    assert row["type"] == record_type
    assert row["revision"] == 1
    assert row["url"] == f"http://testserver/api/v1/{plural(record_type)}/{record.pk}/"
    assert row["web_url"] == f"http://testserver/{plural(record_type)}/{record.pk}/"
    assert all(row["type"] == record_type for row in body["results"])
    assert_no_secrets(response.content.decode())


@pytest.mark.parametrize("record_type", TYPES)
def test_a_detail_is_the_list_row_of_the_record(world, api, record_type):
    record = world.of_type(record_type)
    detail = api.get(f"/api/v1/{plural(record_type)}/{record.pk}/")
    assert detail.status_code == 200
    rows = api.get(f"/api/v1/{plural(record_type)}/", {"page_size": 500}).json()["results"]
    assert detail.json() == next(row for row in rows if row["id"] == record.pk)


def test_an_agreement_names_its_parties_spheres_and_sources(world, api):
    body = api.get(f"/api/v1/agreements/{world.agreement.pk}/").json()
    assert body["title"].startswith("Agreement on trade and economic cooperation")
    assert body["kind"] == "agreement"
    assert body["level"] == "interregional"
    assert body["date"] == "2001-09-03"
    assert body["spheres"] == ["trade", "economic"]
    assert body["place_signed"] == world.omsk.pk
    assert [(p["id"], p["type"], p["name"], p["role"]) for p in body["parties"]] == [
        (world.vko.pk, "place", "East Kazakhstan Region", "party"),
        (world.omsk.pk, "place", "Omsk Region", "party"),
    ]
    assert body["citations"] == [
        {
            "source": world.article.pk,
            "field": "",
            "locator": "p. 12",
            "quote": "signed in Omsk",
            "label": "History of regional relations in foreign political activity",
        }
    ]


def test_a_place_has_names_by_language_and_its_parent(world, api):
    body = api.get(f"/api/v1/places/{world.vko.pk}/").json()
    assert body["name"] == "East Kazakhstan Region"
    assert body["names"]["ru"] == "Восточно-Казахстанская область"
    assert body["aliases"] == ["Shygys Kazakhstan"]
    assert body["kind"] == "region"
    assert body["iso_code"] == "KZ-VOS"
    assert body["parent"] == world.kz.pk
    omsk = api.get(f"/api/v1/places/{world.omsk.pk}/").json()
    assert [(b["id"], b["name"]) for b in omsk["borders"]] == [(world.vko.pk, "East Kazakhstan Region")]


def test_linked_names_follow_the_language_asked_for(world, api):
    body = api.get(f"/api/v1/agreements/{world.agreement.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["parties"][0]["name"] == "Восточно-Казахстанская область"


def test_events_statistics_and_persons_name_what_they_link(world, api):
    event = api.get(f"/api/v1/events/{world.event.pk}/").json()
    assert [(p["name"], p["role"]) for p in event["participants"]] == [("Akimat of East Kazakhstan Region", "guest")]
    assert event["agreements"] == [world.agreement.pk]
    statistic = api.get(f"/api/v1/statistics/{world.turnover.pk}/").json()
    assert [s["name"] for s in statistic["subjects"]] == ["East Kazakhstan Region", "Omsk Region"]
    assert statistic["value"] == "12.8"
    person = api.get(f"/api/v1/persons/{world.person.pk}/").json()
    assert person["positions"][0]["organization"] == world.akimat.pk


def test_a_record_asked_for_under_another_type_is_not_found(world, api):
    response = api.get(f"/api/v1/places/{world.agreement.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("odd", ["0", "-1", "abc", "1.5", "99999999999999999999999", "9223372036854775808", "%00"])
def test_odd_ids_are_not_found(world, api, odd):
    for path in ("/api/v1/agreements/{}/", "/api/v1/agreements/{}/history/", "/api/v1/changes/{}/"):
        response = api.get(path.format(odd))
        # Proposals are for signed-in people: an anonymous caller is asked who they are first.
        expected = (401, "not_authenticated") if "changes" in path else (404, "not_found")
        assert (response.status_code, response.json()["code"]) == expected, path


def test_a_withdrawn_record_answers_410_with_where_its_history_is(world, api):
    response = api.get(f"/api/v1/agreements/{world.withdrawn.pk}/")
    assert response.status_code == 410
    assert response.json()["code"] == "gone"
    assert f"/agreements/{world.withdrawn.pk}/history/" in response.json()["detail"]
    listed = api.get("/api/v1/agreements/", {"page_size": 500}).json()["results"]
    assert world.withdrawn.pk not in [row["id"] for row in listed]


def test_history_lists_revisions_newest_first_with_public_names_only(world, api):
    response = api.get(f"/api/v1/agreements/{world.withdrawn.pk}/history/")
    assert response.status_code == 200
    revisions = response.json()["results"]
    assert [(r["number"], r["action"]) for r in revisions] == [(2, "withdraw"), (1, "create")]
    assert revisions[0]["author"] == "Factory-author"
    assert revisions[0]["reviewer"] == "Factory-reviewer"
    assert revisions[0]["url"].endswith(f"/api/v1/agreements/{world.withdrawn.pk}/revisions/2/")
    assert "@" not in response.content.decode()  # no e-mail addresses


def test_a_revision_is_a_permanent_snapshot(world, api):
    response = api.get(f"/api/v1/agreements/{world.withdrawn.pk}/revisions/1/")
    assert response.status_code == 200
    body = response.json()
    assert body["record"] == world.withdrawn.pk
    assert body["type"] == "agreement"
    assert body["number"] == 1
    assert body["data"]["title"] == "Tombstoned protocol of Pavlodar"
    assert api.get(f"/api/v1/agreements/{world.withdrawn.pk}/revisions/3/").status_code == 404
    assert api.get(f"/api/v1/places/{world.withdrawn.pk}/revisions/1/").status_code == 404


def test_the_pending_edit_does_not_change_the_published_record(world, api):
    body = api.get(f"/api/v1/agreements/{world.agreement.pk}/").json()
    assert body["revision"] == 1
    assert_no_secrets(str(body))
    history = api.get(f"/api/v1/agreements/{world.agreement.pk}/history/").json()["results"]
    assert len(history) == 1


@pytest.mark.parametrize("user", ["researcher", "reviewer", "admin_user"])
def test_signed_in_readers_see_exactly_what_anonymous_readers_see(world, api, as_user, request, user):
    client = as_user(request.getfixturevalue(user))
    for path in ("/api/v1/agreements/", "/api/v1/places/", "/api/v1/search/?q=Zanzibar"):
        mine = client.get(path)
        assert mine.status_code == 200
        assert_no_secrets(mine.content.decode())
    anonymous = api.get("/api/v1/agreements/").json()["results"]
    assert client.get("/api/v1/agreements/").json()["results"] == anonymous


def test_record_endpoints_are_read_only(world, api, as_user, reviewer):
    client = as_user(reviewer)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/api/v1/agreements/{world.agreement.pk}/", {}, format="json")
        assert response.status_code == 405
        assert response.json()["code"] == "method_not_allowed"
    assert client.post("/api/v1/agreements/", {}, format="json").status_code == 405
