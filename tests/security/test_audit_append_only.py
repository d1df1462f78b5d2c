"""The audit log is append-only in the database: raw UPDATE and DELETE are refused by a trigger, and
`audit_record` is the one way to add a line (with actor, target, details and address)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory

from portal.audit import audit_record
from portal.models import AuditEntry
from tests.conftest import page_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(researcher):
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    return audit_record(researcher, AuditEntry.Action.TOKEN_SIGN_IN, request, token="laptop")


def test_audit_record_writes_actor_target_detail_and_address(entry, researcher):
    entry.refresh_from_db()
    assert (entry.actor, entry.target, entry.detail, str(entry.ip_address)) == (
        researcher,
        f"user:{researcher.pk}",
        {"token": "laptop"},
        "198.51.100.4",
    )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE portal_auditentry SET action = 'sign_out' WHERE id = %s",
        "UPDATE portal_auditentry SET actor_id = NULL WHERE id = %s",
        "DELETE FROM portal_auditentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_remove_an_audit_line(entry, sql):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditEntry.Action.TOKEN_SIGN_IN


def test_the_orm_cannot_either(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(target="nothing")
    assert AuditEntry.objects.filter(pk=entry.pk, target=entry.target).exists()


def test_the_admin_shows_audit_lines_without_change_or_delete(admin_user, entry):
    client = page_client(admin_user)
    page = client.get(f"/admin/portal/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content and b"deletelink" not in page.content
    assert client.post(f"/admin/portal/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
