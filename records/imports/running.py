"""An import's steps: create (store the file), check (the dry run), propose (one change set), cancel.

A small file is checked (and proposed) at once, inside the request; a larger one by a background worker
(records/tasks.py, job IMPORT_JOB), which reports its progress in `rows_checked` and stops when the
import is cancelled. Proposing writes the one proposal in a single transaction, under a lock on the
import, so a cancelled import leaves nothing behind. Pages, API and command call these functions.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext
from procrastinate.contrib.django import app as queue

from records.imports.checking import Checked, rows_check
from records.imports.files import FileRefused, format_of, read_rows, record_type_for
from records.models import Import, ImportStatus, ProposalStatus
from records.workflow import review

IMPORT_JOB = "records.run_import"
CANCELLABLE = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.CHECKED, ImportStatus.PROPOSING)


class ImportRefused(review.WrongStatus):
    """This step is not possible for this import now (e.g. it has errors, or is already proposed)."""


class QuotaExceeded(Exception):
    """The author has too many imports in flight, or imported too much in the last day (HTTP 429)."""


IN_FLIGHT = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.PROPOSING)


def quotas() -> dict[str, int]:
    """Per author: imports being checked or proposed at once, and rows and bytes uploaded in 24 hours
    (settings IMPORT_MAX_IN_FLIGHT, IMPORT_MAX_ROWS_PER_DAY, IMPORT_MAX_BYTES_PER_DAY; 0: no limit)."""
    return {
        "in_flight": getattr(settings, "IMPORT_MAX_IN_FLIGHT", 3),
        "rows": getattr(settings, "IMPORT_MAX_ROWS_PER_DAY", 200_000),
        "bytes": getattr(settings, "IMPORT_MAX_BYTES_PER_DAY", 200_000_000),
    }


def _used_today(author_id: int, exclude: int | None = None) -> dict[str, int]:
    """Rows and bytes of the author's imports of the last 24 hours (a cleaned-up file still counts its
    rows; its bytes are gone with it)."""
    since = timezone.now() - timedelta(days=1)
    used = (
        Import.objects.filter(author_id=author_id, created_at__gte=since)
        .exclude(pk=exclude)
        .aggregate(rows=Sum("rows"), bytes=Sum(Length("content")))
    )
    return {key: value or 0 for key, value in used.items()}


def quota_check(author: AbstractBaseUser, size: int) -> None:
    """Refuse a new upload over the author's quotas (QuotaExceeded, with what to do)."""
    limits = quotas()
    in_flight = Import.objects.filter(author=author, status__in=IN_FLIGHT).count()
    if limits["in_flight"] and in_flight >= limits["in_flight"]:
        raise QuotaExceeded(
            gettext("You have %(count)s imports being checked or proposed; wait until one is done.")
            % {"count": in_flight}
        )
    used = _used_today(author.pk)
    if limits["bytes"] and used["bytes"] + size > limits["bytes"]:
        raise QuotaExceeded(
            gettext("You can upload %(max)s bytes a day; try again tomorrow or ask an administrator.")
            % {"max": limits["bytes"]}
        )
    if limits["rows"] and used["rows"] >= limits["rows"]:
        raise QuotaExceeded(_rows_refusal(limits["rows"]))


def _rows_refusal(limit: int) -> str:
    return gettext("You can import %(max)s rows a day; try again tomorrow or ask an administrator.") % {"max": limit}


def inline_max_bytes() -> int:
    """Files up to this size are checked inside the request; larger ones by a worker."""
    return getattr(settings, "IMPORT_INLINE_MAX_BYTES", 100_000)


def max_items() -> int:
    """The most changes one import's proposal may hold (API change sets hold review.MAX_ITEMS)."""
    return getattr(settings, "IMPORT_MAX_ITEMS", 50_000)


