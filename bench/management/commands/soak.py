"""`manage.py soak` (part of `make bench`): researchers and reviewers at once over HTTP, then an audit.

It builds a database of its own (`<database>_soak`: migrated, the article loaded), serves it with
gunicorn as production does, runs bench/soak.py for `--seconds`, audits the result and prints the
figures. It fails (exit 1) if the audit finds anything wrong.
"""

from __future__ import annotations

import io
import json
import secrets
import time
import urllib.error
import urllib.request

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import databases, serving, soak
from portal import pgtools


class Command(BaseCommand):
    help = "Concurrent simulated researchers and reviewers over HTTP for a few minutes; then an audit."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=180)
        parser.add_argument("--researchers", type=int, default=4)
        parser.add_argument("--reviewers", type=int, default=2)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--database", default="", help="Soak database (default: <current name>_soak)")

    def handle(self, *args, seconds, researchers, reviewers, workers, database, **options):
        say = self.stdout.write
        name = database or f"{connection.settings_dict['NAME']}_soak"
        databases.database_ensure(name, reset=True, say=say)
        env = serving.production_env(
            pgtools.database_url(name),
            STATIC_ROOT=str(serving.bench_static_root()),
            API_THROTTLE_USER="1000000/hour",
            API_THROTTLE_AUTH="1000/minute",
        )
        # A portal with debug off starts only with its static files collected (portal/startup.py).
        serving.static_collected(env)
        databases.database_use(name)
        call_command("migrate", verbosity=0)
        call_command("load_seed", stdout=self.stdout)
        accounts = self.accounts(researchers, reviewers)
        with serving.portal_served(env, workers=workers) as base:
            tokens = {group: [self.token(base, *account) for account in pairs] for group, pairs in accounts.items()}
            before = soak.deadlocks()
            say(f"Soaking {base} for {seconds:.0f} s: {researchers} researchers, {reviewers} reviewers")
            started = time.monotonic()
            tally = soak.soak_run(base, tokens, seconds)
            elapsed = time.monotonic() - started
        problems = soak.soak_audit(tally, before)
        requests = sum(tally.statuses.values())
        say(
            f"{requests:,} requests in {elapsed:.0f} s ({requests / elapsed:.1f}/s); "
            f"{len(tally.proposed):,} proposals, {tally.approved:,} approved, {tally.conflicts:,} conflicts (409)"
        )
        for label, count in sorted(tally.statuses.items()):
            say(f"  {label:<28} {count:>7,}")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The soak's audit found {len(problems)} problem(s).")
        say(
            self.style.SUCCESS(
                "Audit: one revision per approved change, gapless revisions, nothing lost, no 5xx, no deadlock."
            )
        )

    def accounts(self, researchers: int, reviewers: int) -> dict[str, list[tuple[str, str]]]:
        accounts: dict[str, list[tuple[str, str]]] = {"researchers": [], "reviewers": []}
        for group, role, count in (("researchers", "researcher", researchers), ("reviewers", "reviewer", reviewers)):
            for n in range(count):
                username, password = f"soak-{role}-{n}", secrets.token_urlsafe(18)
                call_command(
                    "create_user",
                    username,
                    role=[role],
                    password=password,
                    email=f"{username}@example.org",
                    stdout=io.StringIO(),
                )
                accounts[group].append((username, password))
        return accounts

    def token(self, base: str, username: str, password: str) -> str:
        body = f'{{"username": "{username}", "password": "{password}"}}'.encode()
        request = urllib.request.Request(base + "/api/v1/auth/token/", data=body, method="POST")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())["token"]
        except urllib.error.HTTPError as error:
            raise CommandError(f"No token for {username}: {error.code} {error.read()[:300]!r}") from error
