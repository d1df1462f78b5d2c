"""python manage.py refresh_readings [--stale]: render the read model's bodies again.

Approvals keep the read model (records/models/readings.py) up to date by themselves. Run this after
loading records by other means (a restore, the synthetic benchmark data), after upgrading to a release
that changes the API's representation, or — with `--stale` — now and then (cron) to render again the
bodies a rename shown by very many records marked stale. Until then those are rendered per request.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from records.models import Record, RecordStatus
from records.workflow.readings import BATCH, readings_refresh_stale, readings_store


class Command(BaseCommand):
    help = "Render the stored API bodies of published records again (all, or only the stale ones)."

    def add_arguments(self, parser):
        parser.add_argument("--stale", action="store_true", help="Only the bodies marked stale")

    def handle(self, *args, stale: bool, **options):
        started = time.monotonic()
        if stale:
            with transaction.atomic():
                count = readings_refresh_stale()
        else:
            count, after = 0, 0
            published = Record.objects.filter(status=RecordStatus.PUBLISHED).order_by("pk")
            while ids := list(published.filter(pk__gt=after).values_list("pk", flat=True)[:BATCH]):
                with transaction.atomic():  # batch by batch: a long run holds no long transaction
                    count += readings_store(ids)
                after = ids[-1]
        self.stdout.write(f"Rendered the bodies of {count:,} records in {time.monotonic() - started:.1f} s.")
