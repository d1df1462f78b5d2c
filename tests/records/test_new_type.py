"""A record type is one registration: the generic parts read everything else from its spec.

A throw-away type, "memo", is registered for each test here with nothing but the spec's required
fields. It reuses the Source model and schema (a new type's own model would need a table and a
migration), and the database's record_type check constraints, which list the known types, are
dropped inside the test's transaction (rolled back after it). No other code knows about it, yet it is
proposed and published through the real workflow, listed, shown (with its history), searched, put in
the sitemap, counted on the home page and served by the API in every format every type has.

What this does not prove: a type's own page content (its detail template; without one the page
shows what every record has), its own list row (templates/records/row_<type>.html), the editing
forms, the API schema's enum names (portal/settings.py RECORD_TYPES), translations of its names, and
a model of its own.
"""

from __future__ import annotations

import sys
import types

import pytest
from django.db import connection
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from portal import urls as portal_urls
from records import models as m
from records.api import urls as api_urls
from records.api.views.records import record_viewset
from records.content import schemas
from records.content.registry import RecordTypeSpec, registry
from records.workflow import review
from tests.conftest import client_for, page_client
from tests.factories import staff_pair

URLCONF = "tests.records.memo_urls"


def _urlconf_with_api_for(spec: RecordTypeSpec) -> types.ModuleType:
    """The portal's URLs with API routes for `spec` as well: the API's routes are made once, at start-up,
    from the registry (records/api/urls.py), so a type registered later needs them made the same way."""
    router = SimpleRouter()
    router.register(spec.plural, record_viewset(spec), basename=spec.name)
    api = path("api/v1/", include(([*api_urls.urlpatterns, *router.urls], "api"), namespace="api"))
    module = types.ModuleType(URLCONF)
    module.urlpatterns = [api if getattr(p, "namespace", None) == "api" else p for p in portal_urls.urlpatterns]
    return module


@pytest.fixture
def memo(db, monkeypatch, settings):
    spec = RecordTypeSpec(
        name="memo",
        plural="memos",
        model=m.Source,
        schema=schemas.SourceSchema,
        verbose_name="memo",
        verbose_name_plural="memos",
    )
    monkeypatch.setitem(registry._by_name, spec.name, spec)
    monkeypatch.setitem(registry._by_plural, spec.plural, spec)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE records_record DROP CONSTRAINT record_type_known")
        cursor.execute("ALTER TABLE records_proposal_item DROP CONSTRAINT proposal_item_type_known")
    monkeypatch.setitem(sys.modules, URLCONF, _urlconf_with_api_for(spec))
    settings.ROOT_URLCONF = URLCONF
    author, reviewer = staff_pair()
    proposal = review.proposal_create(
        author=author,
        items=[review.ItemInput(action="create", record_type="memo", data={"title": "Zephyrine memo", "kind": "book"})],
        summary="a memo",
    )
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)
    return m.Record.objects.get(record_type="memo")


def test_its_list_page_and_exports(memo):
    page = page_client().get("/memos/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zephyrine memo" in html
    assert "/api/v1/memos/?format=csv&amp;all=1" in html


def test_its_record_page(memo):
    page = page_client().get(f"/memos/{memo.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 id="record-title">Zephyrine memo</h1>' in html
    assert "Cite this record" in html
    assert page_client().get(f"/memos/{memo.pk}/history/").status_code == 200


def test_search_sitemap_and_home(memo):
    client = page_client()
    assert f'href="/memos/{memo.pk}/"' in client.get("/search/", {"q": "Zephyrine"}).content.decode()
    sitemap = client.get("/sitemap-0.xml").content.decode()
    assert "http://testserver/memos/</loc>" in sitemap
    assert f"http://testserver/memos/{memo.pk}/</loc>" in sitemap
    assert 'href="/memos/"' in client.get("/").content.decode()


def test_the_api_serves_it_in_every_common_format(memo):
    api = client_for(None)
    listed = api.get("/api/v1/memos/").json()
    assert [row["id"] for row in listed["results"]] == [memo.pk]
    detail = f"/api/v1/memos/{memo.pk}/"
    assert api.get(detail, {"format": "json"}).json()["title"] == "Zephyrine memo"  # the Source schema's
    assert "Zephyrine memo" in api.get(detail, {"format": "csv"}).content.decode()
    node = api.get(detail, {"format": "jsonld"}).json()
    assert node["@type"] == "Thing"  # the spec's default schema.org type: no node of its own
    assert node["@id"] == f"http://testserver/memos/{memo.pk}/"
    assert api.get(detail, {"format": "bibtex"}).status_code == 406  # a source's format, not every type's
