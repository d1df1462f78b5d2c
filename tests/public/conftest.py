"""Public pages: the sample world, a browser-like client per role, and helpers to change records."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from records.workflow import review
from tests.factories import staff_pair
from tests.world import build_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The cast's accounts are made per test; a deliberately slow hash is no part of what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The sample world, built once per test module inside a transaction that is rolled back at its
    end; each test runs in a savepoint within it (pytest-django's `db`), so tests stay independent."""
    with django_db_blocker.unblock(), transaction.atomic():
        from tests.conftest import restore_migration_data

        restore_migration_data()
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world, db):
    return module_world


@pytest.fixture
def reader():
    return Client()


def withdrawn_before_links_were_checked(record) -> None:
    """A record withdrawn while published records still refer to it, as older data may hold (the workflow
    refuses such a withdrawal now): set directly, so that pages can be shown to cope with it."""
    type(record).objects.filter(pk=record.pk).update(status="withdrawn")


def withdraw(record, summary: str = "Duplicate of another record") -> None:
    author, approver = staff_pair()
    proposal = review.proposal_create(
        author=author,
        items=[
            review.ItemInput(
                action="withdraw", record_type=record.record_type, record_id=record.pk, base_revision=record.revision
            )
        ],
        summary=summary,
    )
    review.proposal_approve(proposal_id=proposal.pk, reviewer=approver)
