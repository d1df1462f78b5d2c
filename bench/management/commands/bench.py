"""`manage.py bench` (`make bench`): how fast readers and editors are served at a million records.

Runs against a separate database (`<database>_bench`, created with the role's CREATEDB right, migrated,
and filled once with `generate_synthetic`; later runs reuse it), never the one in use. See
bench/benchmark.py for what is measured and how.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings

from bench import benchmark, databases, synthetic
from portal.models import ApiToken
from portal.roles import user_set_roles
from portal.tokens import digest_of, issue
from records.models import Place


def misspell(word: str) -> str:
    """The word with its last vowel changed, as "Korgan" is to "Kurgan": trigram matching should find it."""
    swaps = {"a": "o", "o": "a", "e": "i", "i": "e", "u": "o", "y": "i"}
    for index in range(len(word) - 1, 0, -1):
        if word[index] in swaps:
            return word[:index] + swaps[word[index]] + word[index + 1 :]
    return word + "a"


STATIC_FILES = "django.contrib.staticfiles.storage.StaticFilesStorage"


class Command(BaseCommand):
    help = "Benchmark the API, pages and review workflow on a separate database of synthetic records."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=1_000_000, help="Synthetic records (default 1,000,000)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--database", default="", help="Benchmark database (default: <current name>_bench)")
        parser.add_argument("--reset", action="store_true", help="Drop and re-create the benchmark database first")
        parser.add_argument("--repeat", type=int, default=15, help="Timed runs per case (default 15)")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed runs per case first (default 2)")
        parser.add_argument("--only", default="", help="Run only the cases whose name contains this text")
        parser.add_argument(
            "--explain",
            type=int,
            nargs="?",
            const=5,
            default=0,
            help="Print EXPLAIN (ANALYZE, BUFFERS) of the slowest query of the N slowest cases (default 5)",
        )
        parser.add_argument("--json", default="", help="Also write the results as JSON to this file ('-': stdout)")

    def handle(self, *args, **options):
        say = self.stdout.write
        name = options["database"] or f"{connection.settings_dict['NAME']}_bench"
        if name == connection.settings_dict["NAME"]:
            raise CommandError("The benchmark needs its own database, not the one in use.")
        self.database_ensure(name, reset=options["reset"])
        self.database_use(name)
        call_command("migrate", interactive=False, verbosity=0)
        self.data_ensure(options["records"], options["seed"])

        with override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            # Pages, not static files, are measured: no collectstatic manifest needed.
            STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_FILES}},
        ):
            client = Client(raise_request_exception=False)  # a 500 is a result to report
            targets = self.targets()
            targets.deep_cursor_url = benchmark.deep_cursor(client, "/api/v1/agreements/", 10_000)
            keys = benchmark.throttle_keys(
                list(
                    ApiToken.objects.filter(
                        digest__in=[digest_of(targets.researcher_token), digest_of(targets.reviewer_token)]
                    ).values_list("user_id", flat=True)
                )
            )
            say(self.environment(name))
            results = []
            for case in benchmark.cases(targets):
                if options["only"] and options["only"].lower() not in case.name.lower():
                    continue
                result = benchmark.measure(
                    case, client, warmup=options["warmup"], repeat=options["repeat"], throttle_keys=keys
                )
                results.append(result)
                if result.times_ms:
                    say(f"  {case.name:<46} median {result.median:8.1f} ms   p95 {result.p95:8.1f} ms")
                else:
                    say(f"  {case.name:<46} {result.status[:80]}")
            say("")
            say(benchmark.table(results))
            if options["explain"]:
                slowest = sorted((r for r in results if r.times_ms), key=lambda r: -r.median)[: options["explain"]]
                for result in slowest:
                    say(f"\n=== {result.name}: slowest query {result.slowest_query_ms:.1f} ms of {result.queries}")
                    say(result.slowest_sql)
                    say(benchmark.explain(result))
        if options["json"]:
            payload = json.dumps(
                {"environment": self.environment_data(name), "results": [r.as_dict() for r in results]}, indent=2
            )
            if options["json"] == "-":
                say(payload)
            else:
                Path(options["json"]).write_text(payload + "\n")
                say(f"Results written to {options['json']}")

    # -------------------------------------------------------------- the database

    def database_ensure(self, name: str, *, reset: bool) -> None:
        databases.database_ensure(name, reset=reset, say=self.stdout.write)

    def database_use(self, name: str) -> None:
        databases.database_use(name)

    def data_ensure(self, records: int, seed: int) -> None:
        proposal = synthetic.synthetic_proposal(seed)
        if proposal is not None:
            if proposal.summary != synthetic.synthetic_summary(records, seed):
                raise CommandError(
                    f"The benchmark database holds other synthetic data ({proposal.summary!r}); "
                    "run with --reset to rebuild it for these arguments."
                )
            return
        self.stdout.write(f"Filling the benchmark database with {records:,} synthetic records (once)")
        call_command("generate_synthetic", records=records, seed=seed, stdout=self.stdout)

    # -------------------------------------------------------------- what the cases use

    def user(self, username: str, role: str) -> str:
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"display_name": username.replace("-", " ").title()}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user_set_roles(user=user, roles=[role])
        return issue(user, "bench")[1]

    def targets(self) -> benchmark.Targets:
        kz = Place.objects.get(iso_code="KZ", kind="country", identifiers__has_key="synthetic")
        regions = list(
            Place.objects.filter(parent=kz, kind="region").order_by("iso_code").values("pk", "label", "labels")
        )
        region = next((r for r in regions if r["label"].startswith("Pavlodar")), regions[0])
        other = next(r for r in regions if r["pk"] != region["pk"])
        district = (
            Place.objects.filter(parent=region["pk"], kind="district").order_by("pk").first()
            or Place.objects.filter(parent=region["pk"]).order_by("pk").first()
        )
        city = Place.objects.filter(parent=region["pk"], kind="city").order_by("pk").first() or district
        misspelt = misspell(city.label.split()[0])
        with connection.cursor() as cursor:
            middle = {}
            for table in ("records_agreement", "records_event"):
                cursor.execute(f"SELECT count(*) FROM {table}")
                cursor.execute(
                    f"SELECT record_ptr_id FROM {table} ORDER BY record_ptr_id OFFSET %s LIMIT 1",
                    [cursor.fetchone()[0] // 2],
                )
                middle[table] = cursor.fetchone()[0]
        return benchmark.Targets(
            agreement=middle["records_agreement"],
            event=middle["records_event"],
            place_region=region["pk"],
            place_district=district.pk,
            other_region=other["pk"],
            region_name=region["label"].split()[0],
            region_name_ru=(region["labels"].get("ru") or region["label"]).split()[0],
            misspelt=misspelt,
            researcher_token=self.user("bench-researcher", "researcher"),
            reviewer_token=self.user("bench-reviewer", "reviewer"),
        )

    # -------------------------------------------------------------- the machine

    def environment_data(self, name: str) -> dict:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version(), current_setting('shared_buffers'), current_setting('work_mem')")
            version, shared_buffers, work_mem = cursor.fetchone()
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
            cursor.execute("SELECT record_type, count(*) FROM records_record GROUP BY 1 ORDER BY 2 DESC")
            counts = dict(cursor.fetchall())
        cpu = ""
        if Path("/proc/cpuinfo").exists():
            cpu = next(
                (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")),
                "",
            )  # fmt: skip
        memory = ""
        if Path("/proc/meminfo").exists():
            kb = int(Path("/proc/meminfo").read_text().split()[1])
            memory = f"{kb / 1024 / 1024:.0f} GiB"
        return {
            "database": name,
            "database_size": size,
            "records": sum(counts.values()),
            "records_by_type": counts,
            "cpus": os.cpu_count(),
            "cpu": cpu,
            "memory": memory,
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "postgresql": version.split(" on ")[0],
            "shared_buffers": shared_buffers,
            "work_mem": work_mem,
            "when": time.strftime("%Y-%m-%d %H:%M %Z"),
        }

    def environment(self, name: str) -> str:
        env = self.environment_data(name)
        by_type = ", ".join(f"{k} {v:,}" for k, v in env["records_by_type"].items())
        load = " ".join(f"{x:.1f}" for x in env["load_average"])
        return (
            f"Benchmark database {name}: {env['records']:,} records ({by_type}), {env['database_size']}\n"
            f"Machine: {env['cpus']} cores ({env['cpu']}), {env['memory']}, load {load}; "
            f"{env['postgresql']}, shared_buffers {env['shared_buffers']}, work_mem {env['work_mem']}; "
            f"Python {env['python']}; {env['when']}\n"
        )
