"""Throw-away PostgreSQL servers for tests that stop, restart, limit or replicate one: initdb in a
temporary folder, on a free port, holding a copy of the test database. The shared server is never
touched. As root, their programs run as the `postgres` account (PostgreSQL refuses root)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
from django.core.management import call_command

from portal import pgtools


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A PostgreSQL server of its own; `settings` are passed to it as `-c name=value` at every start."""

    def __init__(self, folder: Path, **settings: str) -> None:
        self.folder, self.port, self.settings = folder, free_port(), settings
        self.data, self.log = folder / "data", folder / "server.log"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_postgres, *command], check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        self.run(pgtools.program("initdb"), "-D", str(self.data), "-U", "portal", "--auth=trust", "-E", "UTF8")
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self.run(pgtools.program("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self) -> None:
        self.run(pgtools.program("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def standby(self, folder: Path, **settings: str) -> Cluster:
        """A streaming replica of this server (pg_basebackup -R), started as a hot standby."""
        replica = Cluster(folder, **settings)
        self.run(
            pgtools.program("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "portal",
            "-D", str(replica.data), "-R", "-X", "stream", "--checkpoint=fast",
        )  # fmt: skip
        replica.start()
        return replica

    def load_test_database(self, dump: Path) -> None:
        """The test database, as it is now, copied into database `portal` of this server."""
        call_command("backup", output=str(dump))
        client = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "portal"]
        subprocess.run([pgtools.program("createdb"), *client, "portal"], check=True, capture_output=True)
        restore = [pgtools.program("pg_restore"), "--no-owner", *client, "-d", "portal", str(dump)]
        subprocess.run(restore, check=True, capture_output=True)

    def sql(self, query: str, *params) -> list[tuple]:
        with psycopg.connect(self.url, autocommit=True) as connection:
            cursor = connection.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []

    def sql_session(self) -> psycopg.Connection:
        """A connection for several statements (`with cluster.sql_session() as session: ...`)."""
        return psycopg.connect(self.url, autocommit=True)

    @property
    def url(self) -> str:
        return f"postgres://portal@127.0.0.1:{self.port}/portal"


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    """A temporary folder for a server (not pytest's tmp_path: the `postgres` account must enter it)."""
    path = Path(tempfile.mkdtemp(prefix="bailanys-pg-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def running(cluster: Cluster) -> Iterator[Cluster]:
    """`cluster`, stopped on the way out (if it still runs)."""
    try:
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            cluster.stop()
