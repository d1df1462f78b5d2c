"""Per-author quotas on imports (429 with what to do), and the stored files removed once nothing more can
come of an import, its record and errors kept."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from records.models import Import
from records.workflow import review
from tests.conftest import page_client
from tests.imports.test_imports import upload

pytestmark = pytest.mark.django_db


def test_imports_in_flight_are_limited_on_the_api_and_the_page(as_user, researcher, settings):
    settings.IMPORT_MAX_IN_FLIGHT, settings.IMPORT_INLINE_MAX_BYTES = 1, 10  # queued for a worker
    client = as_user(researcher)
    assert upload(client, "p.csv", "name,kind\nAlmaty,city\n", record_type="place").status_code == 201
    refused = upload(client, "p.csv", "name,kind\nSemey,city\n", record_type="place")
    assert refused.status_code == 429
    assert "wait until one is done" in refused.json()["detail"]
    file = io.BytesIO(b"name,kind\nSemey,city\n")
    file.name = "p.csv"
    page = page_client(researcher).post("/imports/new/", {"file": file, "record_type": "place"})
    assert page.status_code == 429 and "wait until one is done" in page.content.decode()
    assert Import.objects.count() == 1


def test_rows_and_bytes_a_day_are_limited(as_user, researcher, settings):
    settings.IMPORT_MAX_ROWS_PER_DAY = 3
    client = as_user(researcher)
    assert upload(client, "p.csv", "name,kind\nAlmaty,city\nSemey,city\n", record_type="place").status_code == 201
    over = upload(client, "p.csv", "name,kind\nRidder,city\nZaisan,city\n", record_type="place")
    assert over.status_code == 429 and "3 rows a day" in over.json()["detail"]
    settings.IMPORT_MAX_ROWS_PER_DAY, settings.IMPORT_MAX_BYTES_PER_DAY = 0, 60
    over = upload(client, "p.csv", "name,kind\nRidder,city\n", record_type="place")
    assert over.status_code == 429 and "60 bytes a day" in over.json()["detail"]


def test_files_are_removed_once_nothing_more_can_come_of_the_import(as_user, researcher, reviewer, settings):
    client = as_user(researcher)
    made = {
        name: upload(client, "p.csv", text, record_type="place", dry_run=dry).json()["id"]
        for name, text, dry in [
            ("approved", "name,kind\nAlmaty,city\n", "false"),
            ("waiting", "name,kind\nSemey,city\n", "false"),
            ("checked", "name,kind\nRidder,city\n", "true"),
        ]
    }
    assert upload(client, "p.csv", "name,kind,colour\nZaisan,city,red\n", record_type="place").status_code == 400
    made["failed"] = Import.objects.get(status="failed").pk  # unreadable as a whole, kept with its errors
    approved = Import.objects.get(pk=made["approved"])
    review.proposal_approve(proposal_id=approved.proposal_id, reviewer=reviewer)
    settings.IMPORT_FILE_RETENTION_DAYS = 0
    call_command("remove_import_files", stdout=io.StringIO())
    kept = {name: bytes(Import.objects.get(pk=pk).content) != b"" for name, pk in made.items()}
    assert kept == {"approved": False, "waiting": True, "checked": True, "failed": False}
    assert "colour" in Import.objects.get(pk=made["failed"]).errors[0]["message"]

    from records.imports.running import import_files_remove

    assert import_files_remove(now=timezone.now() + timedelta(days=1)) == 0
    job = Import.objects.get(pk=made["approved"])
    assert (job.status, job.rows, job.counts["create"]) == ("proposed", 1, 1)
    assert client.get(f"/api/v1/imports/{job.pk}/").json()["status"] == "proposed"
