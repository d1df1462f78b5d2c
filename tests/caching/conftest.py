"""Anonymous reads cached under the publication version: a small published world per test."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import publish

VERSION_QUERY = "SELECT version, published_at FROM records_publication WHERE id = 1"


@pytest.fixture
def small_world(db) -> SimpleNamespace:
    w = SimpleNamespace()
    w.place = publish(
        "place",
        name="Zarechny Oldname",
        names={"ru": "Заречный Старое", "kk": "Заречный Ескі"},
        kind="city",
    )
    w.agreement = publish(
        "agreement",
        title="Agreement on Zarechny cooperation",
        parties=[{"id": w.place.pk, "role": "party"}],
        kind="agreement",
        spheres=["trade"],
    )
    return w


@pytest.fixture
def reader() -> Client:
    return Client()


def queries_of(client: Client, url: str, **extra) -> tuple:
    """The response and the SQL it cost."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, [query["sql"] for query in captured.captured_queries]
