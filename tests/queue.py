"""The background queue in tests: its tables emptied (they are not Django-managed, so a transactional
test's flush leaves their rows) and a real worker process run until the queue is empty."""

from __future__ import annotations

import subprocess
import sys

from django.db import connection

from bench import serving
from portal import pgtools


def queue_emptied() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")


def worker_run(timeout: int = 600) -> None:
    """`manage.py procrastinate worker --one-shot` against the test database; fails the test when the
    worker does."""
    done = subprocess.run(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot"],
        env=serving.production_env(pgtools.database_url()),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
