"""The portal served by gunicorn, as production runs it, on a socket of its own for benchmarks and tests.

The listening socket is opened here and handed to gunicorn (`--bind fd://N`): it accepts connections
from the first moment, and requests wait in its backlog until gunicorn is ready, so nobody polls for
the server to come up.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like process: debug off, this database, this host only."""
    return dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_COOKIES="0",
        BAILANYS_TESTING="0",
        **extra,
    )


@dataclass(frozen=True)
class Served:
    """A running gunicorn: its base URL and its master process (whose children are the workers)."""

    base: str
    pid: int

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


@contextmanager
def gunicorn_served(env: dict[str, str], app: str, *, workers: int = 1, threads: int = 1) -> Iterator[Served]:
    """gunicorn serving the WSGI `app` ("module:callable" or a module with `application`) with `env`
    (`threads` > 1: gthread workers, each serving that many requests at once)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1024)
        descriptor = listener.fileno()
        command = [sys.executable, "-m", "gunicorn", app, "--bind", f"fd://{descriptor}"]
        command += ["--workers", str(workers), "--threads", str(threads), "--timeout", "120"]
        server = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, pass_fds=(descriptor,), stderr=subprocess.DEVNULL
        )
        try:
            yield Served(f"http://127.0.0.1:{listener.getsockname()[1]}", server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)


def bench_static_root() -> Path:
    """Where the benchmark's served portals keep their collected static files."""
    return Path(settings.BASE_DIR) / ".state" / "bench-static"


def static_collected(env: dict[str, str]) -> None:
    """`collectstatic` into the STATIC_ROOT of `env`, as production does before serving (pages name the
    hashed files of the manifest)."""
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(command, cwd=settings.BASE_DIR, env=env, check=True, capture_output=True)


@contextmanager
def portal_served(env: dict[str, str], *, workers: int = 1, threads: int = 1) -> Iterator[str]:
    """gunicorn serving the portal with `env`; yields its base URL and stops it afterwards."""
    with gunicorn_served(env, "portal.wsgi", workers=workers, threads=threads) as served:
        yield served.base
