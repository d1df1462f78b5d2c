"""The OpenAPI schema describes every endpoint, parameter, body, response and error; the docs work offline."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from records.content.registry import registry

ERRORS = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_is_valid_and_generated_without_warnings(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_it_is_served_at_api_schema(db, api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_every_record_type_has_its_endpoints(schema):
    for spec in registry:
        base = f"/api/v1/{spec.plural}/"
        assert {base, base + "{id}/", base + "{id}/history/", base + "{id}/revisions/{number}/"} <= set(schema["paths"])
    assert {"/api/v1/search/", "/api/v1/vocabularies/", "/api/v1/vocabularies/{name}/", "/api/v1/changes/"} <= set(
        schema["paths"]
    )


def parameters(operation) -> dict:
    return {parameter["name"]: parameter for parameter in operation.get("parameters", [])}


@pytest.mark.parametrize("spec", list(registry), ids=lambda spec: spec.name)
def test_lists_document_filters_paging_and_formats(schema, spec):
    operation = schema["paths"][f"/api/v1/{spec.plural}/"]["get"]
    names = set(parameters(operation))
    assert {"q", "place", "country", "date_after", "date_before", "updated_after", "source"} <= names
    assert {"cursor", "page_size", "ordering", "format", "all"} <= names
    own = {"place": {"kind", "has_coordinates"}, "agreement": {"kind", "sphere"}, "statistic": {"indicator"}}
    assert own.get(spec.name, set()) <= names
    formats = set(parameters(operation)["format"]["schema"]["enum"])
    expected = {"json", "csv", "xlsx", "jsonld"} | {"place": {"geojson"}, "source": {"bibtex", "csljson"}}.get(
        spec.name, set()
    )
    assert formats == expected
    content = operation["responses"]["200"]["content"]
    assert content["text/csv"]["schema"]["type"] == "string"
    assert content["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]["schema"]["format"] == "binary"
    assert content["application/ld+json"]["schema"]["required"] == ["@context", "@graph"]
    assert "Link" in operation["responses"]["200"]["headers"]
    assert parameters(operation)["page_size"]["schema"]["maximum"] == 500


@pytest.mark.parametrize("spec", list(registry), ids=lambda spec: spec.name)
def test_details_document_etags_and_tombstones(schema, spec):
    operation = schema["paths"][f"/api/v1/{spec.plural}/{{id}}/"]["get"]
    assert "If-None-Match" in parameters(operation)
    assert operation["responses"]["200"]["headers"]["ETag"]["required"] is True
    assert {"200", "304", "404", "410", "429"} <= set(operation["responses"])
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert {"id", "url", "web_url", "type", "revision"} <= set(component["properties"])


def test_every_operation_documents_its_errors_with_the_error_shape(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "406", "429"} <= codes, (method, path)
            assert operation["responses"]["429"]["headers"]["Retry-After"]
            if method == "post":
                assert {"400", "403", "413", "415"} <= codes, path
            if "{" in path:
                assert "404" in codes, path
            for code in codes - {"200", "201", "202", "304", "414"}:
                assert operation["responses"][code]["content"]["application/json"]["schema"]["$ref"] == ERRORS
            # A URL too long for the HTTP server is refused by it, with its own page, before the portal.
            has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
            assert ("414" in codes) == has_query, (method, path)
            if has_query:
                assert list(operation["responses"]["414"]["content"]) == ["text/html"]


def test_proposals_are_described_as_what_they_accept(schema):
    operation = schema["paths"]["/api/v1/changes/"]["post"]
    assert {"409", "412"} <= set(operation["responses"])
    assert "If-Match" in parameters(operation)
    body = schema["components"]["schemas"]["ProposalInputRequest"]
    variants = {ref["$ref"].rsplit("/", 1)[1] for ref in body["oneOf"]}
    for spec in registry:
        title = spec.name.capitalize()
        assert {f"Create{title}Change", f"Update{title}Change"} <= variants
        create = schema["components"]["schemas"][f"Create{title}Change"]
        assert create["properties"]["data"]["$ref"].endswith(f"/{spec.name.capitalize()}StateRequest")
        update = schema["components"]["schemas"][f"Update{title}Change"]
        assert update["properties"]["data"]["$ref"].endswith(f"/Patched{spec.name.capitalize()}StateRequest")
    assert {"WithdrawChange", "RevertChange", "ChangeSet"} <= variants
    place = schema["components"]["schemas"]["PlaceStateRequest"]
    assert "kind" in place["required"]
    parent = place["properties"]["parent"]
    assert [option["type"] for option in parent["oneOf"]] == ["integer", "string"]


def test_revisions_describe_their_data_by_the_types_state(schema):
    operation = schema["paths"]["/api/v1/agreements/{id}/revisions/{number}/"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    revision = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert revision["properties"]["data"]["allOf"][0]["$ref"].endswith("/AgreementState")


def test_the_docs_page_is_served_from_our_own_static_files(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert len(assets) >= 3
    for asset in assets:
        assert finders.find(asset), asset
    assert "http://" not in html
    assert "https://" not in html
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()


def test_only_the_docs_page_relaxes_the_content_security_policy(db, client):
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs
    assert "script-src 'self'" in docs
    assert "'unsafe-inline'" not in docs.split("script-src")[1].split(";")[0]
    assert "unsafe-inline" not in client.get("/api/v1/")["Content-Security-Policy"]
