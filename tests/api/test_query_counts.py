"""No N+1: a list costs the same number of queries with 1 record as with 30, in every format,
for every record type, for whole exports and for search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.content.registry import registry
from tests.api.conftest import module_data
from tests.factories import publish, publish_many


@pytest.fixture(scope="module")
def links_module(django_db_setup, django_db_blocker):
    """Records the measured ones link to, so that every nested list is filled."""
    with module_data(django_db_blocker):
        country = publish("place", name="Country", kind="country", iso_code="KZ")
        region = publish("place", name="Region", kind="region", parent=country.pk)
        organization = publish("organization", name="Akimat", kind="akimat", place=region.pk)
        archive = publish("organization", name="Archive", kind="archive", place=region.pk)
        source = publish("source", title="Book", kind="book", authors=[{"family": "Ivanov"}])
        agreement = publish("agreement", title="Agreement", parties=[{"id": region.pk}])
        event = publish("event", name="Forum", kind="forum")
        yield {
            "country": country,
            "region": region,
            "organization": organization,
            "archive": archive,
            "source": source,
            "agreement": agreement,
            "event": event,
        }


@pytest.fixture
def links(links_module, db):
    return links_module


def fields_for(record_type: str, links: dict) -> dict:
    """Data that fills every link and nested list of a record of this type."""
    cite = [{"source": links["source"].pk, "locator": "p. 1"}]
    return {
        "place": {
            "parent": links["country"].pk,
            "borders": [{"id": links["region"].pk}],
            "predecessors": [{"id": links["region"].pk}],
            "latitude": "49.9",
            "longitude": "82.6",
            "citations": cite,
        },
        "organization": {
            "place": links["region"].pk,
            "country": links["country"].pk,
            "parent": links["organization"].pk,
            "predecessors": [{"id": links["organization"].pk}],
            "citations": cite,
        },
        "person": {
            "positions": [{"title": "Akim", "organization": links["organization"].pk, "date": "1999/2004"}],
            "citations": cite,
        },
        "agreement": {
            "parties": [{"id": links["region"].pk, "role": "party"}, {"id": links["organization"].pk}],
            "spheres": ["trade", "tourism"],
            "level": "interregional",
            "place_signed": links["region"].pk,
            "citations": cite,
        },
        "event": {
            "participants": [{"id": links["organization"].pk}, {"id": links["region"].pk, "role": "host"}],
            "agreements": [links["agreement"].pk],
            "place": links["region"].pk,
            "part_of": links["event"].pk,
            "citations": cite,
        },
        "statistic": {
            "subjects": [{"id": links["region"].pk, "role": "reporter"}, {"id": links["organization"].pk}],
            "citations": cite,
        },
        "source": {
            "kind": "archival_file",
            "archive": links["archive"].pk,
            "file": "12",
            "authors": [{"family": "Petrov", "given": "P."}],
        },
    }[record_type]


def formats_for(record_type: str) -> list[str]:
    return ["json", "csv", "jsonld"] + {"place": ["geojson"], "source": ["bibtex", "csljson"]}.get(record_type, [])


def queries(client, path: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params)
        assert response.status_code == 200, response.content[:500]
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert content
    return len(context)


@pytest.mark.parametrize("record_type", [spec.name for spec in registry])
def test_list_queries_stay_constant_as_the_page_fills(links, api, record_type, django_assert_num_queries):
    path = f"/api/v1/{registry.get(record_type).plural}/"
    fields = fields_for(record_type, links)
    requests = [{"format": fmt, "page_size": 50} for fmt in formats_for(record_type)]
    requests += [{"format": "csv", "all": "1"}, {"format": "json", "all": "1"}, {"q": "Akim Book Region Forum"}]
    publish_many(record_type, 1, **fields)
    with_one = [queries(api, path, params) for params in requests]
    publish_many(record_type, 29, **fields)
    for params, expected in zip(requests, with_one, strict=True):
        with django_assert_num_queries(expected):
            response = api.get(path, params)
            if response.streaming:
                b"".join(response.streaming_content)
    assert len(api.get(path, {"page_size": 50}).json()["results"]) >= 30


def test_a_detail_costs_a_fixed_handful_of_queries(links, api, django_assert_max_num_queries):
    agreement = publish_many("agreement", 1, **fields_for("agreement", links))[0]
    with django_assert_max_num_queries(8):
        assert api.get(f"/api/v1/agreements/{agreement.pk}/").status_code == 200


def test_search_queries_stay_constant_as_the_page_fills(links, api, django_assert_num_queries):
    publish_many("place", 1, kind="region", notes="Semey")
    with_one = queries(api, "/api/v1/search/", {"q": "Semey"})
    publish_many("place", 15, kind="region", notes="Semey")
    publish_many("organization", 15, kind="akimat", notes="Semey")
    with django_assert_num_queries(with_one):
        body = api.get("/api/v1/search/", {"q": "Semey", "page_size": 50}).json()
    assert len(body["results"]) == 31
