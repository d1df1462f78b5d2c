"""/api/v1/search/: every published record, best match first, with a safe highlighted snippet."""

import pytest

from records.reads.search import search_all, snippet_html
from tests.api.conftest import assert_no_secrets
from tests.factories import publish


def test_it_finds_records_of_every_type(world, api):
    response = api.get("/api/v1/search/", {"q": "Omsk"})
    assert response.status_code == 200
    hits = response.json()["results"]
    found = {(hit["type"], hit["id"]) for hit in hits}
    assert {
        ("place", world.omsk.pk),
        ("agreement", world.agreement.pk),
        ("event", world.event.pk),
        ("statistic", world.turnover.pk),
    } <= found
    hit = next(hit for hit in hits if hit["id"] == world.event.pk)
    assert hit["url"] == f"http://testserver/api/v1/events/{world.event.pk}/"
    assert hit["web_url"] == f"http://testserver/events/{world.event.pk}/"
    assert hit["name"] == "Visit of the akim to Omsk"
    assert hit["date"] == "2001-09"
    assert hit["snippet"] == "Visit of the akim to <mark>Omsk</mark>"
    assert hits == sorted(hits, key=lambda hit: -hit["rank"])


def test_type_narrows_the_search(world, api):
    hits = api.get("/api/v1/search/", {"q": "Omsk", "type": ["event", "place"]}).json()["results"]
    assert {hit["type"] for hit in hits} == {"event", "place"}


def test_nothing_unpublished_or_withdrawn_is_found(world, api):
    for word in ("Zanzibar", "Quetzal", "Xylophone", "Vermilion", "Tombstoned", "Pavlodar"):
        response = api.get("/api/v1/search/", {"q": word})
        assert response.json()["results"] == [], word
        assert_no_secrets(response.content.decode())


def test_snippets_escape_everything_but_the_marks(db, api):
    publish("place", name="Semey", kind="city", notes='Tom & Jerry\'s "cartoon" festival in Semey')
    hit = api.get("/api/v1/search/", {"q": "festival"}).json()["results"][0]
    assert hit["snippet"] == "Semey · Tom &amp; Jerry&#x27;s &quot;cartoon&quot; <mark>festival</mark> in Semey"
    assert snippet_html("a < b \ue000c\ue001") == "a &lt; b <mark>c</mark>"


def test_markers_smuggled_into_the_data_do_not_make_markup(db, api):
    publish("place", name="Ridder", kind="city", notes="\ue000 not a highlight \ue001 near Ridder")
    hit = api.get("/api/v1/search/", {"q": "highlight"}).json()["results"][0]
    assert hit["snippet"].count("<mark>") == 1
    assert "<mark>highlight</mark>" in hit["snippet"]


def test_results_page_with_a_cursor(world, api):
    first = api.get("/api/v1/search/", {"q": "Kazakhstan", "page_size": 2}).json()
    assert len(first["results"]) == 2
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    assert second["previous"]
    assert not {hit["id"] for hit in first["results"]} & {hit["id"] for hit in second["results"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "Omsk", "type": "planet"}, "type"),
        ({"q": "Omsk", "page_size": "0"}, "page_size"),
        ({"q": "Omsk", "page_size": "101"}, "page_size"),
        ({"q": "Omsk", "cursor": "garbage"}, "cursor"),
    ],
)
def test_bad_search_input_is_a_400_naming_the_field(world, api, params, field):
    response = api.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_search_syntax_never_breaks_the_query(world, api):
    for query in ('"unterminated', "a & | ! ( )", "-", "OR OR", ":*", "'; DROP TABLE x; --", "Ω≈ç√∫", "🙂"):
        assert api.get("/api/v1/search/", {"q": query}).status_code == 200, query


def test_the_html_search_page_can_call_the_same_function(world):
    results = search_all("Omsk", types=["agreement"], limit=5)
    assert [hit.id for hit in results.hits] == [world.agreement.pk]
    assert results.hits[0].web_url == f"/agreements/{world.agreement.pk}/"
    assert results.has_more is False
    assert search_all("", limit=5).hits == []
