"""`manage.py backup [--output FILE]`: the whole database, in PostgreSQL's custom format.

Everything is in it: records, revisions, proposals, comments, notifications, accounts and the audit log.
`manage.py restore FILE --yes` brings it back. The dump is taken in one snapshot (pg_dump's own
transaction), so a portal that keeps serving and approving meanwhile gives a consistent file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal import pgtools


class Command(BaseCommand):
    help = "Write the whole database to a file (pg_dump, custom format); restore it with `manage.py restore`."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="The file to write (default: backups/bailanys-<time>.dump)")

    def handle(self, *args, output: str | None, **options):
        path = Path(output or f"backups/bailanys-{timezone.now():%Y%m%d-%H%M%S}.dump")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        command = [pgtools.program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", str(partial)]
        done = subprocess.run(command, env=pgtools.client_env(), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
        partial.replace(path)  # a file named like a backup is always a whole one
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({path.stat().st_size:,} bytes)."))
