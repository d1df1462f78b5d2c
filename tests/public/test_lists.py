"""Browsing a record type: facets that honour the other filters, sorting, keyset pages, exports."""

import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest

from records.views.public import lists
from tests.public.conftest import withdraw

PLURALS = ["places", "organizations", "persons", "agreements", "events", "statistics", "sources"]


def titles(response) -> list[str]:
    return [
        unescape(t)
        for t in re.findall(r'<h3 class="result-title"><a href="[^"]+">(.*?)</a>', response.content.decode())
    ]


def facet_block(response, name: str) -> str:
    page = response.content.decode()
    start = page.index(f'id="facet-{name}"')
    end = page.find("</section>", start)
    return page[start:end]


@pytest.mark.parametrize("plural", PLURALS)
@pytest.mark.parametrize("role", [None, "researcher", "reviewer"])
def test_it_lists_every_type_for_every_role(world, reader, signed_in, plural, role, request):
    client = reader if role is None else signed_in(request.getfixturevalue(role))
    response = client.get(f"/{plural}/")
    assert response.status_code == 200
    assert titles(response), f"/{plural}/ shows no records"
    assert "@example.org" not in response.content.decode()


def test_it_lists_places_by_name(world, reader):
    names = titles(reader.get("/places/"))
    assert names == sorted(names)
    assert "Ust-Kamenogorsk" in names


def test_kind_counts_honour_the_other_filters(world, reader):
    everything = facet_block(reader.get("/agreements/"), "kind")
    assert re.search(r"Agreement</a> <span class=\"count\">2<", everything)
    assert re.search(r"Memorandum</a> <span class=\"count\">1<", everything)
    education = facet_block(reader.get("/agreements/?sphere=education"), "kind")
    assert re.search(r"Agreement</a> <span class=\"count\">1<", education)
    assert "Memorandum" not in education


def test_a_facet_does_not_narrow_its_own_counts(world, reader):
    block = facet_block(reader.get("/agreements/?sphere=education"), "sphere")
    assert "Remove filter: education" in block
    assert re.search(r"Trade</a> <span class=\"count\">2<", block)


def test_country_filter_by_iso_code_or_name_includes_places_inside(world, reader):
    by_code = titles(reader.get("/agreements/?country=RU"))
    by_name = titles(reader.get("/agreements/?country=Russia"))
    assert by_code == by_name
    assert set(by_code) == {world.agreement.label, world.kurgan_agreement.label}


def test_region_facet_lists_first_level_regions_and_filters_by_them(world, reader):
    block = facet_block(reader.get("/agreements/"), "place")
    assert "Altai Krai" in block
    assert "Ust-Kamenogorsk" not in block  # a city, not a region
    assert titles(reader.get(f"/agreements/?place={world.altai.pk}")) == [world.agreement.label]


def test_a_place_can_be_given_by_name_without_javascript(world, reader):
    response = reader.get("/agreements/?place=Kurgan+Region")
    assert titles(response) == [world.kurgan_agreement.label]
    assert 'value="Kurgan Region"' in response.content.decode()


def test_an_unknown_place_is_explained_not_an_error(world, reader):
    response = reader.get("/agreements/?place=Atlantis")
    assert response.status_code == 200
    assert "No place matches “Atlantis”." in response.content.decode()


def test_year_range_uses_the_edtf_bounds(world, reader):
    assert titles(reader.get("/agreements/?year_from=2000&year_to=2003")) == [world.kurgan_agreement.label]
    assert set(titles(reader.get("/agreements/?year_to=2000"))) == {world.agreement.label}
    # reversed years are read the right way round
    assert titles(reader.get("/agreements/?year_from=2003&year_to=2000")) == [world.kurgan_agreement.label]


def test_sorting_by_date(world, reader):
    oldest = titles(reader.get("/agreements/?sort=date"))
    newest = titles(reader.get("/agreements/?sort=-date"))
    assert oldest[0] == world.agreement.label
    assert newest == list(reversed(oldest))


def test_keyset_pages_walk_forward_and_back(world, reader, monkeypatch):
    monkeypatch.setattr(lists, "LIST_PAGE_SIZE", 4)
    first = reader.get("/places/")
    seen = titles(first)
    assert len(seen) == 4
    next_url = unescape(re.search(r'rel="next" href="([^"]+)"', first.content.decode()).group(1))
    second = reader.get("/places/" + next_url)
    assert len(set(titles(second)) & set(seen)) == 0
    previous_url = unescape(re.search(r'rel="prev" href="([^"]+)"', second.content.decode()).group(1))
    assert titles(reader.get("/places/" + previous_url)) == seen


