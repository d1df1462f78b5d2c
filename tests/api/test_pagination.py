"""Paging through lists: keyset cursors in every ordering, Link headers, relevance for searches."""

import pytest

from records.api.pagination import MAX_PAGE_SIZE
from records.reads import search
from tests.api.conftest import module_data
from tests.factories import publish, publish_many


def walk(api, url, params=None):
    """Every page of a list, following `next`; returns the rows and the number of pages."""
    rows, pages = [], 0
    response = api.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        pages += 1
        rows += response.json()["results"]
        if not response.json()["next"]:
            return rows, pages
        response = api.get(response.json()["next"])


@pytest.fixture(scope="module")
def places_module(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        names = ["Delta", "alpha", "Charlie", "bravo", "Echo", "Foxtrot", "Golf"]
        yield [publish("place", name=name, kind="region") for name in names]


@pytest.fixture
def places(places_module, db):
    return places_module


@pytest.mark.parametrize("ordering", ["name", "-name", "date", "-date", "updated", "-updated", "id", "-id"])
def test_every_ordering_pages_through_every_row_once(places, api, ordering):
    rows, pages = walk(api, "/api/v1/places/", {"page_size": 2, "ordering": ordering})
    assert pages == 4
    assert sorted(row["id"] for row in rows) == sorted(place.pk for place in places)


def test_orderings_page_in_the_same_order_as_one_big_page(places, api):
    for ordering in ("name", "date", "id"):
        paged, _ = walk(api, "/api/v1/places/", {"page_size": 3, "ordering": ordering})
        whole = api.get("/api/v1/places/", {"ordering": ordering}).json()["results"]
        assert [row["id"] for row in paged] == [row["id"] for row in whole]
        backwards = api.get("/api/v1/places/", {"ordering": f"-{ordering}"}).json()["results"]
        assert [row["id"] for row in backwards] == [row["id"] for row in reversed(whole)]
    names = [row["name"] for row in api.get("/api/v1/places/", {"ordering": "name"}).json()["results"]]
    assert names.index("Charlie") < names.index("Delta") < names.index("Golf")


def test_previous_goes_back_to_the_same_rows(places, api):
    first = api.get("/api/v1/places/", {"page_size": 3, "ordering": "id"}).json()
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]


def test_the_links_are_in_a_link_header_too(places, api):
    first = api.get("/api/v1/places/", {"page_size": 3})
    assert first["Link"] == f'<{first.json()["next"]}>; rel="next"'
    second = api.get(first.json()["next"])
    assert 'rel="next"' in second["Link"]
    assert 'rel="prev"' in second["Link"]


def test_a_cursor_of_another_ordering_is_refused(places, api):
    cursor = api.get("/api/v1/places/", {"page_size": 2, "ordering": "name"}).json()["next"].split("cursor=")[1]
    cursor = cursor.split("&")[0]
    response = api.get("/api/v1/places/", {"cursor": cursor, "ordering": "date"})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_page_size_goes_up_to_500(places, api):
    assert api.get("/api/v1/places/", {"page_size": MAX_PAGE_SIZE}).status_code == 200
    assert api.get("/api/v1/places/", {"page_size": MAX_PAGE_SIZE + 1}).status_code == 400


def test_q_orders_by_relevance_unless_an_ordering_is_given(db, api):
    weak, strong = publish_many("place", 2, kind="region")
    weak.label, weak.notes = "Zaisan district", "near the Irtysh"
    strong.label, strong.aliases = "Irtysh Region", ["Irtysh Oblast"]
    weak.save()
    strong.save()
    from records.workflow.indexing import records_reindex
    from records.workflow.publishing import load_record

    records_reindex([load_record(record.pk) for record in (weak, strong)])
    by_relevance = api.get("/api/v1/places/", {"q": "Irtysh"}).json()["results"]
    assert [row["id"] for row in by_relevance] == [strong.pk, weak.pk]
    by_id = api.get("/api/v1/places/", {"q": "Irtysh", "ordering": "id"}).json()["results"]
    assert [row["id"] for row in by_id] == [weak.pk, strong.pk]
    explicit = api.get("/api/v1/places/", {"q": "Irtysh", "ordering": "relevance"}).json()["results"]
    assert explicit == by_relevance


def test_relevance_pages_stop_at_a_fixed_depth(db, api, monkeypatch):
    publish_many("place", 5, kind="region", notes="Kokpekty")
    monkeypatch.setattr(search, "RELEVANCE_MAX_ROWS", 4)
    rows, pages = walk(api, "/api/v1/places/", {"q": "Kokpekty", "page_size": 2})
    assert (len(rows), pages) == (4, 2)
    everything, _ = walk(api, "/api/v1/places/", {"q": "Kokpekty", "page_size": 2, "ordering": "-updated"})
    assert len(everything) == 5
