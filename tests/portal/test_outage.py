"""PostgreSQL restarted under a running portal: clean 503s during the outage, and service again afterwards
without restarting the portal.

The test starts a PostgreSQL server of its own (initdb in a temporary folder, on a free port: the shared
server is never touched), copies the test database into it, serves the portal from it with gunicorn as
production does (debug off), and stops and starts that server under it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from bench import serving
from portal import pgtools
from tests.factories import publish

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throw-away PostgreSQL server; as root, its programs run as the `postgres` account (initdb refuses root)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.data, self.log = folder / "data", folder / "server.log"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_postgres, *command], check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        self.run(pgtools.program("initdb"), "-D", str(self.data), "-U", "portal", "--auth=trust", "-E", "UTF8")
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.run(pgtools.program("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self) -> None:
        self.run(pgtools.program("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://portal@127.0.0.1:{self.port}/portal"


def get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def place():
    return publish("place", name="Kurgan Region", kind="region")


@pytest.fixture
def cluster(tmp_path, place):
    """A server of its own holding a copy of the test database (with `place` in it)."""
    folder = Path(tempfile.mkdtemp(prefix="bailanys-outage-"))
    cluster = Cluster(folder)
    try:
        cluster.create()
        dump = tmp_path / "copy.dump"
        call_command("backup", output=str(dump))
        subprocess.run(
            [pgtools.program("createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "portal", "portal"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [pgtools.program("pg_restore"), "--no-owner", "-h", "127.0.0.1", "-p", str(cluster.port)]
            + ["-U", "portal", "-d", "portal", str(dump)],
            check=True,
            capture_output=True,
        )
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


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