def import_create(
    *,
    author: AbstractBaseUser,
    filename: str,
    content: bytes,
    record_type: str = "",
    file_format: str = "",
    dry_run: bool = True,
    summary: str = "",
    background: bool | None = None,
) -> Import:
    """Store an uploaded file and check it (at once if small, else queued for a worker; `background`
    forces one or the other). Unless `dry_run`, a clean file is then proposed. Raises PermissionDenied,
    FileRefused for a file that cannot be imported at all, or QuotaExceeded."""
    if not review.can_propose(author):
        raise PermissionDenied(
            gettext("Your account cannot propose changes yet; an administrator grants the researcher role.")
        )
    file_format = format_of(filename, file_format)
    record_type = record_type_for(file_format, record_type)
    quota_check(author, len(content))
    if background is None:
        background = len(content) > inline_max_bytes()
    with transaction.atomic():
        job = Import.objects.create(
            author=author,
            filename=filename[:255],
            file_format=file_format,
            record_type=record_type,
            content=content,
            dry_run=dry_run,
            summary=summary.strip()[:500],
        )
        if background:
            _defer(job)
    if not background:
        import_work(job.pk)
        job.refresh_from_db()
        if job.status == ImportStatus.FAILED and job.errors and job.errors[0].get("code") == "quota":
            raise QuotaExceeded(job.errors[0]["message"])
    return job


def _defer(job: Import) -> None:
    """Queue the worker's job in the current transaction: it exists if and only if the transaction commits."""
    queue.configure_task(name=IMPORT_JOB, queue="imports").defer(import_id=job.pk)


def import_work(import_id: int) -> None:
    """What the worker does (and a request, for a small file): check a queued import, propose one
    being proposed."""
    status = Import.objects.filter(pk=import_id).values_list("status", flat=True).first()
    if status == ImportStatus.QUEUED:
        _check(import_id)
    elif status == ImportStatus.PROPOSING:
        _propose(import_id)


def _cancelled(import_id: int) -> bool:
    return Import.objects.filter(pk=import_id, status=ImportStatus.CANCELLED).exists()


def _check(import_id: int) -> None:
    if not Import.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(status=ImportStatus.CHECKING):
        return
    job = Import.objects.get(pk=import_id)
    try:
        rows = read_rows(bytes(job.content), job.file_format, job.record_type)
    except FileRefused as exc:
        _finish(
            job, ImportStatus.CHECKING, ImportStatus.FAILED, errors=[{"row": None, "column": "", "message": str(exc)}]
        )
        return
    limit = quotas()["rows"]
    if limit and _used_today(job.author_id, exclude=job.pk)["rows"] + len(rows) > limit:
        _finish(
            job,
            ImportStatus.CHECKING,
            ImportStatus.FAILED,
            errors=[{"row": None, "column": "", "message": _rows_refusal(limit), "code": "quota"}],
        )
        return
    types = {row.record_type for row in rows if row.record_type}
    if not job.record_type and len(types) == 1:  # a workbook's one sheet named its type
        job.record_type = types.pop()
    Import.objects.filter(pk=import_id).update(rows=len(rows), record_type=job.record_type)
    checked = rows_check(
        rows,
        job.record_type,
        links=_links(job),
        progress=lambda done: Import.objects.filter(pk=import_id).update(rows_checked=done),
        cancelled=lambda: _cancelled(import_id),
    )
    if checked.cancelled:
        return
    finished = _finish(job, ImportStatus.CHECKING, ImportStatus.CHECKED, **_results(checked), rows_checked=len(rows))
    if finished and not job.dry_run and not checked.errors and checked.items:
        Import.objects.filter(pk=import_id, status=ImportStatus.CHECKED).update(status=ImportStatus.PROPOSING)
        _propose(import_id)


def _results(checked: Checked) -> dict:
    return {
        "errors": checked.errors,
        "duplicates": checked.duplicates,
        "preview": checked.preview,
        "counts": checked.counts,
    }


def _links(job: Import) -> dict[int, int]:
    return {int(row): int(pk) for row, pk in (job.links or {}).items()}


def _finish(job: Import, expected: str, status: str, **fields) -> bool:
    """Record the outcome unless the import left `expected` meanwhile (it was cancelled)."""
    return bool(Import.objects.filter(pk=job.pk, status=expected).update(status=status, **fields))


