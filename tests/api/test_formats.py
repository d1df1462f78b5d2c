"""Output formats by Accept or ?format=: CSV, GeoJSON, BibTeX, CSL-JSON, JSON-LD; errors stay JSON."""

import csv
import io
import json

import bibtexparser
import pytest

from tests.api.conftest import assert_no_secrets
from tests.factories import publish


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_csv_flattens_linked_records_and_codes(world, api):
    response = api.get("/api/v1/agreements/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = {int(row["id"]): row for row in rows_of(response)}
    row = rows[world.agreement.pk]
    assert row["title"].startswith("Agreement on trade")
    assert row["parties"] == "East Kazakhstan Region (party);Omsk Region (party)"
    assert row["parties_ids"] == f"{world.vko.pk};{world.omsk.pk}"
    assert row["spheres"] == "trade;economic"
    assert row["citations"] == "History of regional relations in foreign political activity p. 12"
    assert row["citations_source_ids"] == str(world.article.pk)
    assert row["url"] == f"http://testserver/api/v1/agreements/{world.agreement.pk}/"
    assert set(rows) == {world.agreement.pk, world.memorandum.pk}
    assert_no_secrets(response.content.decode())


def test_csv_has_names_per_language_and_joined_aliases(world, api):
    rows = {int(row["id"]): row for row in rows_of(api.get("/api/v1/places/", {"format": "csv"}))}
    vko = rows[world.vko.pk]
    assert (vko["names_en"], vko["names_ru"], vko["names_kk"]) == (
        "East Kazakhstan Region",
        "Восточно-Казахстанская область",
        "",
    )
    assert vko["aliases"] == "Shygys Kazakhstan"
    assert vko["identifiers"] == "geonames:1520472;wikidata:Q2000"
    assert vko["latitude"] == "49.95"
    sources = {int(row["id"]): row for row in rows_of(api.get("/api/v1/sources/", {"format": "csv"}))}
    assert sources[world.article.pk]["authors"] == "Ivanov, Ivan;Žukov, Pëtr"


def test_csv_cells_cannot_become_spreadsheet_formulas_but_numbers_stay_numbers(db, api):
    publish("place", name='=HYPERLINK("http://example.org")', kind="region")
    publish("statistic", indicator="trade_share", value="-3.5", unit="percent", currency="", date="2002")
    place = rows_of(api.get("/api/v1/places/", {"format": "csv"}))[0]
    assert place["name"] == '\'=HYPERLINK("http://example.org")'
    statistic = rows_of(api.get("/api/v1/statistics/", {"format": "csv"}))[0]
    assert statistic["value"] == "-3.5"


def test_a_detail_in_csv_is_one_row(world, api):
    response = api.get(f"/api/v1/events/{world.event.pk}/", {"format": "csv"})
    rows = rows_of(response)
    assert len(rows) == 1
    assert rows[0]["participants"] == "Akimat of East Kazakhstan Region (guest)"
    assert rows[0]["agreements"] == str(world.agreement.pk)


def test_geojson_of_places(world, api):
    response = api.get("/api/v1/places/", {"format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    assert features[world.vko.pk]["geometry"] == {"type": "Point", "coordinates": [82.61, 49.95]}
    assert features[world.vko.pk]["properties"]["name"] == "East Kazakhstan Region"
    assert features[world.ru.pk]["geometry"] is None
    only_mapped = api.get("/api/v1/places/", {"format": "geojson", "has_coordinates": "true"}).json()
    assert {feature["id"] for feature in only_mapped["features"]} == {world.kz.pk, world.vko.pk}
    single = api.get(f"/api/v1/places/{world.kz.pk}/", HTTP_ACCEPT="application/geo+json")
    assert single.json()["type"] == "Feature"
    assert single.json()["geometry"]["coordinates"] == [67.0, 48.0]


def test_geojson_pages_link_to_the_next(world, api):
    collection = api.get("/api/v1/places/", {"format": "geojson", "page_size": 2}).json()
    assert len(collection["features"]) == 2
    assert collection["links"][0]["rel"] == "next"
    following = api.get(collection["links"][0]["href"]).json()
    assert len(following["features"]) == 2


def test_geojson_is_only_for_places(world, api):
    response = api.get("/api/v1/agreements/", {"format": "geojson"})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert "csv" in response.json()["detail"]


def test_bibtex_of_sources(world, api):
    response = api.get("/api/v1/sources/", {"format": "bibtex"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    library = bibtexparser.parse_string(response.content.decode())
    entries = {entry.key: entry for entry in library.entries}
    article = entries[f"ivanov2015-{world.article.pk}"]
    assert article.entry_type == "article"
    assert article["journal"] == "Vestnik"
    assert article["doi"] == "10.1234/abc"
    assert "\\v{Z}ukov" in article["author"] or "{\\v{Z}}ukov" in article["author"]
    assert len(entries) == 2
    one = api.get(f"/api/v1/sources/{world.archival_file.pk}/", HTTP_ACCEPT="application/x-bibtex")
    assert one.content.decode().startswith("@misc{")
    assert "fund 1, series 2, file 345" in one.content.decode()


def test_csl_json_of_sources(world, api):
    response = api.get("/api/v1/sources/", HTTP_ACCEPT="application/vnd.citationstyles.csl+json")
    assert response.status_code == 200
    items = {item["id"]: item for item in response.json()}
    article = items[f"bailanys-{world.article.pk}"]
    assert article["type"] == "article-journal"
    assert article["author"] == [{"family": "Ivanov", "given": "Ivan"}, {"family": "Žukov", "given": "Pëtr"}]
    assert article["issued"]["date-parts"] == [[2015]]
    archival = items[f"bailanys-{world.archival_file.pk}"]
    assert archival["type"] == "manuscript"
    assert archival["archive"] == "State Archive of East Kazakhstan Region"
    one = api.get(f"/api/v1/sources/{world.article.pk}/", {"format": "csljson"}).json()
    assert [item["id"] for item in one] == [f"bailanys-{world.article.pk}"]


@pytest.mark.parametrize("fmt", ["bibtex", "csljson"])
def test_bibliographic_formats_are_only_for_sources(world, api, fmt):
    assert api.get("/api/v1/places/", {"format": fmt}).status_code == 406


SCHEMA_TYPES = {
    "place": ("vko", "AdministrativeArea"),
    "organization": ("akimat", "GovernmentOrganization"),
    "person": ("person", "Person"),
    "agreement": ("agreement", "Legislation"),
    "event": ("event", "Event"),
    "statistic": ("turnover", "Observation"),
    "source": ("article", "ScholarlyArticle"),
}


@pytest.mark.parametrize("record_type", list(SCHEMA_TYPES))
def test_jsonld_details_use_schema_org(world, api, record_type):
    attribute, schema_type = SCHEMA_TYPES[record_type]
    record = getattr(world, attribute)
    plural = {"person": "persons", "statistic": "statistics"}.get(record_type, record_type + "s")
    response = api.get(f"/api/v1/{plural}/{record.pk}/", {"format": "jsonld"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    node = response.json()
    assert node["@context"] == {"@vocab": "https://schema.org/"}
    assert node["@type"] == schema_type
    assert node["@id"] == f"http://testserver/{plural}/{record.pk}/"
    assert node["name"] == record.label
    assert {"@type": "PropertyValue", "propertyID": "bailanys", "value": str(record.pk)} in node["identifier"]


def test_jsonld_links_records_to_each_other(world, api):
    place = api.get(f"/api/v1/places/{world.vko.pk}/", HTTP_ACCEPT="application/ld+json").json()
    assert place["containedInPlace"]["@id"] == f"http://testserver/places/{world.kz.pk}/"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 49.95, "longitude": 82.61}
    assert "https://www.wikidata.org/entity/Q2000" in place["sameAs"]
    assert {"@value": "Восточно-Казахстанская область", "@language": "ru"} in place["alternateName"]
    agreement = api.get(f"/api/v1/agreements/{world.agreement.pk}/", {"format": "jsonld"}).json()
    assert agreement["legislationDate"] == "2001-09-03"
    assert agreement["locationCreated"]["@id"] == f"http://testserver/places/{world.omsk.pk}/"
    assert agreement["contributor"][0] == {
        "@type": "Role",
        "roleName": "party",
        "contributor": {
            "@id": f"http://testserver/places/{world.vko.pk}/",
            "@type": "Place",
            "name": "East Kazakhstan Region",
        },
    }
    assert [term["termCode"] for term in agreement["about"]] == ["trade", "economic"]
    assert agreement["citation"][0]["@id"] == f"http://testserver/sources/{world.article.pk}/"
    archival = api.get(f"/api/v1/sources/{world.archival_file.pk}/", {"format": "jsonld"}).json()
    assert archival["@type"] == "ArchiveComponent"
    assert archival["holdingArchive"]["@type"] == "ArchiveOrganization"
    assert archival["itemLocation"] == "fund 1, series 2, file 345"


def test_a_jsonld_list_is_one_graph(world, api):
    document = api.get("/api/v1/events/", {"format": "jsonld"}).json()
    assert document["@context"] == {"@vocab": "https://schema.org/"}
    assert [node["@id"] for node in document["@graph"]] == [f"http://testserver/events/{world.event.pk}/"]
    assert document["@graph"][0]["startDate"] == "2001-09"


def test_jsonld_is_valid_json_ld(world, api):
    """Expanding with an offline JSON-LD processor gives schema.org IRIs for every key."""
    from pyld import jsonld

    document = api.get(f"/api/v1/agreements/{world.agreement.pk}/", {"format": "jsonld"}).json()
    expanded = jsonld.expand(document)
    assert expanded[0]["@type"] == ["https://schema.org/Legislation"]
    assert all(key.startswith(("@", "https://schema.org/")) for key in expanded[0])


def test_accept_header_chooses_and_format_parameter_wins(world, api):
    assert api.get("/api/v1/places/", HTTP_ACCEPT="text/csv")["Content-Type"].startswith("text/csv")
    both = api.get("/api/v1/places/", {"format": "csv"}, HTTP_ACCEPT="application/json")
    assert both["Content-Type"].startswith("text/csv")
    assert api.get("/api/v1/places/", HTTP_ACCEPT="*/*")["Content-Type"] == "application/json"
    assert api.get("/api/v1/places/")["Vary"].startswith("Accept")
    assert api.get("/api/v1/places/", {"format": ""})["Content-Type"] == "application/json"


@pytest.mark.parametrize("fmt", ["xml", "yaml", "api", "JSON"])
def test_an_unknown_format_is_406_in_json(world, api, fmt):
    response = api.get("/api/v1/places/", {"format": fmt})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_acceptable"


def test_an_unsatisfiable_accept_header_is_406(world, api):
    response = api.get("/api/v1/places/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert json.loads(response.content)["code"] == "not_acceptable"


@pytest.mark.parametrize("fmt", ["csv", "jsonld", "geojson"])
def test_errors_stay_json_whatever_the_format(world, api, fmt):
    bad_filter = api.get("/api/v1/places/", {"format": fmt, "date_after": "soon"})
    assert bad_filter.status_code == 400
    assert bad_filter["Content-Type"] == "application/json"
    assert bad_filter.json()["errors"]["date_after"]
    missing = api.get("/api/v1/places/999999/", {"format": fmt})
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    gone = api.get(f"/api/v1/agreements/{world.withdrawn.pk}/", HTTP_ACCEPT="text/csv")
    assert gone.status_code == 410
    assert gone["Content-Type"] == "application/json"


@pytest.mark.parametrize("fmt", ["json", "csv", "jsonld", "geojson"])
def test_no_format_shows_unpublished_or_withdrawn_records(world, api, fmt):
    for path in ("/api/v1/places/", "/api/v1/agreements/", "/api/v1/events/"):
        if fmt == "geojson" and path != "/api/v1/places/":
            continue
        for params in ({"format": fmt}, {"format": fmt, "all": "1"}):
            response = api.get(path, params)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 200
            assert_no_secrets(body.decode())
