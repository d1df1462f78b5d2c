"""`manage.py backup` and `restore` round-trip a populated database, row for row, and a bad file changes nothing."""

from __future__ import annotations

import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from bench.databases import database_drop
from portal import pgtools
from portal.models import AuditEntry
from records.models import Comment, Notification, Proposal, Record, Revision
from records.workflow import review
from tests.factories import propose_update, publish, staff_pair

pytestmark = pytest.mark.django_db(transaction=True)


def portal_tables() -> list[str]:
    """Every table of the portal's own apps: content, its history, the review trail, accounts and the audit log."""
    return sorted(
        model._meta.db_table
        for name in ("records", "portal")
        for model in apps.get_app_config(name).get_models(include_auto_created=True)
    )


def table_digests(conninfo: str) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row (in a fixed order) of each table."""
    digests = {}
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in portal_tables():
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t"
            ).fetchone()
            digests[table] = (count, digest)
    return digests


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = pgtools.conninfo(connection.settings_dict["NAME"])
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        database_drop(conn, name)  # a plain DROP first: FORCE may not end an autovacuum worker there


@pytest.fixture
def populated():
    author, reviewer = staff_pair()
    region = publish("place", name="Kurgan Region", kind="region", author=author, reviewer=reviewer)
    publish("place", name="Кустанайская область", kind="region", author=author, reviewer=reviewer)
    agreement = publish("agreement", title="Memorandum on $2 million — «quoted»", author=author, reviewer=reviewer)
    pending = propose_update(region, author, notes="A pending note")
    review.comment_add(proposal_id=pending.pk, author=reviewer, body="Which source says so?")
    approved = propose_update(agreement, author, notes="Revised")
    review.proposal_approve(proposal_id=approved.pk, reviewer=reviewer, comment="ok")
    return {"records": Record.objects.count(), "proposals": Proposal.objects.count()}


def test_a_backup_restores_every_row(populated, scratch_database, tmp_path):
    assert Revision.objects.count() >= 4 and Comment.objects.exists() and Notification.objects.exists()
    assert AuditEntry.objects.exists()
    dump = tmp_path / "portal.dump"

    call_command("backup", output=str(dump))
    call_command("restore", str(dump), database=scratch_database, yes=True)

    original = table_digests(pgtools.conninfo(connection.settings_dict["NAME"]))
    restored = table_digests(pgtools.conninfo(scratch_database))
    assert original["records_record"][0] == populated["records"]
    assert original["records_proposal"][0] == populated["proposals"]
    assert restored == original
    assert len(original) > 30 and original["records_revision"][0] >= 4 and original["portal_auditentry"][0] > 0


def test_restoring_a_damaged_file_changes_nothing(populated, scratch_database, tmp_path):
    dump = tmp_path / "portal.dump"
    call_command("backup", output=str(dump))
    call_command("restore", str(dump), database=scratch_database, yes=True)
    before = table_digests(pgtools.conninfo(scratch_database))
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(damaged), database=scratch_database, yes=True)

    assert table_digests(pgtools.conninfo(scratch_database)) == before


def test_restore_asks_before_replacing(populated, tmp_path):
    dump = tmp_path / "portal.dump"
    call_command("backup", output=str(dump))
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(dump))
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), yes=True)
    assert Record.objects.count() == populated["records"]
