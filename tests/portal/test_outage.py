"""PostgreSQL restarted under a running portal: clean 503s during the outage, and service again afterwards
without restarting the portal.

The test starts a PostgreSQL server of its own (initdb in a temporary folder, on a free port: the shared
server is never touched), copies the test database into it, serves the portal from it with gunicorn as
production does (debug off), and stops and starts that server under it.
"""

from __future__ import annotations

import json

import pytest

from bench import serving
from tests.factories import publish
from tests.http import fetch as get
from tests.pgcluster import Cluster, folder, running

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def place():
    return publish("place", name="Kurgan Region", kind="region")


@pytest.fixture
def cluster(tmp_path, place):
    """A server of its own holding a copy of the test database (with `place` in it)."""
    with folder() as path, running(Cluster(path)) as cluster:
        cluster.create()
        cluster.load_test_database(tmp_path / "copy.dump")
        yield cluster


@pytest.fixture
def portal(cluster, tmp_path):
    env = serving.production_env(cluster.url, STATIC_ROOT=str(tmp_path / "static"), DATABASE_CONN_MAX_AGE="60")
    # As production runs: static files collected first (pages name their hashed files).
    serving.static_collected(env)
    with serving.portal_served(env) as base:
        yield base


def test_the_portal_survives_a_database_restart(portal, cluster, place):
    api, page = f"{portal}/api/v1/places/", f"{portal}/places/"
    assert get(api)[0] == 200 and get(page)[0] == 200

    cluster.stop()
    for url in (api, page):
        status, body, headers = get(url)
        assert status == 503, body
        assert headers.get("Retry-After") == "30"
        assert "Traceback" not in body and "psycopg" not in body
    assert '"code":"unavailable"' in get(api)[1].replace(" ", "")
    assert "try again" in get(page)[1]
    # The load balancer's two questions: the process answers, but it cannot serve (and says why).
    assert get(f"{portal}/health/")[0] == 200
    status, body, headers = get(f"{portal}/ready/")
    assert status == 503 and headers.get("Cache-Control") == "no-store"
    assert json.loads(body)["failed"] == ["database", "queue"]

    cluster.start()
    status, body, _ = get(api)
    assert status == 200 and place.label in body
    assert get(page)[0] == 200
    assert get(f"{portal}/ready/")[0] == 200
