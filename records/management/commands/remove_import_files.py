"""python manage.py remove_import_files: remove the stored files of imports nothing more can come of.

A worker does the same every night (records/tasks.py); see IMPORT_FILE_RETENTION_DAYS in the README.
"""

from django.core.management.base import BaseCommand

from records.imports.running import file_retention, import_files_remove


class Command(BaseCommand):
    help = "Remove the stored files of finished imports older than the retention (their records stay)."

    def handle(self, *args, **options):
        count = import_files_remove()
        self.stdout.write(f"Removed the files of {count} imports (kept for {file_retention().days} days).")
