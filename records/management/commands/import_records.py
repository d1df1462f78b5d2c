"""python manage.py import_records FILE --type T --user NAME [--dry-run] [--format F]: a file of records
as one proposal of NAME, submitted for review (or only checked, with --dry-run).

The same steps as the import page and `POST /api/v1/imports/` (records/imports/running.py), run here in
this process whatever the file's size. Errors are listed by row and column; exit status 1 if any.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from records.imports import running
from records.imports.files import FileRefused
from records.models import ImportStatus


class Command(BaseCommand):
    help = "Import a CSV, XLSX, BibTeX, CSL-JSON or GeoJSON file as one proposal for review."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--type", default="", help="Record type of a table (place, agreement, ...)")
        parser.add_argument("--user", required=True, help="The researcher the proposal is by")
        parser.add_argument("--format", default="", help="csv, xlsx, bibtex, csljson or geojson (else by extension)")
        parser.add_argument("--dry-run", action="store_true", help="Check only: propose nothing")
        parser.add_argument("--summary", default="", help="The proposal's summary")

    def handle(self, *args, file: Path, type: str, user: str, format: str, dry_run: bool, summary: str, **options):
        author = get_user_model().objects.filter(username=user).first()
        if author is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror or exc}") from exc
        try:
            job = running.import_create(
                author=author,
                filename=file.name,
                content=content,
                record_type=type,
                file_format=format,
                dry_run=dry_run,
                summary=summary,
                background=False,
            )
        except (FileRefused, PermissionDenied) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for error in job.errors:
            where = f"row {error['row']}" if error["row"] else "file"
            column = f", {error['column']}" if error["column"] else ""
            self.stderr.write(f"{where}{column}: {error['message']}")
        for duplicate in job.duplicates:
            self.stdout.write(
                f"row {duplicate['row']}: may duplicate #{duplicate['record']} {duplicate['existing_name']} "
                f"({duplicate['reason']})"
            )
        counts = ", ".join(f"{n} {kind}" for kind, n in job.counts.items())
        if job.errors:
            raise CommandError(f"Import #{job.pk}: {len(job.errors)} errors ({counts}); nothing was proposed.")
        if job.status == ImportStatus.PROPOSED:
            self.stdout.write(self.style.SUCCESS(f"Import #{job.pk}: proposal #{job.proposal_id} ({counts})."))
        else:
            self.stdout.write(f"Import #{job.pk} checked ({counts}); nothing was proposed.")