def test_export_links_carry_the_filters_to_the_api(world, reader):
    page = reader.get("/places/?country=KZ&year_from=1990&kind=region").content.decode()
    links = [unescape(href) for href in re.findall(r'href="(/api/v1/places/\?[^"]+)"', page)]
    formats = {parse_qs(urlparse(link).query)["format"][0] for link in links}
    assert formats == {"csv", "json", "geojson"}
    query = parse_qs(urlparse(links[0]).query)
    assert query["country"] == ["KZ"]
    assert query["kind"] == ["region"]
    assert query["date_after"] == ["1990-01-01"]
    assert query["all"] == ["1"]


def test_sources_export_bibliographies(world, reader):
    page = reader.get("/sources/").content.decode()
    assert "format=bibtex" in page
    assert "format=csljson" in page


def test_withdrawn_records_leave_the_lists(world, reader):
    withdraw(world.kurgan_agreement)
    assert world.kurgan_agreement.label not in titles(reader.get("/agreements/"))


@pytest.mark.parametrize(
    "query",
    [
        "cursor=not-a-cursor",
        "cursor=" + "A" * 5000,
        "sort=sideways",
        "year_from=abc&year_to=99999999999999999999",
        "kind=no_such_kind",
        "place=0",
        "place=99999999999999999999999",
        "country=%00",
        "q=%3Cscript%3Ealert(1)%3C/script%3E",
        "q=" + "x" * 5000,
        "sphere=<b>",
    ],
)
def test_bad_input_is_a_friendly_answer_never_a_500(world, reader, query):
    response = reader.get(f"/agreements/?{query}")
    # A cursor that is not ours is refused; a filter the list cannot read is shown as an error on the list.
    assert response.status_code == (400 if query.startswith("cursor=") else 200)
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "<b>" not in page.split('<main id="main"', 1)[1]


def test_a_bad_cursor_is_a_400_with_the_first_page(world, reader):
    response = reader.get("/agreements/?cursor=broken")
    assert response.status_code == 400
    assert "That page link is not valid" in response.content.decode()
    assert titles(response)


def test_unknown_types_are_404(reader, db):
    assert reader.get("/planets/").status_code == 404


# The page and its prefetches, the total (read from the counts kept at publication), the facet counts
# (read likewise), the terms of each vocabulary facet, the top places of both place facets (one query)
# and their names. Sources have no place facets.
# Each includes the latest revision's id, which keys the cached facets (computed here: the cache is empty).
LIST_QUERIES = {
    "places": 8,
    "organizations": 8,
    "persons": 8,
    "agreements": 10,
    "events": 9,
    "statistics": 9,
    "sources": 5,
}


@pytest.mark.parametrize(("plural", "queries"), LIST_QUERIES.items())
def test_list_queries_are_pinned(world, reader, plural, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        reader.get(f"/{plural}/")


def test_facets_are_cached_until_the_next_publication(world, reader, django_assert_num_queries):
    from tests.factories import publish

    reader.get("/agreements/")
    # another page of the same filters: the publication version, the page, its parties, the capped total;
    # no facet query is repeated
    with django_assert_num_queries(4):
        page = reader.get("/agreements/", {"page": "2"}).content.decode()
    assert "Energy" not in page
    publish("agreement", title="Energy agreement", parties=[{"id": world.kurgan.pk}], spheres=["energy"])
    assert "Energy" in reader.get("/agreements/").content.decode()  # a new publication: facets computed afresh


def test_list_queries_do_not_grow_with_the_data(world, reader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import publish

    for n in range(3):
        publish("agreement", title=f"More {n}", parties=[{"id": world.kurgan.pk}], spheres=["energy"])
    with CaptureQueriesContext(connection) as captured:
        reader.get("/agreements/")
    assert len(captured) == LIST_QUERIES["agreements"]


def test_list_queries_stay_bounded_with_every_filter(world, reader, django_assert_max_num_queries):
    # each of the five active filters adds at most three queries: resolving its value, and the sample of
    # its facet's records without it, with the top places of that sample
    with django_assert_max_num_queries(LIST_QUERIES["agreements"] + 3 * 5):
        reader.get(f"/agreements/?country=RU&place={world.altai.pk}&sphere=trade&kind=agreement&year_from=1990")
