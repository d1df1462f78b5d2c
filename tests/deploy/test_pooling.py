"""Connection pooling: many requests at once through threaded gunicorn workers never need more
connections than the pools hold, on a PostgreSQL server that allows fewer connections than there
are requests in flight. (Without the pool, DATABASE_POOL_MAX_SIZE=0, the same load gets 503s: each
thread keeps a connection of its own, and the server refuses the eleventh.)"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import serving
from tests.factories import publish
from tests.http import fetch
from tests.pgcluster import Cluster, folder, running

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

WORKERS, THREADS, POOL = 2, 8, 3
MAX_CONNECTIONS = 10  # fewer than the 16 threads that serve requests at once, more than 2 pools of 3 and ours


def test_many_concurrent_requests_share_a_bounded_pool(tmp_path, static_root):
    place = publish("place", name="Kurgan Region", kind="region")
    with folder() as path, running(Cluster(path, max_connections=str(MAX_CONNECTIONS))) as cluster:
        cluster.create()
        cluster.load_test_database(tmp_path / "copy.dump")
        env = serving.production_env(
            cluster.url, STATIC_ROOT=static_root, DATABASE_POOL_MAX_SIZE=str(POOL), DATABASE_POOL_TIMEOUT="60"
        )
        with serving.portal_served(env, workers=WORKERS, threads=THREADS) as base:
            # Every request reads the database (each URL is new to the cache); 32 callers at once.
            urls = [f"{base}/api/v1/places/?page_size={1 + n % 50}&q=Kurgan" for n in range(160)]
            urls += [f"{base}/places/{place.pk}/?n={n}" for n in range(40)]
            with ThreadPoolExecutor(max_workers=32) as callers:
                answers = list(callers.map(fetch, urls))
            assert [status for status, _, _ in answers] == [200] * len(urls)
            assert all("Kurgan Region" in body for _, body, _ in answers)
            # The portal's connections: never more than its pools hold (one process's idle ones included).
            (connections,) = cluster.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'portal' AND pid <> pg_backend_pid()"
            )[0]
            assert 1 <= connections <= WORKERS * POOL
