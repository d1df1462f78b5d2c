"""Read replicas, for real: a PostgreSQL primary and a streaming replica made with pg_basebackup, a
portal served against both (DATABASE_URL and DATABASE_REPLICA_URLS), and what readers and writers see.

The primary waits for the replica to have *received* each commit (synchronous_standby_names), not to
have applied it, so pausing the replica's replay (pg_wal_replay_pause) makes it lag behind, for as
long as the test wants, without blocking the portal's writes. To know that it caught up, the test
commits one row with synchronous_commit = remote_apply: once that returns, the replica shows
everything before it. No sleeping, no polling.
"""

from __future__ import annotations

import json

import pytest

from bench import serving
from tests.factories import UserFactory, propose_update, publish
from tests.http import fetch
from tests.pgcluster import Cluster, folder, running
from tests.tokens import token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def label_on(cluster: Cluster, record_id: int) -> str:
    return cluster.sql("SELECT label FROM records_record WHERE id = %s", record_id)[0][0]


def caught_up(primary: Cluster) -> None:
    """Returns once the replica has applied everything the primary committed before."""
    primary.sql("CREATE TABLE IF NOT EXISTS test_marker (n int)")
    with primary.sql_session() as session:
        session.execute("SET synchronous_commit = remote_apply")
        session.execute("INSERT INTO test_marker VALUES (1)")


def synchronous(primary: Cluster, standbys: str) -> None:
    """Commits wait for these standbys to receive them ("*": any; "": none, before the replica stops)."""
    primary.sql(f"ALTER SYSTEM SET synchronous_standby_names = '{standbys}'")
    primary.sql("SELECT pg_reload_conf()")


def name(answer: tuple[int, str, dict]) -> str:
    status, body, _ = answer
    assert status == 200, body
    return json.loads(body)["name"]


@pytest.fixture
def world():
    place = publish("place", name="Kurgan Oldname", kind="region")
    reviewer = UserFactory(username="vera", roles=["reviewer"])
    proposal = propose_update(place, UserFactory(username="rita", roles=["researcher"]), name="Kurgan Newname")
    return place, proposal, token_for(reviewer)


def test_reads_come_from_the_replica_and_writers_read_their_own_writes(world, tmp_path, static_root):
    place, proposal, token = world
    with folder() as primary_path, folder() as replica_path, running(Cluster(primary_path)) as primary:
        primary.create()
        primary.load_test_database(tmp_path / "copy.dump")
        with running(primary.standby(replica_path)) as replica:
            synchronous(primary, "*")
            env = serving.production_env(primary.url, STATIC_ROOT=static_root, DATABASE_REPLICA_URLS=replica.url)
            with serving.portal_served(env) as base:
                check_replication(base, primary, replica, place, proposal, token)


def check_replication(base, primary, replica, place, proposal, token) -> None:
    api = f"{base}/api/v1/places/{place.pk}/"
    reviewer = {"Authorization": f"Token {token}"}
    status, body, _ = fetch(f"{base}/ready/")
    assert status == 200 and json.loads(body)["replicas"] == {"replica1": "ok"}
    assert name(fetch(api)) == "Kurgan Oldname"

    # The replica stops applying what it receives: it lags, as a busy or distant one does.
    replica.sql("SELECT pg_wal_replay_pause()")
    status, body, _ = fetch(f"{base}/api/v1/changes/{proposal.pk}/approve/", method="POST", body={}, headers=reviewer)
    assert status == 200, body

    # The write reached the primary (only: the replica has not applied it).
    assert label_on(primary, place.pk) == "Kurgan Newname"
    assert label_on(replica, place.pk) == "Kurgan Oldname"
    # The reviewer who approved reads their own write; anonymous readers read the lagging replica.
    assert name(fetch(api, headers=reviewer)) == "Kurgan Newname"
    assert "Kurgan Newname" in fetch(f"{base}/places/{place.pk}/", headers=reviewer)[1]
    assert name(fetch(api)) == "Kurgan Oldname"
    assert "Kurgan Oldname" in fetch(f"{base}/places/{place.pk}/")[1]
    # A browser that wrote something (here: chose a language) carries a cookie that sends its reads
    # to the primary for a while.
    status, _, headers = fetch(f"{base}/i18n/setlang/", method="POST", body=b"language=en", headers=form())
    assert status == 302
    cookies = "; ".join(cookie.split(";")[0] for cookie in headers.get_all("Set-Cookie"))
    assert "bailanys_primary=" in cookies
    assert name(fetch(api, headers={"Cookie": cookies})) == "Kurgan Newname"

    # Replay resumes: once caught up, everyone reads the new name (a new publication version: a new page).
    replica.sql("SELECT pg_wal_replay_resume()")
    caught_up(primary)
    assert name(fetch(api)) == "Kurgan Newname"

    # The replica goes away: reads fall back to the primary, and readiness says so without failing.
    synchronous(primary, "")
    replica.stop()
    assert name(fetch(f"{api}?after=stop")) == "Kurgan Newname"
    assert "Kurgan Newname" in fetch(f"{base}/places/{place.pk}/?after=stop")[1]
    status, body, _ = fetch(f"{base}/ready/")
    assert status == 200 and json.loads(body)["replicas"] == {"replica1": "unavailable"}


def form() -> dict:
    return {"Content-Type": "application/x-www-form-urlencoded"}
