"""The map, the timeline, the network and the charts of figures, on the article's data: the API's data
endpoints (every format, the lists' filters, bounds, errors, a constant number of queries) and the
pages' tables, which readers without JavaScript get."""

import csv
import html
import io
import json
import re

import networkx as nx
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from portal.settings import content_security_policy
from records.models import Place, Statistic

pytestmark = [pytest.mark.xdist_group("seed"), pytest.mark.usefixtures("seeded")]


@pytest.fixture
def place(db):
    return lambda name: Place.objects.get(label=name, status="published")


def get_json(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.content[:500]
    return json.loads(response.content)


# ------------------------------------------------------------------ the map


def test_map_links_kazakh_and_foreign_regions_weighted_by_records(api, place):
    data = get_json(api, "/api/v1/map/")
    east, xinjiang = place("East Kazakhstan Region"), place("Xinjiang Uyghur Autonomous Region")
    links = {(link["home"], link["partner"]): link for link in data["links"]}
    link = links[(east.pk, xinjiang.pk)]
    assert link["weight"] == link["agreements"] + link["events"] >= 2
    names = {p["name"] for p in data["places"]}
    assert {"East Kazakhstan Region", "Kurgan Oblast", "Altai Krai"} <= names
    assert all(p["latitude"] is not None for p in data["places"])
    # every link joins a Kazakh side to a foreign one
    kazakh = {p["id"] for p in data["places"] if p["iso_code"].startswith("KZ")}
    assert all(link["home"] in kazakh and link["partner"] not in kazakh for link in data["links"])


def test_map_lists_the_places_without_coordinates(api):
    unplaced = get_json(api, "/api/v1/map/")["unplaced"]
    assert len(unplaced) == 13
    assert {"Bukhtarma Reservoir", "Karachaganak field"} <= {p["name"] for p in unplaced}


def test_map_geojson_has_points_and_partnership_lines(api):
    response = api.get("/api/v1/map/?format=geojson&country=CN")
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    kinds = {f["geometry"]["type"] for f in data["features"]}
    assert kinds == {"Point", "LineString"}
    line = next(f for f in data["features"] if f["geometry"]["type"] == "LineString")
    assert len(line["geometry"]["coordinates"]) == 2
    assert line["properties"]["weight"] >= 1


def test_map_filters_like_the_lists(api):
    everything = get_json(api, "/api/v1/map/")
    russia = get_json(api, "/api/v1/map/?country=RU")
    assert "Kurgan Oblast" in {p["name"] for p in russia["places"]}
    assert len(russia["places"]) < len(everything["places"])
    assert 0 < len(russia["links"]) < len(everything["links"])


def test_map_csv_one_row_per_link(api):
    response = api.get("/api/v1/map/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(get_json(api, "/api/v1/map/")["links"])
    assert rows[0]["home_name"] and rows[0]["partner_latitude"]


# ------------------------------------------------------------------ the timeline


def test_timeline_is_in_date_order_with_fuzzy_dates_as_ranges(api):
    data = get_json(api, "/api/v1/timeline/")
    entries = data["entries"]
    assert {e["type"] for e in entries} == {"agreement", "event"}
    starts = [e["start"] or "" for e in entries]  # the date index's order: an open start ("[..2007]") first
    assert starts == sorted(starts)
    assert data["total"] == len(entries) and not data["truncated"]
    year = next(e for e in entries if e["date"] == "1996")
    assert (year["start"], year["end"]) == ("1996-01-01", "1996-12-31")
    uncertain = [e for e in entries if "?" in e["date"]]
    assert uncertain and all(e["uncertain"] for e in uncertain)


def test_timeline_filters_by_sphere_kind_and_years_like_the_lists(api):
    trade = get_json(api, "/api/v1/timeline/?sphere=trade&type=agreement")["entries"]
    assert trade and all("trade" in e["spheres"] for e in trade)
    visits = get_json(api, "/api/v1/timeline/?kind=visit")["entries"]
    assert visits and {e["kind"] for e in visits} == {"visit"}
    nineties = get_json(api, "/api/v1/timeline/?date_after=1995&date_before=1999")["entries"]
    assert nineties
    assert all((e["start"] or "0000") <= "1999-12-31" and (e["end"] or "9999") >= "1995-01-01" for e in nineties)
    open_start = next(e for e in get_json(api, "/api/v1/timeline/")["entries"] if e["date"] == "[..2007]")
    assert (open_start["start"], open_start["end"]) == (None, "2007-12-31")
    assert len(nineties) < len(get_json(api, "/api/v1/timeline/")["entries"])
    limited = get_json(api, "/api/v1/timeline/?limit=5")
    assert len(limited["entries"]) == 5 and limited["truncated"]


def test_timeline_csv(api):
    rows = list(csv.DictReader(io.StringIO(api.get("/api/v1/timeline/?format=csv&limit=10").content.decode())))
    assert len(rows) == 10
    assert {"id", "type", "title", "date", "start", "end", "uncertain"} <= set(rows[0])


# ------------------------------------------------------------------ the network


def test_network_nodes_are_places_and_organizations_with_a_layout(api):
    data = get_json(api, "/api/v1/network/")
    assert {n["type"] for n in data["nodes"]} == {"place", "organization"}
    assert all(0 <= n["x"] <= 1000 and 0 <= n["y"] <= 1000 for n in data["nodes"])
    ids = {n["id"] for n in data["nodes"]}
    assert data["edges"] and all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    assert all(e["weight"] == e["agreements"] + e["events"] for e in data["edges"])
    small = get_json(api, "/api/v1/network/?limit=10")
    assert len(small["nodes"]) == 10 and small["truncated"] and small["nodes_total"] == len(data["nodes"])


def test_network_exports_load_in_networkx(api):
    data = get_json(api, "/api/v1/network/?sphere=trade")
    gexf = api.get("/api/v1/network/?sphere=trade&format=gexf")
    assert gexf["Content-Type"].startswith("application/gexf+xml")
    graphml = api.get("/api/v1/network/?sphere=trade&format=graphml")
    for body, read in ((gexf.content, nx.read_gexf), (graphml.content, nx.read_graphml)):
        graph = read(io.BytesIO(body))
        assert graph.number_of_nodes() == len(data["nodes"])
        assert graph.number_of_edges() == len(data["edges"])
        edge = data["edges"][0]
        assert graph.edges[str(edge["source"]), str(edge["target"])]["weight"] == edge["weight"]
    node = data["nodes"][0]
    assert nx.read_graphml(io.BytesIO(graphml.content)).nodes[str(node["id"])]["label"] == node["name"]


def test_network_filters_by_period(api):
    early = get_json(api, "/api/v1/network/?date_before=1995")
    late = get_json(api, "/api/v1/network/?date_after=2010")
    assert early["nodes"] and late["nodes"]
    assert {n["id"] for n in early["nodes"]} != {n["id"] for n in late["nodes"]}


# ------------------------------------------------------------------ series of figures


def test_series_groups_figures_over_time_with_notes_and_sources(api):
    data = get_json(api, "/api/v1/series/?indicator=trade_turnover")
    series = max(data["series"], key=lambda s: len(s["points"]))
    assert len(series["points"]) >= 2
    assert series["measure"] and len(series["subjects"]) >= 1
    starts = [p["start"] for p in series["points"]]
    assert starts == sorted(starts)
    assert all(p["sources"] for p in series["points"])
    noted = Statistic.objects.exclude(reliability_note="").filter(indicator_id="trade_turnover").first()
    one = get_json(api, f"/api/v1/series/?statistic={noted.pk}")["series"][0]
    point = next(p for p in one["points"] if p["id"] == noted.pk)
    assert point["reliability_note"] == noted.reliability_note


# ------------------------------------------------------------------ bad input, bounds, schema


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/timeline/?date_after=soon", "date_after"),
        ("/api/v1/map/?type=treaty", "type"),
        ("/api/v1/network/?limit=100000", "limit"),
        ("/api/v1/timeline/?limit=-1", "limit"),
        ("/api/v1/series/?statistic=x", "statistic"),
        ("/api/v1/network/?kind=Bad%25Code", "kind"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(api, url, field):
    response = api.get(url)
    assert response.status_code == 400
    assert field in json.loads(response.content)["errors"]


@pytest.mark.parametrize("view", ["map", "timeline", "network"])
def test_an_unknown_country_matches_nothing(api, view):
    data = get_json(api, f"/api/v1/{view}/?country=AA")
    assert not (data.get("links") or data.get("entries") or data.get("nodes"))


def test_an_unknown_format_is_406(api):
    assert api.get("/api/v1/timeline/?format=gexf").status_code == 406


@pytest.mark.parametrize("view", ["map", "timeline", "network"])
def test_queries_do_not_grow_with_the_result(api, view):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        return len(queries)

    few = count(f"/api/v1/{view}/?date_after=2014")
    many = count(f"/api/v1/{view}/?date_after=1991")
    assert many == few <= 12
    assert count(f"/api/v1/{view}/") <= 12  # unfiltered: the totals kept at publication


def test_the_views_are_in_the_api_root_and_the_schema(api):
    root = get_json(api, "/api/v1/")
    assert {"map", "timeline", "network", "series"} <= set(root)
    schema = api.get("/api/schema/?format=json")
    paths = json.loads(schema.content)["paths"]
    network = paths["/api/v1/network/"]["get"]
    media_types = set(network["responses"]["200"]["content"])
    assert {"application/gexf+xml", "application/graphml+xml", "text/csv"} <= media_types
    assert {"country", "sphere", "date_after", "limit"} <= {p["name"] for p in network["parameters"]}


# ------------------------------------------------------------------ the pages without JavaScript


@pytest.mark.parametrize("path", ["/map/", "/timeline/", "/network/"])
def test_the_pages_hold_their_tables_and_api_links(client, path):
    response = client.get(path + "?sphere=trade")
    assert response.status_code == 200
    assert not response.cookies
    body = response.content.decode()
    assert "<table" in body and "<tbody>" in body and "<tr><td>" in body
    assert f"/api/v1{path}?sphere=trade&amp;format=json" in body
    assert re.search(rf'data-src="/api/v1{path}\?sphere=trade&amp;(limit=200&amp;)?format=json"', body)  # drawn
    assert 'type="module"' in body and "vendor/d3/dist/d3.min.js" in body
    assert "<script>" not in body  # no inline script (CSP)
    assert 'aria-current="page"' in body


def test_the_map_page_lists_places_without_coordinates(client):
    body = client.get("/map/").content.decode()
    assert "Places without coordinates" in body
    assert "Bukhtarma Reservoir" in body


def test_the_map_uses_a_configured_tile_server_and_the_csp_allows_it(client):
    tiles = "https://tiles.example.org/{z}/{x}/{y}.png"
    default = client.get("/map/")
    assert 'data-tiles=""' in default.content.decode()
    assert "tiles.example.org" not in default["Content-Security-Policy"]
    with override_settings(MAP_TILE_URL=tiles, CONTENT_SECURITY_POLICY=content_security_policy(tiles)):
        response = client.get("/map/?type=agreement")
    assert f'data-tiles="{tiles}"' in response.content.decode()
    img_src = next(d for d in response["Content-Security-Policy"].split(";") if d.strip().startswith("img-src"))
    assert "https://tiles.example.org" in img_src.split()


def test_a_bad_filter_on_a_page_is_said_and_dropped(client):
    response = client.get("/timeline/?year_from=abc&sphere=trade")
    assert response.status_code == 200
    assert "A year is a number" in response.content.decode()


def test_a_place_page_charts_its_figures_and_a_figure_its_series(client, place):
    east = place("East Kazakhstan Region")
    body = client.get(f"/places/{east.pk}/").content.decode()
    assert "Figures over time" in body and "series-table" in body and "js/views/charts.js" in body
    noted = Statistic.objects.exclude(reliability_note="").filter(subject_links__subject=east).first()
    body = client.get(f"/statistics/{noted.pk}/").content.decode()
    assert "Over time" in body and 'class="current"' in body


def test_the_pages_are_translated(client):
    body = client.get("/map/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Карта" in body
    body = client.get("/network/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "Желі" in body


# ------------------------------------------------------------------ the pages' tables, a part at a time


def table_walk(client, url: str, table: str) -> list[str]:
    """The rows of a page's table, following its "Next rows" links from `url` to the last part."""
    rows: list[str] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        part = body.split(f'class="data-table {table}"', 1)[1]
        rows += re.findall(r"<tr><td>(.*?)</tr>", part.split("</tbody>", 1)[0], re.S)
        after = part.split("</table>", 1)[1].split("</p>", 1)[0]
        found = re.search(r'<a href="([^"]+)" rel="next">', after)
        url = html.unescape(found.group(1)).split("#")[0] if found else ""
        if url:
            url = response.request["PATH_INFO"] + url
    return rows


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of 7 rows, so that the article's data fills several."""
    monkeypatch.setattr("records.views.public.visual_tables.TABLE_ROWS", 7)
    monkeypatch.setattr("records.views.public.visual.TABLE_ROWS", 7)


def test_every_row_of_the_tables_is_reached_part_by_part(client, api, small_parts):
    network = get_json(api, "/api/v1/network/")
    nodes = table_walk(client, "/network/", "network-nodes")
    assert len(nodes) == len(network["nodes"]) > 7
    assert [html.unescape(re.search(r">([^<]+)</a>", row).group(1)) for row in nodes] == [
        n["name"] for n in network["nodes"]
    ]
    assert len(table_walk(client, "/network/", "network-edges")) == len(network["edges"])
    everything = get_json(api, "/api/v1/map/")
    assert len(table_walk(client, "/map/", "map-links")) == len(everything["links"]) > 7
    assert len(table_walk(client, "/map/?type=agreement", "map-places")) == len(
        get_json(api, "/api/v1/map/?type=agreement")["places"]
    )
    # the timeline: a walk in date order through every dated record, as the API gives them
    entries = get_json(api, "/api/v1/timeline/?limit=2000")["entries"]
    walked = table_walk(client, "/timeline/", "timeline-entries")
    paths = [re.search(r'<a href="([^"]+)">', row).group(1) for row in walked]
    assert paths == [entry["web_url"].removeprefix("http://testserver") for entry in entries]
    assert len(paths) > 7
    # a country's walk: through the items kept at publication, in the same order
    china = get_json(api, "/api/v1/timeline/?country=CN&limit=2000")["entries"]
    walked = table_walk(client, "/timeline/?country=CN", "timeline-entries")
    paths = [re.search(r'<a href="([^"]+)">', row).group(1) for row in walked]
    assert paths == [entry["web_url"].removeprefix("http://testserver") for entry in china]
    assert len(paths) > 7


def test_a_part_out_of_range_or_a_foreign_key_shows_the_nearest_rows(client):
    body = client.get("/network/?nodes_from=99999").content.decode()
    assert 'rel="prev"' in body and "network-nodes" in body
    body = client.get("/timeline/?after=not-a-key").content.decode()
    assert "timeline-entries" in body and 'rel="prev"' not in body


@pytest.mark.parametrize(("path", "queries"), [("/map/", 5), ("/timeline/", 6), ("/network/", 4)])
def test_page_queries_are_pinned_whatever_the_result(client, path, queries, django_assert_num_queries):
    with django_assert_num_queries(queries + 3):  # the first page read: the filters' vocabularies too (3)
        assert client.get(path, {"sphere": "trade", "year_from": "2010"}).status_code == 200
    with django_assert_num_queries(queries):  # a narrow result
        assert client.get(path, {"sphere": "trade", "year_from": "2014"}).status_code == 200
    with django_assert_num_queries(queries):  # a broad one
        assert client.get(path, {"sphere": "trade", "year_from": "1991"}).status_code == 200


def test_a_countrys_network_in_a_period_is_the_lists_records_read_from_the_kept_items(api, monkeypatch):
    from django.core.cache import caches

    url = "/api/v1/network/?country=CN&date_after=2000"
    kept = get_json(api, url)
    for cache in caches.all():
        cache.clear()
    monkeypatch.setattr("records.reads.network.kept_where", lambda *args: None)  # the lists' filter instead
    listed = get_json(api, url)
    assert kept["nodes"] and kept["sampled"] is None
    assert kept == listed  # the same graph, and the same layout (the same data always gets the same drawing)
