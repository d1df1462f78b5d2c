"""The import pages: upload, check, duplicates to link, propose, cancel; templates to download."""

from __future__ import annotations

import io

import pytest

from records.models import Import, Proposal
from tests.conftest import page_client
from tests.factories import publish

pytestmark = pytest.mark.django_db


def post_file(client, text: str, record_type: str = "place"):
    upload = io.BytesIO(text.encode())
    upload.name = "places.csv"
    return client.post("/imports/new/", {"file": upload, "record_type": record_type, "summary": "Villages"})


def test_a_researcher_uploads_checks_and_proposes_on_the_pages(researcher):
    vko = publish("place", name="East Kazakhstan Region")
    client = page_client(researcher)
    page = client.get("/imports/new/").content.decode()
    assert "/api/v1/imports/templates/place/" in page

    answer = post_file(client, f"name,kind,parent\nEast Kazakhstan Regoin,region,\nZaisan,city,{vko.pk}\n")
    assert answer.status_code == 302
    shown = client.get(answer["Location"]).content.decode()
    assert "2 to create" in shown
    assert f'name="link-2" value="{vko.pk}"' in shown  # the duplicate, to link

    done = client.post(answer["Location"] + "propose/", {"link-2": str(vko.pk)})
    proposal = Proposal.objects.get(author=researcher)
    assert done["Location"] == f"/proposals/{proposal.pk}/"
    assert proposal.summary == "Villages"
    assert [item.data["name"] for item in proposal.items.all()] == ["Zaisan"]


def test_a_bad_file_is_shown_on_the_form_and_an_import_can_be_cancelled(researcher, researcher2):
    client = page_client(researcher)
    refused = post_file(client, "name,colour\nX,red\n")
    assert refused.status_code == 400
    assert "Unknown columns: colour" in refused.content.decode()

    answer = post_file(client, "name,kind\n=1+A1,city\n")
    shown = client.get(answer["Location"]).content.decode()
    assert "formula" in shown
    assert page_client(researcher2).get(answer["Location"]).status_code == 404
    client.post(answer["Location"] + "cancel/")
    assert Import.objects.get(pk=answer["Location"].split("/")[2]).status == "cancelled"


def test_readers_and_newcomers_cannot_import(newcomer):
    assert page_client().get("/imports/new/").status_code == 302  # to sign in
    assert page_client(newcomer).get("/imports/new/").status_code == 403
