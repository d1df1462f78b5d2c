"""Whole exports (`?all=1`): every matching record in one streamed response, in bounded batches."""

import csv
import io
import json

import pytest

from records.formats import exports
from tests.factories import publish_many


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def many_places(db, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_BATCH", 4)  # several batches from a handful of rows
    return publish_many("place", 11, kind="region")


def test_all_streams_every_row_across_batches(many_places, api):
    response = api.get("/api/v1/places/", {"format": "csv", "all": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="places.csv"'
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert sorted(int(row["id"]) for row in rows) == sorted(place.pk for place in many_places)


@pytest.mark.parametrize(
    ("fmt", "count"),
    [
        ("json", lambda doc: len(json.loads(doc)["results"])),
        ("geojson", lambda doc: len(json.loads(doc)["features"])),
        ("jsonld", lambda doc: len(json.loads(doc)["@graph"])),
    ],
)
def test_every_format_streams_a_complete_document(many_places, api, fmt, count):
    response = api.get("/api/v1/places/", {"format": fmt, "all": "true"})
    assert count(body(response)) == 11


def test_a_json_export_has_the_shape_of_a_page(many_places, api):
    document = json.loads(body(api.get("/api/v1/places/", {"all": "1"})))
    assert document["next"] is None
    assert document["previous"] is None
    page = api.get("/api/v1/places/", {"page_size": 500}).json()
    assert document["results"] == page["results"]


def test_exports_honour_filters_and_ordering(many_places, api):
    chosen = many_places[3]
    rows = json.loads(body(api.get("/api/v1/places/", {"all": "1", "q": chosen.label})))["results"]
    assert chosen.pk in [row["id"] for row in rows]
    by_id = json.loads(body(api.get("/api/v1/places/", {"all": "1", "ordering": "-id"})))["results"]
    assert [row["id"] for row in by_id] == sorted((p.pk for p in many_places), reverse=True)


def test_bibliographies_stream_too(db, api, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_BATCH", 2)
    sources = publish_many("source", 5, kind="book", authors=[{"family": "Ivanov"}])
    bib = body(api.get("/api/v1/sources/", {"format": "bibtex", "all": "1"}))
    assert bib.count("@book{") == 5
    items = json.loads(body(api.get("/api/v1/sources/", {"format": "csljson", "all": "1"})))
    assert sorted(item["id"] for item in items) == sorted(f"bailanys-{s.pk}" for s in sources)


def test_an_export_larger_than_the_limit_is_refused_before_streaming(many_places, api, settings):
    settings.API_EXPORT_MAX_ROWS = 10
    response = api.get("/api/v1/places/", {"format": "csv", "all": "1"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "10" in response.json()["errors"]["all"][0]
    narrowed = api.get("/api/v1/places/", {"format": "csv", "all": "1", "has_coordinates": "true"})
    assert narrowed.status_code == 200


def test_an_empty_export_is_a_valid_document(db, api):
    assert json.loads(body(api.get("/api/v1/places/", {"format": "geojson", "all": "1"}))) == {
        "type": "FeatureCollection",
        "features": [],
    }
    assert body(api.get("/api/v1/places/", {"format": "csv", "all": "1"})).startswith("id,url,web_url,type")
