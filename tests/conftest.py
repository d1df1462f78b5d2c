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
