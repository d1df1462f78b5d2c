"""XLSX both ways: a template per type, the lists' export, and what they import; formula-safe cells."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from records.api.formats import XLSXRenderer
from records.models import Proposal, Record
from tests.factories import publish
from tests.imports.test_imports import TYPES, upload, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

INJECTION = "=cmd|' /C calc'!A0"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def export_xlsx(client, plural: str, **params) -> bytes:
    response = client.get(f"/api/v1/{plural}/", {"format": "xlsx", "all": "1", **params})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSXRenderer.media_type
    assert response["Content-Disposition"] == f'attachment; filename="{plural}.xlsx"'
    return body(response)


def sheet_rows(content: bytes) -> tuple[str, list[list]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    sheet = book.worksheets[0]
    return sheet.title, [[cell.value for cell in line] for line in sheet.iter_rows()]


def workbook_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("plural", "record_type"), TYPES)
def test_an_exported_workbook_has_the_csv_rows_and_imports_as_nothing_to_propose(
    world,  # noqa: F811
    as_user,
    researcher,
    plural,
    record_type,
):
    client = as_user(researcher)
    exported = export_xlsx(client, plural)
    title, rows = sheet_rows(exported)
    csv_rows = body(client.get(f"/api/v1/{plural}/", {"format": "csv", "all": "1"})).decode().strip().splitlines()
    assert title == record_type
    assert len(rows) == len(csv_rows) >= 2
    assert ",".join(rows[0]) == csv_rows[0]  # the same columns as the CSV
    template = client.get(f"/api/v1/imports/templates/{record_type}/", {"format": "xlsx"})
    assert template["Content-Disposition"] == f'attachment; filename="{plural}-template.xlsx"'
    assert sheet_rows(template.content)[1] == [[*rows[0], "ref"]]

    answer = upload(client, f"{plural}.xlsx", exported, record_type=record_type)

    assert answer.status_code == 201, answer.json()
    checked = answer.json()
    assert (checked["status"], checked["errors"]) == ("checked", [])
    assert checked["counts"]["create"] == checked["counts"]["update"] == 0
    assert checked["counts"]["unchanged"] == len(rows) - 1
    assert client.post(f"/api/v1/imports/{checked['id']}/propose/", {}, format="json").status_code == 409


def test_a_downloaded_xlsx_template_filled_in_imports_and_publishes_on_approval(
    world,  # noqa: F811
    as_user,
    researcher,
    reviewer,
):
    client = as_user(researcher)
    response = client.get("/api/v1/imports/templates/place/", HTTP_ACCEPT=XLSXRenderer.media_type)
    assert response["Content-Type"] == XLSXRenderer.media_type
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    filled = {"name": "Oskemen", "kind": "city", "parent": "iso:KZ-VOS", "ref": "osk"}
    sheet.append([filled.get(column, "") for column in header])
    sheet.append([{"name": "Ridder", "kind": "city", "parent": "$osk"}.get(column, "") for column in header])

    answer = upload(client, "places.xlsx", workbook_bytes(book), record_type="place", dry_run="false").json()

    assert answer["errors"] == []
    assert answer["status"] == "proposed"
    assert answer["counts"]["create"] == 2
    approved = as_user(reviewer).post(f"/api/v1/changes/{answer['proposal']['id']}/approve/", {}, format="json")
    assert approved.status_code == 200
    ridder = Record.objects.published().get(label="Ridder").as_place
    assert ridder.parent.label == "Oskemen"
    assert ridder.parent.parent_id == world["vko"].pk


def test_a_formula_like_text_is_a_text_cell_and_survives_export_and_import(as_user, researcher, reviewer):
    publish("place", name="Injected", kind="city", notes=INJECTION)
    publish("place", name="Not an error", kind="city", notes="#N/A")
    client = as_user(researcher)
    exported = export_xlsx(client, "places", ordering="name")

    book = load_workbook(io.BytesIO(exported))  # not read-only: cells keep their data type
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    notes = sheet.cell(row=2, column=header.index("notes") + 1)
    assert (notes.value, notes.data_type) == (INJECTION, "s")  # a string, not a formula
    code = sheet.cell(row=3, column=header.index("notes") + 1)
    assert (code.value, code.data_type) == ("#N/A", "s")  # a string, not an error
    sheet_xml = zipfile.ZipFile(io.BytesIO(exported)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml

    unchanged = upload(client, "places.xlsx", exported, record_type="place").json()
    assert (unchanged["errors"], unchanged["counts"]["unchanged"]) == ([], 2)

    sheet.delete_rows(3)
    for column in ("id", "revision", "url", "web_url", "updated_at"):  # the same row as a new record
        sheet.cell(row=2, column=header.index(column) + 1).value = None
    sheet.cell(row=2, column=header.index("name") + 1).value = "Injected again"
    answer = upload(client, "places.xlsx", workbook_bytes(book), record_type="place", dry_run="false").json()
    assert (answer["errors"], answer["counts"]["create"]) == ([], 1)
    as_user(reviewer).post(f"/api/v1/changes/{answer['proposal']['id']}/approve/", {}, format="json")
    assert Record.objects.published().get(label="Injected again").notes == INJECTION


def test_a_page_and_a_detail_are_workbooks_too_and_the_schema_says_so(as_user, researcher):
    place = publish("place", name="Almaty", kind="city")
    client = as_user(researcher)
    page = client.get("/api/v1/places/", HTTP_ACCEPT=XLSXRenderer.media_type)
    assert page["Content-Type"] == XLSXRenderer.media_type
    assert sheet_rows(page.content)[1][1][sheet_rows(page.content)[1][0].index("name")] == "Almaty"
    detail = client.get(f"/api/v1/places/{place.pk}/", {"format": "xlsx"})
    assert len(sheet_rows(detail.content)[1]) == 2

    schema = client.get("/api/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/places/"]["get"]["responses"]["200"]["content"]
    assert listing[XLSXRenderer.media_type]["schema"]["format"] == "binary"
    template = schema["paths"]["/api/v1/imports/templates/{record_type}/"]["get"]["responses"]["200"]["content"]
    assert set(template) == {"text/csv", XLSXRenderer.media_type}


def workbook(sheets: dict[str, list[dict]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        header = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column, "") for column in header])
    return workbook_bytes(book)


def test_a_workbook_of_one_sheet_per_type_is_one_change_set_linked_across_sheets(
    world,  # noqa: F811
    as_user,
    researcher,
    reviewer,
):
    content = workbook(
        {
            "Places": [{"name": "Oskemen", "kind": "city", "parent": "iso:KZ-VOS", "ref": "osk"}],
            "Организации": [{"name": "Oskemen city akimat", "kind": "akimat", "place": "$osk", "country": "iso:KZ"}],
        }
    )
    client = as_user(researcher)
    answer = upload(client, "both.xlsx", content, dry_run="false").json()

    assert answer["errors"] == []
    assert answer["status"] == "proposed"
    assert [(p["sheet"], p["row"], p["record_type"]) for p in answer["preview"]] == [
        ("Places", 2, "place"),
        ("Организации", 2, "organization"),
    ]
    proposal = Proposal.objects.get(pk=answer["proposal"]["id"])
    assert sorted(proposal.items.values_list("record_type", flat=True)) == ["organization", "place"]
    assert not Record.objects.filter(label="Oskemen").exists()
    assert as_user(reviewer).post(f"/api/v1/changes/{proposal.pk}/approve/", {}, format="json").status_code == 200
    akimat = Record.objects.published().get(label="Oskemen city akimat").as_organization
    assert akimat.place.label == "Oskemen"
    assert akimat.place.as_place.parent_id == world["vko"].pk


def test_a_workbook_names_each_error_by_sheet_and_refuses_unknown_sheet_names(
    world,  # noqa: F811
    as_user,
    researcher,
):
    client = as_user(researcher)
    wrong = workbook(
        {
            "place": [{"name": "Fine", "kind": "city"}],
            "organization": [
                {"name": "Nowhere", "kind": "akimat", "place": "$missing"},
                {"name": "", "kind": "akimat"},
            ],
        }
    )
    answer = upload(client, "wrong.xlsx", wrong).json()
    assert {(e["sheet"], e["row"], e["column"]) for e in answer["errors"]} >= {
        ("organization", 2, "place"),
        ("organization", 3, "name"),
    }
    assert answer["counts"]["create"] == 1

    unknown = upload(client, "notes.xlsx", workbook({"place": [{"name": "A", "kind": "city"}], "Notes": [{"a": 1}]}))
    assert unknown.status_code == 400
    assert "'Notes'" in unknown.json()["errors"]["file"][0] and "record type" in unknown.json()["errors"]["file"][0]
    assert not Proposal.objects.filter(author=researcher).exists()


def test_a_single_sheet_is_read_with_record_type_or_by_its_sheet_name(as_user, researcher):
    client = as_user(researcher)
    content = workbook({"Sheet1": [{"name": "Almaty", "kind": "city"}]})
    assert upload(client, "p.xlsx", content, record_type="place").json()["counts"]["create"] == 1
    named = upload(client, "p.xlsx", workbook({"Places": [{"name": "Almaty", "kind": "city"}]})).json()
    assert (named["record_type"], named["counts"]["create"]) == ("place", 1)
    untyped = upload(client, "p.xlsx", content)
    assert untyped.status_code == 400 and "record_type" in untyped.json()["errors"]["file"][0]


def test_a_duplicate_in_a_workbook_is_linked_by_its_key(world, as_user, researcher, reviewer):  # noqa: F811
    content = workbook(
        {
            "places": [{"name": "Qazaqstan", "kind": "country", "identifiers": "wikidata:Q232", "ref": "kz"}],
            "organizations": [{"name": "Ministry of Trade", "kind": "ministry", "country": "$kz"}],
        }
    )
    client = as_user(researcher)
    checked = upload(client, "both.xlsx", content).json()
    duplicate = next(d for d in checked["duplicates"] if d["record"] == world["kz"].pk)
    assert (duplicate["sheet"], duplicate["row"], duplicate["reason"]) == ("places", 2, "wikidata:Q232")

    link = {str(duplicate["key"]): world["kz"].pk}
    proposed = client.post(f"/api/v1/imports/{checked['id']}/propose/", {"link": link}, format="json").json()

    assert proposed["status"] == "proposed"
    assert Proposal.objects.get(pk=proposed["proposal"]["id"]).items.count() == 1  # the country is not created
    as_user(reviewer).post(f"/api/v1/changes/{proposed['proposal']['id']}/approve/", {}, format="json")
    ministry = Record.objects.published().get(label="Ministry of Trade").as_organization
    assert ministry.country_id == world["kz"].pk


def test_an_xlsx_export_keeps_the_export_limit(as_user, researcher, settings):
    publish("place", name="Almaty", kind="city")
    publish("place", name="Semey", kind="city")
    settings.API_EXPORT_MAX_ROWS = 1
    response = as_user(researcher).get("/api/v1/places/", {"format": "xlsx", "all": "1"})
    assert response.status_code == 400
    assert "at most 1" in response.json()["errors"]["all"][0]
