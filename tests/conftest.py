"""A fixed cast for every test: a reader (anonymous), two researchers, two reviewers, an administrator."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture
def researcher(db):
    return UserFactory(username="rita", display_name="Rita Researcher", roles=["researcher"])


@pytest.fixture
def researcher2(db):
    return UserFactory(username="ruslan", display_name="Ruslan Researcher", roles=["researcher"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="vera", display_name="Vera Reviewer", roles=["reviewer"])


@pytest.fixture
def reviewer2(db):
    return UserFactory(username="viktor", display_name="Viktor Reviewer", roles=["reviewer"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", display_name="Ada Admin", roles=["admin"])


@pytest.fixture
def newcomer(db):
    """Signed up, but no role granted yet."""
    return UserFactory(username="nina", display_name="Nina Newcomer")


@pytest.fixture
def api():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def as_user():
    return client_for


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database (--reuse-db) loses the rows that data migrations wrote (vocabularies, role
    groups) once a transactional test (live server) flushes it. Put them back at the start of every
    session, and make them what `serialized_rollback` restores after such a flush."""
    import importlib

    from django.apps import apps
    from django.db import connection

    from portal.roles import roles_ensure

    with django_db_blocker.unblock():
        importlib.import_module("records.migrations.0003_vocabularies").load(apps, None)
        roles_ensure()
        if hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
