"""`manage.py soak` (part of `make bench`): researchers, reviewers and readers at once over HTTP, then an audit.

It builds a database of its own (`<database>_soak`: migrated, the article loaded) — or, with `--reuse`,
works on `--database` as it is (the million records of the benchmark) — serves it with gunicorn as
production does, runs bench/soak.py for `--seconds` while sampling the workers' memory, audits the result
and prints the figures (with `--output`, as JSON too). It fails (exit 1) if the audit finds anything wrong.
"""

from __future__ import annotations

import io
import json
import secrets
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import databases, machine, serving, soak
from portal import pgtools


class Command(BaseCommand):
    help = "Concurrent simulated researchers and reviewers over HTTP for a few minutes; then an audit."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=180)
        parser.add_argument("--researchers", type=int, default=4)
        parser.add_argument("--reviewers", type=int, default=2)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--readers", type=int, default=4, help="anonymous readers (fresh URLs each time)")
        parser.add_argument("--sample-every", type=float, default=30, help="seconds between memory samples")
        parser.add_argument("--database", default="", help="Soak database (default: <current name>_soak)")
        parser.add_argument("--reuse", action="store_true", help="Soak --database as it is: no reset, no article")
        parser.add_argument("--output", default="", help="Write the figures as JSON here (bench/results/…)")

    def handle(
        self, *args, seconds, researchers, reviewers, readers, sample_every, workers, database, reuse, output, **options
    ):
        say = self.stdout.write
        if reuse and not database:
            raise CommandError("--reuse needs --database: the soak writes proposals and revisions there.")
        name = database or f"{connection.settings_dict['NAME']}_soak"
        databases.database_ensure(name, reset=not reuse, say=say)
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
        if not reuse:
            call_command("load_seed", stdout=self.stdout)
        accounts = self.accounts(researchers, reviewers)
        with serving.gunicorn_served(env, "portal.wsgi", workers=workers) as served:
            base = served.base
            tokens = {group: [self.token(base, *account) for account in pairs] for group, pairs in accounts.items()}
            before = soak.deadlocks()
            say(
                f"Soaking {base} for {seconds:.0f} s: {researchers} researchers, {reviewers} reviewers, "
                f"{readers} readers"
            )
            started = time.monotonic()
            tally = soak.soak_run(
                base, tokens, seconds, readers=readers, worker_pids=served.worker_pids, sample_every=sample_every
            )
            elapsed = time.monotonic() - started
        problems = soak.soak_audit(tally, before)
        memory = soak.memory_growth(tally.memory)
        requests = sum(tally.statuses.values())
        say(
            f"{requests:,} requests in {elapsed:.0f} s ({requests / elapsed:.1f}/s); "
            f"{len(tally.proposed):,} proposals, {tally.approved:,} approved, {tally.conflicts:,} conflicts (409)"
        )
        for label, count in sorted(tally.statuses.items()):
            say(f"  {label:<28} {count:>7,}")
        if memory:
            say(
                f"Workers' largest RSS: {memory['rss_after_warmup_mib']} MiB after the warm-up, "
                f"{memory['rss_half_mib']} MiB half-way, {memory['rss_end_mib']} MiB at the end, peak "
                f"{memory['rss_peak_mib']} MiB; {memory['growth_second_half_mib']} MiB more over the second half; "
                f"{memory['growth_mib_per_hour']} MiB per hour after the warm-up"
            )
        if output:
            figures = {
                "database": name,
                "seconds": round(elapsed),
                "researchers": researchers,
                "reviewers": reviewers,
                "readers": readers,
                "workers": workers,
                "requests": requests,
                "statuses": dict(sorted(tally.statuses.items())),
                "memory": memory,
                "problems": problems,
                "machine": machine.machine_facts(),
            }
            Path(output).write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n")
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
                # A fresh name each run: a reused database keeps the accounts of earlier soaks.
                username, password = f"soak-{role}-{n}-{secrets.token_hex(3)}", secrets.token_urlsafe(18)
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
