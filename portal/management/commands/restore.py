"""`manage.py restore FILE --yes`: replace the database's content with a backup made by `manage.py backup`.

It runs in ONE transaction: a damaged or foreign file changes nothing. Stop the application servers
first (or expect their requests to wait for the restore's locks); afterwards run `manage.py migrate`
if the backup is older than the code.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal import pgtools


class Command(BaseCommand):
    help = "Replace the database's content with a backup file (pg_restore, in one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by `manage.py backup`")
        parser.add_argument("--database", help="Restore into this database on the same server instead")
        parser.add_argument("--yes", action="store_true", help="Really replace what the database holds")

    def handle(self, *args, file: str, database: str | None, yes: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        if not yes:
            raise CommandError("This replaces everything in the database; run again with --yes to go ahead.")
        connections.close_all()
        command = [
            pgtools.program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            database or connections["default"].settings_dict["NAME"],
            str(path),
        ]
        env = pgtools.client_env(database)
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CommandError(f"pg_restore failed; nothing was changed: {done.stderr.strip()[-2000:]}")
        self.stdout.write(self.style.SUCCESS(f"Restored {path} into {env['PGDATABASE']}."))
