"""Two gunicorn workers sharing one Redis: both serve what one of them stored, and a publication made by
another process is seen by the next request to either of them; two app servers count the API's
throttles together."""

from __future__ import annotations

import socket
import subprocess

import pytest
from django.core.cache.backends.redis import RedisCache

from bench import serving
from portal import pgtools
from records.workflow import review
from tests.factories import propose_update, publish, staff_pair
from tests.http import fetch

pytestmark = pytest.mark.slow  # redis-server comes with `make test` (scripts/setup.sh dev)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A private redis-server, as set-up starts one; ready when its log says so (read, not polled)."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for line in server.stdout:
            if "Ready to accept connections" in line:
                break
        else:
            pytest.fail("redis-server stopped before it was ready")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def portal(transactional_db, redis_url, static_root):
    env = serving.production_env(pgtools.database_url(), STATIC_ROOT=static_root, REDIS_URL=redis_url)
    with serving.portal_served(env, workers=2) as base:
        yield base


def get(url: str) -> str:
    status, body, _ = fetch(url)
    assert status == 200, body
    return body


def test_workers_share_the_cache_and_see_a_publication_at_once(portal, redis_url):
    place = publish("place", name="Zarechny Oldname")
    url = f"{portal}/api/v1/places/"
    assert "Zarechny Oldname" in get(url)

    # One entry in Redis, kept by the WSGI front (records/caching.py PublicationFront); mark it (same
    # length: its Content-Length is stored), and every worker answers with the mark: they read the
    # shared store.
    shared = RedisCache(redis_url, {"KEY_PREFIX": "publication"})
    keys = [key.decode() for key in shared._cache.get_client().keys("publication:*:front:*")]
    assert len(keys) == 1
    key = keys[0].split(":", 2)[2]
    status, headers, content, *validators = shared.get(key)
    shared.set(key, (status, headers, content.replace(b"Zarechny Oldname", b"Zarechny Shared7"), *validators))
    for _ in range(8):
        assert "Zarechny Shared7" in get(url)

    # Published by this process (neither worker): the next request to any worker shows it.
    author, approver = staff_pair()
    review.proposal_approve(proposal_id=propose_update(place, author, name="Zarechny Newname").pk, reviewer=approver)
    for _ in range(8):
        body = get(url)
        assert "Zarechny Newname" in body
        assert "Shared7" not in body and "Oldname" not in body


def test_two_app_servers_count_one_throttle(transactional_db, redis_url, static_root):
    env = serving.production_env(
        pgtools.database_url(), STATIC_ROOT=static_root, REDIS_URL=redis_url, API_THROTTLE_ANON="4/hour"
    )
    with serving.portal_served(env) as first, serving.portal_served(env) as second:
        # Each URL is new, so none is answered from the publication cache (hits are not counted).
        answers = [fetch(f"{base}/api/v1/places/?n={n}")[0] for n, base in enumerate([first, second] * 2)]
        assert answers == [200, 200, 200, 200]
        # The caller's fifth request is refused by either server: they counted together, in Redis.
        for n, base in enumerate([first, second]):
            status, body, headers = fetch(f"{base}/api/v1/places/?late={n}")
            assert status == 429, body
            assert int(headers["Retry-After"]) > 0
