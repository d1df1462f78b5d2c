"""Bulk imports through the API: templates, the dry run, round trips of the export, Zotero files,
GeoJSON, duplicates, and the one proposal a reviewer approves."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from records.models import Import, Proposal, Record, Source
from tests.factories import publish, staff_pair

# Every record type, by its list's path and its name.
TYPES = [
    ("places", "place"),
    ("organizations", "organization"),
    ("persons", "person"),
    ("agreements", "agreement"),
    ("events", "event"),
    ("statistics", "statistic"),
    ("sources", "source"),
]

pytestmark = pytest.mark.django_db


def upload(client, name: str, text: str | bytes, **fields):
    content = text.encode() if isinstance(text, str) else text
    upload = io.BytesIO(content)
    upload.name = name
    return client.post("/api/v1/imports/", {"file": upload, **fields}, format="multipart")


def table(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def export(client, plural: str) -> str:
    response = client.get(f"/api/v1/{plural}/", {"format": "csv", "all": "1"})
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.fixture
def world(db):
    kz = publish("place", name="Kazakhstan", kind="country", iso_code="KZ", identifiers={"wikidata": "Q232"})
    vko = publish(
        "place", name="East Kazakhstan Region", parent=kz.pk, iso_code="KZ-VOS", latitude="49.9", longitude="82.6"
    )
    akimat = publish("organization", name="Akimat of East Kazakhstan", place=vko.pk, country=kz.pk)
    source = publish("source", title="Archive file", authors=[{"family": "Abai", "given": "K."}])
    publish("person", name="Ivan Petrov", positions=[{"title": "Akim", "organization": akimat.pk, "date": "2001"}])
    agreement = publish(
        "agreement",
        parties=[{"id": vko.pk, "role": "party"}, {"id": akimat.pk, "role": "signatory"}],
        spheres=["trade"],
        citations=[{"source": source.pk, "locator": "p. 3", "quote": "signed"}],
    )
    publish("event", place=vko.pk, participants=[{"id": akimat.pk, "role": "host"}], agreements=[agreement.pk])
    publish("statistic", subjects=[{"id": vko.pk}], value="12.5")
    return {"kz": kz, "vko": vko, "akimat": akimat, "source": source}


@pytest.mark.parametrize(("plural", "record_type"), TYPES)
def test_an_exported_table_imports_as_nothing_to_propose(world, as_user, researcher, plural, record_type):
    client = as_user(researcher)
    template = client.get(f"/api/v1/imports/templates/{record_type}/").content.decode()
    exported = export(client, plural)
    assert template.splitlines()[0] == exported.splitlines()[0] + ",ref"  # the template has the export's columns

    answer = upload(client, f"{plural}.csv", exported, record_type=record_type)

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "checked"
    assert body["errors"] == []
    assert body["counts"]["create"] == body["counts"]["update"] == 0
    assert body["counts"]["unchanged"] == len(exported.strip().splitlines()) - 1
    refused = client.post(f"/api/v1/imports/{body['id']}/propose/", {}, format="json")
    assert refused.status_code == 409
    assert not Proposal.objects.filter(author=researcher).exists()


def test_edited_and_new_rows_become_one_proposal_that_publishes_on_approval(world, as_user, researcher, reviewer):
    client = as_user(researcher)
    rows = list(csv.DictReader(io.StringIO(export(client, "places"))))
    vko = next(row for row in rows if row["name"] == "East Kazakhstan Region")
    vko["names_ru"] = "Восточно-Казахстанская область"
    vko["ref"] = ""
    new = dict.fromkeys(vko, "")
    new.update(name="Ust-Kamenogorsk", kind="city", parent=vko["id"], ref="oskemen")
    town = dict.fromkeys(vko, "")
    town.update(name="Ridder", kind="city", parent="$oskemen", names_kk="Риддер")
    by_authority = dict.fromkeys(vko, "")
    by_authority.update(name="Katon-Karagay District", kind="district", parent="iso:KZ-VOS")
    answer = upload(client, "places.csv", table([vko, new, town, by_authority]), record_type="place").json()

    assert answer["errors"] == []
    assert answer["counts"] == {"create": 3, "update": 1, "unchanged": 0, "linked": 0, "invalid": 0}
    assert [(p["row"], p["action"]) for p in answer["preview"]] == [
        (2, "update"),
        (3, "create"),
        (4, "create"),
        (5, "create"),
    ]
    assert answer["preview"][0]["base_revision"] == 1
    assert not Record.objects.filter(label="Ridder").exists()  # nothing is published before approval

    proposed = client.post(f"/api/v1/imports/{answer['id']}/propose/", {}, format="json").json()
    assert proposed["status"] == "proposed"
    proposal_id = proposed["proposal"]["id"]
    assert Proposal.objects.get(pk=proposal_id).items.count() == 4
    assert as_user(researcher).post(f"/api/v1/changes/{proposal_id}/approve/", {}, format="json").status_code == 403

    assert as_user(reviewer).post(f"/api/v1/changes/{proposal_id}/approve/", {}, format="json").status_code == 200
    ridder = Record.objects.get(label="Ridder").as_place
    assert ridder.parent.label == "Ust-Kamenogorsk"
    assert ridder.parent.parent_id == world["vko"].pk
    assert Record.objects.get(label="Katon-Karagay District").as_place.parent_id == world["vko"].pk
    world["vko"].refresh_from_db()
    assert world["vko"].labels["ru"] == "Восточно-Казахстанская область"
    assert world["vko"].revision == 2


ZOTERO = [
    {
        "id": "http://zotero.org/users/1/items/AB",
        "type": "article-journal",
        "title": "Cross-border cooperation of Kazakhstan and Russia",
        "container-title": "Central Asia and the Caucasus",
        "volume": "5",
        "issue": "2",
        "page": "41-52",
        "DOI": "10.1234/cac.2004.5",
        "author": [{"family": "Nurpeisov", "given": "Erik"}, {"family": "Syroezhkin", "given": "K."}],
        "issued": {"date-parts": [[2004, 3]]},
        "accessed": {"date-parts": [[2024, 1, 15]]},
    },
    {
        "type": "book",
        "title": "Kazakhstan: Surprises and stereotypes",
        "publisher": "Continuum",
        "author": [{"family": "Aitken", "given": "Jonathan"}],
        "issued": {"date-parts": [[2012]]},
    },
]
BIBTEX = r"""
@book{nazarbayev1996,
  title = {Na poroge XXI veka},
  author = {Nazarbayev, Nursultan and {Institute of Strategic Studies}},
  publisher = {{\"O}ner},
  address = {Almaty},
  year = {1996},
}
@article{ospanov2001,
  title = {Regional ties},
  author = {Arman Ospanov},
  journal = {Kazakhstan Spectrum},
  volume = {3},
  pages = {10--19},
  year = {2001},
}
"""


@pytest.mark.parametrize(
    ("name", "content", "titles"),
    [
        (
            "zotero.json",
            json.dumps(ZOTERO),
            ["Cross-border cooperation of Kazakhstan and Russia", "Kazakhstan: Surprises and stereotypes"],
        ),
        ("library.bib", BIBTEX, ["Na poroge XXI veka", "Regional ties"]),
    ],
)
def test_a_zotero_library_becomes_sources_after_approval(db, as_user, researcher, reviewer, name, content, titles):
    answer = upload(as_user(researcher), name, content, dry_run="false").json()

    assert answer["errors"] == [], answer
    assert answer["status"] == "proposed"
    assert not Source.objects.filter(label__in=titles).exists()
    as_user(reviewer).post(f"/api/v1/changes/{answer['proposal']['id']}/approve/", {}, format="json")
    sources = {s.label: s for s in Source.objects.filter(label__in=titles)}
    assert set(sources) == set(titles)
    if name == "zotero.json":
        article = sources[titles[0]]
        assert article.authors == [{"family": "Nurpeisov", "given": "Erik"}, {"family": "Syroezhkin", "given": "K."}]
        assert (article.kind_id, article.date, article.doi, article.pages) == (
            "journal_article",
            "2004-03",
            "10.1234/cac.2004.5",
            "41-52",
        )
        assert str(article.accessed) == "2024-01-15"
    else:
        book = sources[titles[0]]
        assert book.authors == [
            {"family": "Nazarbayev", "given": "Nursultan"},
            {"literal": "Institute of Strategic Studies"},
        ]
        assert (book.publisher, book.publisher_place, book.date) == ("Öner", "Almaty", "1996")
        assert sources["Regional ties"].pages == "10-19"


def test_geojson_places_are_checked_and_round_trip(world, as_user, researcher):
    client = as_user(researcher)
    exported = client.get("/api/v1/places/", {"format": "geojson", "page_size": 500}).content
    assert upload(client, "places.geojson", exported).json()["counts"]["unchanged"] == 2
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [80.26, 50.41]},
        "properties": {"name": "Semey", "kind": "city", "parent": world["vko"].pk},
    }
    answer = upload(client, "new.geojson", json.dumps({"type": "FeatureCollection", "features": [feature]})).json()
    assert answer["errors"] == []
    assert answer["preview"][0]["name"] == "Semey"


def test_duplicates_are_shown_and_can_be_linked_to_the_existing_record(world, as_user, researcher, reviewer):
    client = as_user(researcher)
    rows = [
        {
            "name": "East Kazakhstan Regoin",
            "kind": "region",
            "parent": str(world["kz"].pk),
            "identifiers": "",
            "ref": "vko",
        },
        {"name": "Qazaqstan", "kind": "country", "parent": "", "identifiers": "wikidata:Q232", "ref": ""},
        {"name": "Zaisan", "kind": "city", "parent": "$vko", "identifiers": "", "ref": ""},
    ]
    answer = upload(client, "places.csv", table(rows), record_type="place").json()

    assert answer["errors"] == []
    found = {(d["row"], d["record"], d["reason"]) for d in answer["duplicates"]}
    assert found == {(2, world["vko"].pk, "name"), (3, world["kz"].pk, "wikidata:Q232")}

    link = {"2": world["vko"].pk}
    proposed = client.post(f"/api/v1/imports/{answer['id']}/propose/", {"link": link}, format="json").json()
    assert proposed["status"] == "proposed", proposed
    as_user(reviewer).post(f"/api/v1/changes/{proposed['proposal']['id']}/approve/", {}, format="json")
    assert not Record.objects.filter(label="East Kazakhstan Regoin").exists()
    assert Record.objects.get(label="Zaisan").as_place.parent_id == world["vko"].pk
    assert Record.objects.filter(label="Qazaqstan").exists()  # kept apart, as the author chose


def test_the_command_checks_and_proposes(world, tmp_path, researcher, capsys):
    path = tmp_path / "orgs.csv"
    path.write_text(table([{"name": "Akimat of Semey", "kind": "akimat", "country": "iso:KZ"}]), encoding="utf-8")
    call_command("import_records", str(path), "--type", "organization", "--user", researcher.username, "--dry-run")
    assert "1 create" in capsys.readouterr().out
    assert not Proposal.objects.filter(author=researcher).exists()
    call_command("import_records", str(path), "--type", "organization", "--user", researcher.username)
    proposal = Proposal.objects.get(author=researcher)
    assert proposal.items.get().data["country"] == world["kz"].pk
    assert Import.objects.filter(author=researcher).count() == 2


def test_imports_are_for_researchers_and_their_own(world, as_user, researcher, researcher2, newcomer, api):
    assert upload(api, "p.csv", "name,kind\nX,city\n", record_type="place").status_code in (401, 403)
    assert upload(as_user(newcomer), "p.csv", "name,kind\nX,city\n", record_type="place").status_code == 403
    mine = upload(as_user(researcher), "p.csv", "name,kind\nX,city\n", record_type="place").json()
    assert as_user(researcher2).get(f"/api/v1/imports/{mine['id']}/").status_code == 404
    assert as_user(researcher).get(f"/api/v1/imports/{mine['id']}/").json()["counts"]["create"] == 1
    staff_pair()