def import_propose(
    *, import_id: int, author: AbstractBaseUser, links: dict[int, int] | None = None, background: bool | None = None
) -> Import:
    """Turn a clean dry run into one proposal (at once for a small file, else by a worker). `links`: new
    records the author recognised as duplicates, by row (a duplicate's `key` in a workbook of several
    sheets), and the published record to use instead."""
    with transaction.atomic():
        job = _lock(import_id, author)
        if job.status != ImportStatus.CHECKED:
            raise ImportRefused(
                gettext("This import is %(status)s; only a checked import can be proposed.")
                % {"status": job.get_status_display()}
            )
        if links is not None:
            duplicates = {(entry.get("key", entry["row"]), entry["record"]) for entry in job.duplicates}
            wrong = [row for row, pk in links.items() if (row, pk) not in duplicates]
            if wrong:
                raise ImportRefused(
                    gettext("Row %(row)s has no duplicate with that id to link to.") % {"row": wrong[0]}
                )
            job.links = {str(row): pk for row, pk in links.items()}
        if job.errors:
            raise ImportRefused(gettext("The file has errors; correct them and upload it again."))
        if not job.counts.get("create") and not job.counts.get("update"):
            raise ImportRefused(gettext("Nothing to propose: every row is as published."))
        job.status = ImportStatus.PROPOSING
        job.save(update_fields=["status", "links", "updated_at"])
        if background is None:
            background = len(job.content) > inline_max_bytes()
        if background:
            _defer(job)
    if not background:
        _propose(import_id)
    job.refresh_from_db()
    return job


def _propose(import_id: int) -> None:
    job = Import.objects.get(pk=import_id)
    rows = read_rows(bytes(job.content), job.file_format, job.record_type)
    checked = rows_check(
        rows, job.record_type, links=_links(job), duplicates=False, cancelled=lambda: _cancelled(import_id)
    )
    if checked.cancelled:
        return
    if checked.errors or not checked.items:  # the published records moved on since the dry run
        _finish(job, ImportStatus.PROPOSING, ImportStatus.CHECKED, errors=checked.errors, counts=checked.counts)
        return
    with transaction.atomic():
        job = Import.objects.select_for_update().get(pk=import_id)
        if job.status != ImportStatus.PROPOSING:
            return  # cancelled meanwhile: nothing is written
        try:
            proposal = review.proposal_create(
                author=job.author,
                items=checked.items,
                summary=job.summary or gettext("Import of %(file)s") % {"file": job.filename},
                max_items=max_items(),
            )
        except (review.ProposalInvalid, review.Conflict) as exc:
            job.status = ImportStatus.CHECKED
            job.errors = [
                {
                    "row": None,
                    "column": "",
                    "message": gettext("The proposal was refused: %(why)s")
                    % {"why": str(getattr(exc, "errors", exc))[:500]},
                }
            ]
            job.save(update_fields=["status", "errors", "updated_at"])
            return
        job.status, job.proposal = ImportStatus.PROPOSED, proposal
        job.save(update_fields=["status", "proposal", "updated_at"])


def import_cancel(*, import_id: int, author: AbstractBaseUser) -> Import:
    """Stop an import before it is proposed; a worker busy with it stops at its next chunk."""
    with transaction.atomic():
        job = _lock(import_id, author)
        if job.status not in CANCELLABLE:
            raise ImportRefused(
                gettext("This import is %(status)s; it cannot be cancelled.") % {"status": job.get_status_display()}
            )
        job.status = ImportStatus.CANCELLED
        job.save(update_fields=["status", "updated_at"])
    return job


def _lock(import_id: int, author: AbstractBaseUser) -> Import:
    job = Import.objects.select_for_update().filter(pk=import_id).first()
    if job is None or job.author_id != author.pk:
        raise review.NotFound(gettext("No such import."))
    return job


def file_retention() -> timedelta:
    """How long an import's file is kept once nothing more can come of it (IMPORT_FILE_RETENTION_DAYS)."""
    return timedelta(days=getattr(settings, "IMPORT_FILE_RETENTION_DAYS", 7))


def import_files_remove(now=None) -> int:
    """Remove the stored files of imports nothing more can come of, once the retention has passed since:
    cancelled or failed ones, and proposed ones whose proposal was decided (approved, rejected, or withdrawn
    by its author) or deleted. The import's record, its errors and counts stay. Returns how many files."""
    cutoff = (now or timezone.now()) - file_retention()
    done = (ProposalStatus.APPROVED, ProposalStatus.REJECTED, ProposalStatus.WITHDRAWN)
    finished = (
        Q(status__in=(ImportStatus.CANCELLED, ImportStatus.FAILED), updated_at__lt=cutoff)
        | Q(status=ImportStatus.PROPOSED, proposal__status__in=done, proposal__updated_at__lt=cutoff)
        | Q(status=ImportStatus.PROPOSED, proposal__isnull=True, updated_at__lt=cutoff)
    )
    stored = Import.objects.filter(finished).annotate(size=Length("content")).filter(size__gt=0)
    return Import.objects.filter(pk__in=stored.values("pk")).update(content=b"")
