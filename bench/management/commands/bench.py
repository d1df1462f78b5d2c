"""`manage.py bench` (`make bench`): how fast readers and editors are served at a million records.

Runs against a separate database (`<database>_bench`, created with the role's CREATEDB right, migrated,
and filled once with `generate_synthetic`; later runs reuse it), never the one in use. By default it
measures throughput as a deployment sees it (bench/throughput.py: gunicorn, wrk, floors) and writes
bench/results/<size>.json; `--profile` runs the older single-request cases through Django's test client
instead (bench/benchmark.py: medians, SQL counts, the slowest query and its plan).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings

from bench import benchmark, databases, loadgen, machine, serving, synthetic, throughput
from bench import targets as bench_targets
from portal import pgtools
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


def chosen(name: str, only: str) -> bool:
    """Whether `--only` (texts separated by commas; empty: everything) picks the case or endpoint `name`."""
    return not only or any(part.strip().lower() in name.lower() for part in only.split(",") if part.strip())


class Command(BaseCommand):
    help = "Benchmark the API, pages and review workflow on a separate database of synthetic records."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=1_000_000, help="Synthetic records (default 1,000,000)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--database", default="", help="Benchmark database (default: <current name>_bench)")
        parser.add_argument("--reset", action="store_true", help="Drop and re-create the benchmark database first")
        parser.add_argument(
            "--profile",
            action="store_true",
            help="Time single requests through Django's test client (SQL counts, slowest query) instead of wrk",
        )
        parser.add_argument("--duration", type=float, default=10, help="Seconds of each wrk run (default 10)")
        parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
        parser.add_argument(
            "--cold-requests", type=int, default=50_000, help="Distinct requests a cold run walks (default 50,000)"
        )
        parser.add_argument(
            "--output", default="", help="Result file (default bench/results/<size>.json, e.g. 100k.json; '-': none)"
        )
        parser.add_argument("--repeat", type=int, default=15, help="--profile: timed runs per case (default 15)")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed runs per case first (default 2)")
        parser.add_argument(
            "--only",
            default="",
            help="Only the cases (endpoints) whose name contains this text, or one of these texts separated by commas",
        )
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
        if not options["profile"]:
            self.throughput(name, options)
            return

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
                if not chosen(case.name, options["only"]):
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

    # -------------------------------------------------------------- throughput (the default)

    def throughput(self, name: str, options: dict) -> None:
        say = self.stdout.write
        seconds, connections, cold_count = options["duration"], options["connections"], options["cold_requests"]
        started, load_start = machine.now_utc(), machine.load_average()
        static_root = self.static_root()
        unlimited = "1000000000/hour"  # wrk is not a client to throttle; the throttles still run
        env = serving.production_env(
            pgtools.database_url(name),
            STATIC_ROOT=str(static_root),
            API_THROTTLE_ANON=unlimited,
            API_THROTTLE_USER=unlimited,
            API_THROTTLE_EXPORT=unlimited,
        )
        say("Collecting static files (as production serves them)")
        serving.static_collected(env)
        targets = bench_targets.targets_pick(
            researcher_token=self.user("bench-researcher", "researcher"),
            reviewer_token=self.user("bench-reviewer", "reviewer"),
        )
        endpoints = [e for e in throughput.endpoints(targets, cold_count) if chosen(e.name, options["only"])]
        facts = machine.machine_facts()
        say(
            f"Benchmark database {name}: {facts['records']:,} records, {facts['database_mib']:,} MiB; "
            f"{facts['cores']} cores, load {load_start}; commit {facts['commit'][:10]}"
            f"{' (with changes)' if facts['dirty'] else ''}; wrk {connections} connections, {seconds:g} s a run"
        )
        rows = []
        with serving.gunicorn_served(env, "portal.wsgi", workers=options["workers"]) as portal:
            recorded, queries, failed = {}, {}, {}
            for endpoint in endpoints:
                try:
                    status, headers, body = bench_targets.endpoint_sample(portal.base, endpoint, targets)
                except Exception as exc:  # one endpoint that cannot run is reported, not fatal to the others
                    status, headers, body = 0, [], f"{type(exc).__name__}: {exc}".encode()
                if not 200 <= status < 300:
                    failed[endpoint.key] = f"error (HTTP {status}: {body[:200].decode(errors='replace')})"
                    continue
                recorded[endpoint.key] = throughput.floor_record(status, headers, body)
                queries[endpoint.key] = bench_targets.endpoint_queries(
                    endpoint, targets, cold_count, static_root=static_root
                )
            with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as floor_file:
                json.dump(recorded, floor_file)
                floor_file.flush()
                floor_env = dict(env, BENCH_FLOOR_FILE=floor_file.name)
                django_env = dict(floor_env, DJANGO_SETTINGS_MODULE="bench.floor_settings")
                with (
                    serving.gunicorn_served(floor_env, "bench.floor:application", workers=options["workers"]) as bare,
                    serving.gunicorn_served(django_env, "portal.wsgi", workers=options["workers"]) as minimal,
                ):
                    servers = throughput.Servers(portal, bare, minimal)
                    for endpoint in endpoints:  # both floors up, both workers warm, every answer there
                        if endpoint.key not in failed:
                            for served in (bare, minimal):
                                throughput.sample(served.base, endpoint, throughput.floor_requests(endpoint) * 4)
                    for endpoint in endpoints:
                        if endpoint.key in failed:
                            rows.append({"key": endpoint.key, "name": endpoint.name, "error": failed[endpoint.key]})
                            say(f"  {endpoint.name:<36} {failed[endpoint.key][:100]}")
                            continue
                        row = throughput.measure(
                            endpoint, servers, seconds=seconds, connections=connections, cold_count=cold_count, say=say
                        )
                        rows.append(row | queries[endpoint.key])
                    floor_memory = {
                        "wsgi": machine.memory_of(bare.worker_pids()),
                        "django": machine.memory_of(minimal.worker_pids()),
                    }
        results = throughput.results_document(
            records=options["records"],
            seed=options["seed"],
            started=started,
            load_start=load_start,
            run={
                "seconds": seconds,
                "connections": connections,
                "wrk_threads": loadgen.WRK_THREADS,
                "gunicorn_workers": options["workers"],
                "cold_requests": cold_count,
            },
            machine=facts,
            rows=rows,
            floor_memory=floor_memory if rows else {},
        )
        say("")
        say(throughput.table(results))
        output = options["output"] or str(throughput.result_path(options["records"]))
        if output != "-":
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
            say(f"Results written to {output}")

    @staticmethod
    def static_root() -> Path:
        return serving.bench_static_root()

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
        """The machine and database facts of the throughput results (bench/machine.py), with the moment."""
        return {**machine.machine_facts(), "load_average": os.getloadavg(), "when": time.strftime("%Y-%m-%d %H:%M %Z")}

    def environment(self, name: str) -> str:
        env = self.environment_data(name)
        by_type = ", ".join(f"{k} {v:,}" for k, v in env["records_by_type"].items())
        load = " ".join(f"{x:.1f}" for x in env["load_average"])
        return (
            f"Benchmark database {name}: {env['records']:,} records ({by_type}), {env['database_mib']:,} MiB\n"
            f"Machine: {env['cores']} cores ({env['cpu']}), {env['memory_gib']} GiB, load {load}; "
            f"{env['postgresql']}, shared_buffers {env['shared_buffers']}, work_mem {env['work_mem']}; "
            f"Python {env['python']}; {env['when']}\n"
        )
