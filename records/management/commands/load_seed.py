"""python manage.py load_seed [--file PATH]: the article's records as published revision 1 of each.

Runs through the proposal workflow (one proposal by the importer account, approved by the seed
reviewer account). Running it again loads only entries that are not loaded yet, so a second run
changes nothing. A bad entry fails the whole load and is named with its field errors.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.workflow.seeding import DEFAULT_PATH, SeedInvalid, seed_load


class Command(BaseCommand):
    help = "Load the article's records (records/seed/article.yaml) as published revisions; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_PATH, help="The seed file (YAML)")
        parser.add_argument("--check", action="store_true", help="Validate and load, then roll everything back")

    def handle(self, *args, file: Path, check: bool, **options):
        try:
            result = seed_load(path=file, check=check)
        except SeedInvalid as exc:
            count = len(exc.errors)
            raise CommandError(
                f"{file}: {count} entr{'y is' if count == 1 else 'ies are'} invalid; nothing was loaded.\n{exc}"
            ) from exc
        if result.proposal_id is None:
            self.stdout.write(f"Nothing to load: all {result.already_loaded} entries of {file.name} are loaded.")
            return
        if check:
            self.stdout.write(f"{file.name}: all {result.created} new entries are valid (nothing was written).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.created} records from {file.name} as proposal #{result.proposal_id} "
                f"(approved; {result.already_loaded} entries were already loaded)."
            )
        )
