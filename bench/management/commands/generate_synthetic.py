"""`manage.py generate_synthetic --records N --seed S`: deterministic synthetic records, for benchmarks."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import synthetic


class Command(BaseCommand):
    help = (
        "Write N synthetic published records (all seven types, linked, cited, with revision 1 and search "
        "fields) in one transaction. The same N and seed give the same content; running it again skips. "
        "Refuses a database holding records that are not synthetic, unless --allow-real-data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, required=True, help="How many records (at least 100)")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument("--batch", type=int, default=5000, help="Records per COPY batch")
        parser.add_argument("--no-vacuum", action="store_true", help="Skip VACUUM after the load")
        parser.add_argument("--digest", action="store_true", help="Print the content hash (reads every record)")
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Write even into a database that holds published records that are not synthetic",
        )

    def handle(
        self,
        *args,
        records: int,
        seed: int,
        batch: int,
        no_vacuum: bool,
        digest: bool,
        allow_real_data: bool,
        **options,
    ):
        if seed < 0:
            raise CommandError("--seed must not be negative.")
        say = self.stdout.write
        say(f"Generating {records:,} synthetic records with seed {seed} into {connection.settings_dict['NAME']}")
        try:
            for name, count in synthetic.plan_counts(records).items():
                say(f"  {name:<13} {count:>11,}")
            result = synthetic.synthetic_generate(
                records=records, seed=seed, batch=batch, log=say, allow_real_data=allow_real_data
            )
        except (ValueError, synthetic.SyntheticExists, synthetic.RealDataPresent) as exc:
            raise CommandError(str(exc)) from exc
        if not result.created:
            say(self.style.WARNING(f"Already here (proposal {result.proposal_id}): nothing written."))
        else:
            say(
                self.style.SUCCESS(
                    f"Wrote {records:,} records in {result.seconds:.1f} s (proposal {result.proposal_id})."
                )
            )
            # What readers are served (the read model) is rendered like after any other bulk load.
            call_command("refresh_readings", stdout=self.stdout)
            if not no_vacuum and not connection.in_atomic_block:  # VACUUM needs its own transaction
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute("SET statement_timeout = 0")
                    cursor.execute(
                        f"VACUUM {', '.join(t for t in synthetic.TABLES if t != synthetic.STAGE)}, records_record"
                    )
                    cursor.execute("RESET statement_timeout")
                say(f"Vacuumed in {time.perf_counter() - started:.1f} s.")
        if digest:
            say(f"Content digest: {synthetic.synthetic_digest(seed)}")
