"""`/health/` and `/ready/`: cheap enough to poll every second, never cached, throttled or host-checked.

(That /ready/ answers 503 naming the database while PostgreSQL is down, and /health/ still 200, is in
tests/portal/test_outage.py, where a real server is stopped under a served portal.)
"""

import json

import pytest
from django.core.cache import caches
from django.test import Client


def test_health_answers_without_the_database():
    response = Client().get("/health/")  # no database access is allowed in this test: none is made
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db
def test_ready_names_each_check_it_made():
    response = Client().get("/ready/")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
    }
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db
def test_polls_are_never_throttled_cached_or_refused_by_host(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/hour"}}
    client = Client(HTTP_HOST="10.0.0.7")  # a load balancer asks by address, not by the site's name
    for _ in range(5):
        assert client.get("/health/").status_code == 200
        assert client.get("/ready/").status_code == 200
    assert caches["publication"]._cache == {}  # nothing stored for anonymous readers
    assert Client(HTTP_HOST="10.0.0.7").get("/api/v1/").status_code == 400  # other paths are host-checked
