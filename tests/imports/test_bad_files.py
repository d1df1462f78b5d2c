"""Files that cannot be imported get a clear 400 or errors by row and column; nothing is proposed."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from records.models import Import, Proposal, Record
from tests.factories import publish
from tests.imports.test_imports import upload
from tests.queue import queue_emptied, worker_run

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def newer_zip() -> bytes:
    """A workbook whose zip directory asks for a zip version Python cannot read (zipfile raises NotImplementedError)."""
    content = bytearray(zipped({"xl/workbook.xml": b"<x/>"}))
    entry = content.index(b"PK\x01\x02")
    content[entry + 6] = 97
    return bytes(content)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("p.csv", "name,kind\nAlmaty,city\n".encode("cp1251") + "Семей,city\n".encode("cp1251"), "not UTF-8"),
        ("p.csv", b"name,kind,colour\nAlmaty,city,red\n", "Unknown columns: colour"),
        ("p.xlsx", b"PK\x03\x04 broken", "not a readable XLSX"),
        ("p.xlsx", newer_zip(), "not a readable XLSX"),
        ("p.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
        ("p.xlsm", zipped({"xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"\x00" * 100}), "macros"),
        ("p.xlsx", zipped({"xl/workbook.xml": b"<x/>", "xl/sheet.xml": b"0" * 5_000_000}), "zip bomb"),
        ("p.txt", b"name\nx\n", "Cannot tell the file's format"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(as_user, researcher, name, content, says):
    answer = upload(as_user(researcher), name, content, record_type="place")
    assert answer.status_code == 400, answer.content
    assert says in answer.json()["errors"]["file"][0]
    assert not Proposal.objects.exists()


def test_an_oversized_upload_is_refused(as_user, researcher, settings):
    settings.IMPORT_MAX_BYTES = 1000
    answer = upload(as_user(researcher), "p.csv", "name,kind\n" + "Almaty,city\n" * 200, record_type="place")
    assert answer.status_code == 400
    assert "larger than 1000 bytes" in answer.json()["errors"]["file"][0]


def test_formulas_unknown_ids_and_withdrawn_records_are_errors_of_their_rows(as_user, researcher):
    kz = publish("place", name="Kazakhstan", kind="country")
    gone = publish("place", name="Gone")
    Import.objects.none()
    gone.status = "withdrawn"
    gone.save(update_fields=["status"])
    text = (
        "name,kind,parent,notes\n"
        "=cmd|' /C calc'!A0,city,,\n"
        f"Semey,city,{kz.pk},'=1+2 is how the archive wrote it\n"
        "Ridder,city,999999,\n"
        f"Zaisan,city,{gone.pk},\n"
    )
    answer = upload(as_user(researcher), "p.csv", text, record_type="place").json()
    errors = {(e["row"], e["column"]) for e in answer["errors"]}
    assert errors == {(2, "name"), (4, "parent"), (5, "parent")}
    assert "formula" in answer["errors"][0]["message"]
    assert answer["counts"]["create"] == 1  # Semey, its note read without the apostrophe
    assert as_user(researcher).post(f"/api/v1/imports/{answer['id']}/propose/", {}, format="json").status_code == 409


def test_a_formula_in_a_workbook_is_an_error_and_its_values_are_read(as_user, researcher):
    content = xlsx([["name", "kind", "notes"], ["Almaty", "city", '=HYPERLINK("http://x")'], ["Semey", "city", 12]])
    answer = upload(as_user(researcher), "p.xlsx", content, record_type="place").json()
    assert [(e["row"], e["column"]) for e in answer["errors"]] == [(2, "notes")]
    assert answer["counts"]["create"] == 1


@pytest.mark.django_db(transaction=True)
def test_ten_thousand_rows_are_checked_proposed_and_approved_by_a_worker(as_user, researcher, reviewer):
    queue_emptied()
    text = "name,kind,notes\n" + "".join(f"Village {n},village,row {n}\n" for n in range(10_000))
    client = as_user(researcher)
    queued = upload(client, "villages.csv", text, record_type="place").json()
    assert (queued["status"], queued["progress"]) == ("queued", 0.0)  # never checked inside the request

    worker_run()
    checked = client.get(f"/api/v1/imports/{queued['id']}/").json()
    assert (checked["status"], checked["rows"], checked["rows_checked"], checked["progress"]) == (
        "checked",
        10_000,
        10_000,
        1.0,
    )
    assert checked["counts"]["create"] == 10_000
    proposing = client.post(f"/api/v1/imports/{queued['id']}/propose/", {}, format="json").json()
    assert proposing["status"] == "proposing"
    worker_run()
    proposed = client.get(f"/api/v1/imports/{queued['id']}/").json()
    assert proposed["status"] == "proposed"
    assert Proposal.objects.get(pk=proposed["proposal"]["id"]).items.count() == 10_000

    approving = as_user(reviewer).post(f"/api/v1/changes/{proposed['proposal']['id']}/approve/", {})
    assert approving.status_code == 202, approving.content  # approved by the worker, not in the request
    assert approving.json()["approval"] == {"state": "queued", "done": 0, "total": 10_000, "error": ""}
    assert not Record.objects.filter(label__startswith="Village ").exists()
    worker_run()
    approved = as_user(reviewer).get(f"/api/v1/changes/{proposed['proposal']['id']}/").json()
    assert (approved["status"], approved["approval"]) == ("approved", None)
    villages = Record.objects.published().filter(label__startswith="Village ")
    assert villages.count() == 10_000
    assert (
        as_user(reviewer).get("/api/v1/places/", {"q": "Village 9999"}).json()["results"][0]["name"] == "Village 9999"
    )


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_import_leaves_nothing(as_user, researcher, settings):
    queue_emptied()
    settings.IMPORT_INLINE_MAX_BYTES = 10
    client = as_user(researcher)
    queued = upload(client, "p.csv", "name,kind\nAlmaty,city\n", record_type="place", dry_run="false").json()
    assert client.post(f"/api/v1/imports/{queued['id']}/cancel/").json()["status"] == "cancelled"
    from records.imports.running import import_work  # the worker's step, run here

    import_work(queued["id"])
    assert Import.objects.get(pk=queued["id"]).status == "cancelled"
    assert not Proposal.objects.exists()


def test_an_id_of_a_record_of_another_type_is_an_error_of_its_row(as_user, researcher):
    """A sources sheet naming a place's id (found by fuzzing: it was a 500) is an error of that row's id."""
    place = publish("place", name="Semey", kind="city")
    text = f"id,title,kind\n{place.pk},A book,book\n,Another book,book\n"
    response = upload(as_user(researcher), "s.csv", text, record_type="source")
    assert response.status_code == 201
    answer = response.json()
    assert [(e["row"], e["column"]) for e in answer["errors"]] == [(2, "id")]
    assert f"Record {place.pk} is a place; expected source." in answer["errors"][0]["message"]
    assert answer["counts"]["create"] == 1


def test_a_workbook_row_naming_a_record_of_another_sheets_type_is_an_error(as_user, researcher):
    place = publish("place", name="Semey", kind="city")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "sources"
    sheet.append(["id", "title", "kind"])
    sheet.append([place.pk, "A book", "book"])
    workbook.create_sheet("places").append(["name", "kind"])
    workbook["places"].append(["Ridder", "city"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    answer = upload(as_user(researcher), "w.xlsx", buffer.getvalue()).json()
    assert [(e["sheet"], e["column"]) for e in answer["errors"]] == [("sources", "id")]
    assert answer["counts"]["create"] == 1
