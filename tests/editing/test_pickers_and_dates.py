"""The record pickers and the dates of the form: a typed name taken as the one record it names, or the
candidates listed; the lookup and the date preview the form's scripts call."""

from __future__ import annotations

import pytest

from records.models import Proposal
from tests.conftest import page_client as signed_in
from tests.editing.helpers import new_form, text_of
from tests.factories import publish

pytestmark = pytest.mark.django_db


def test_an_ambiguous_name_in_a_picker_lists_the_candidates(world, researcher):
    publish("place", name="Omsk", kind="city", parent=world["omsk"].pk)
    client = signed_in(researcher)
    data = new_form(client, "agreements")
    data.update({"d-title": "X", "d-kind": "agreement", "d-date": "2001", "d-place_signed": "Oms", "summary": "s"})

    response = client.post("/agreements/new/", data)

    assert response.status_code == 400
    text = text_of(response.content)
    assert "Several records match “Oms”" in text
    assert f"{world['omsk'].pk} Omsk Region" in text


def test_a_unique_name_in_a_picker_is_taken_as_that_record(world, researcher):
    client = signed_in(researcher)
    data = new_form(client, "agreements")
    data.update(
        {"d-title": "X", "d-kind": "agreement", "d-date": "2001", "d-place_signed": "omsk region", "summary": "s"}
    )

    response = client.post("/agreements/new/", data)

    assert response.status_code == 302
    assert Proposal.objects.get(author=researcher).items.get().data["place_signed"] == world["omsk"].pk


def test_the_edtf_endpoint_explains_dates(client):
    assert client.get("/editing/edtf/", {"value": "199X"}).json()["text"] == "the 1990s"
    assert client.get("/editing/edtf/", {"value": "2001-33"}).json()["text"] == "1st quarter of 2001"
    assert client.get("/editing/edtf/", {"value": "1996?"}).json()["text"] == "1996 (uncertain)"
    bad = client.get("/editing/edtf/", {"value": "spring"}).json()
    assert bad["valid"] is False and "not a valid EDTF date" in bad["error"]


def test_the_lookup_finds_published_records_of_the_allowed_types_only(world, researcher, client):
    client.force_login(researcher)

    found = client.get("/editing/lookup/", {"q": "Omsk", "types": "place"}).json()["results"]
    assert [r["id"] for r in found] == [world["omsk"].pk]
    assert client.get("/editing/lookup/", {"q": "Omsk", "types": "source"}).json()["results"] == []
    assert (
        client.get("/editing/lookup/", {"q": str(world["book"].pk), "types": "source"}).json()["results"][0]["name"]
        == "History of regional relations"
    )


def test_the_lookup_is_bounded(researcher, client):
    for n in range(25):
        publish("place", name=f"Kurgan district {n}", kind="district")
    client.force_login(researcher)

    found = client.get("/editing/lookup/", {"q": "Kurgan", "types": "place"}).json()["results"]

    assert len(found) == 20
