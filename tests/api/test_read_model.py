"""The read model: the API serves each published record's body stored at publication, and it is
always what the serializer would give — after renames, withdrawals, missing or stale bodies — with a
number of queries that does not grow with the page."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.content.registry import registry
from records.models import Reading
from records.workflow import readings, review
from tests.factories import propose_update, publish, publish_many, staff_pair
from tests.representations import serialized


def detail(api, record, language: str = "en"):
    spec = registry.get(record.record_type)
    return api.get(f"/api/v1/{spec.plural}/{record.pk}/", HTTP_ACCEPT_LANGUAGE=language)


@pytest.fixture
def linked(db):
    """A country with names in three languages, an agreement it is party to, citing a source."""
    kz = publish("place", name="Kazakhstan", names={"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"})
    source = publish("source", title="Belasu")
    agreement = publish(
        "agreement",
        parties=[{"id": kz.pk, "role": "party"}],
        citations=[{"source": source.pk, "locator": "p. 3"}],
    )
    return kz, source, agreement


def approve_update(record, **changes):
    author, reviewer = staff_pair()
    proposal = propose_update(record, author, **changes)
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)


def test_a_published_record_is_served_as_the_serializer_gives_it_in_every_language(linked, api):
    kz, source, agreement = linked
    for record in (kz, source, agreement):
        for language in ("en", "ru", "kk"):
            response = detail(api, record, language)
            assert response.status_code == 200
            assert response["Content-Type"] == "application/json"
            assert response.content == serialized(record, language)
    body = detail(api, agreement, "ru").json()
    assert body["parties"][0]["name"] == "Казахстан"
    assert body["citations"][0]["label"] == "Belasu"
    assert body["url"] == f"http://testserver/api/v1/agreements/{agreement.pk}/"
    assert body["web_url"] == f"http://testserver/agreements/{agreement.pk}/"


def test_bodies_are_stored_at_publication_one_per_language_only_where_names_differ(linked):
    kz, source, agreement = linked
    assert set(Reading.objects.filter(record_id=agreement.pk).values_list("language", flat=True)) == {"", "ru", "kk"}
    assert set(Reading.objects.filter(record_id=kz.pk).values_list("language", flat=True)) == {""}
    assert Reading.objects.get(record_id=agreement.pk, language="").links == sorted([kz.pk, source.pk])


def test_a_list_page_joins_the_bodies_exactly(linked, api):
    kz, source, agreement = linked
    response = api.get("/api/v1/agreements/", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200
    page = response.json()
    assert page["next"] is None and page["previous"] is None
    assert response.content == b'{"next":null,"previous":null,"results":[' + serialized(agreement, "kk") + b"]}"


def test_a_rename_reaches_the_bodies_that_show_the_name(linked, api):
    kz, source, agreement = linked
    approve_update(
        kz, name="Republic of Kazakhstan", names={"en": "Republic of Kazakhstan", "ru": "Республика Казахстан"}
    )
    assert detail(api, agreement).json()["parties"][0]["name"] == "Republic of Kazakhstan"
    assert detail(api, agreement, "ru").json()["parties"][0]["name"] == "Республика Казахстан"
    assert detail(api, agreement, "kk").json()["parties"][0]["name"] == "Republic of Kazakhstan"
    assert not Reading.objects.filter(stale=True).exists()
    for language in ("en", "ru", "kk"):
        assert detail(api, agreement, language).content == serialized(agreement, language)


def test_a_rename_shown_by_very_many_bodies_marks_them_stale_and_they_are_never_served_stale(linked, api, monkeypatch):
    kz, source, agreement = linked
    others = publish_many("agreement", 3, parties=[{"id": kz.pk, "role": "party"}])
    monkeypatch.setattr(readings, "RENAME_INLINE", 2)
    approve_update(kz, name="Qazaqstan", names={"en": "Qazaqstan"})
    assert Reading.objects.filter(stale=True).values("record_id").distinct().count() == 4
    listed = api.get("/api/v1/agreements/", {"ordering": "id"}).json()["results"]
    assert [row["parties"][0]["name"] for row in listed] == ["Qazaqstan"] * 4
    call_command("refresh_readings", "--stale", stdout=io.StringIO())
    assert not Reading.objects.filter(stale=True).exists()
    for record in (agreement, *others):
        assert Reading.objects.get(record_id=record.pk, language="").body.count("Qazaqstan") == 1
        assert detail(api, record).content == serialized(record)


def test_a_withdrawn_record_loses_its_bodies_and_answers_410(linked, api):
    kz, source, agreement = linked
    author, reviewer = staff_pair()
    proposal = review.proposal_create(
        author=author,
        items=[review.ItemInput(action="withdraw", record_type="agreement", record_id=agreement.pk, base_revision=1)],
        summary="duplicate",
    )
    review.proposal_approve(proposal_id=proposal.pk, reviewer=reviewer)
    assert not Reading.objects.filter(record_id=agreement.pk).exists()
    assert detail(api, agreement).status_code == 410
    assert api.get("/api/v1/agreements/").json()["results"] == []


def test_a_missing_body_is_rendered_from_the_revision(linked, api):
    kz, source, agreement = linked
    Reading.objects.all().delete()
    assert detail(api, agreement, "ru").content == serialized(agreement, "ru")
    call_command("refresh_readings", stdout=io.StringIO())
    assert Reading.objects.filter(record_id=agreement.pk).count() == 3


def test_a_list_costs_the_same_queries_for_5_rows_as_for_40(db, api):
    kz = publish("place", name="Kazakhstan", names={"ru": "Казахстан"})
    source = publish("source", title="Belasu")
    publish_many(
        "agreement", 40, parties=[{"id": kz.pk, "role": "party"}], citations=[{"source": source.pk}], spheres=["trade"]
    )
    counts = []
    for size in (5, 40):
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/agreements/", {"page_size": size, "sphere": "trade"})
        assert response.status_code == 200 and len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    csv_counts = []
    for size in (5, 40):  # CSV reads the same bodies: keys only, no prefetch per linked table
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/agreements/", {"page_size": size, "sphere": "trade", "format": "csv"})
        assert response.status_code == 200
        assert response.content.decode().count("Kazakhstan (party") == size
        csv_counts.append(len(queries))
    assert csv_counts[0] == csv_counts[1] <= counts[0]
    Reading.objects.all().delete()  # rendered from the revisions: still no query per row
    with CaptureQueriesContext(connection) as queries:
        assert len(api.get("/api/v1/agreements/", {"page_size": 40, "sphere": "trade"}).json()["results"]) == 40
    assert len(queries) <= counts[1] + 3
