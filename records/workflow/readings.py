"""Keeping the read model (records/models/readings.py) equal to what is published.

Called in the approval's transaction: the records a proposal publishes get their bodies anew, a
withdrawn record loses them, and a record whose name changed has it changed in the bodies of the
records that show it — at once when they are few, else they are marked stale and a background job
renders them again (records/tasks.py). Stale bodies are never served: until the job has run, readers
get the body rendered on the fly.

Marking stale and rendering stale bodies again take one advisory lock, so that a rename committed
while the job renders is never overwritten with the old name: the job either sees it or runs after it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from procrastinate import exceptions as queue_exceptions
from procrastinate.contrib.django import app as queue

from records.content.representation import bodies_render
from records.models import Reading

# A rename shown in more bodies than this marks them stale instead of rendering them in the approval.
RENAME_INLINE = 500
BATCH = 2000
COPY = "COPY records_reading (record_id, language, revision, body, links, stale) FROM STDIN"
# pg_advisory_xact_lock key shared by marking bodies stale and rendering them again ("readings").
STALE_LOCK = 0x7265616469
REFRESH_JOB = "records.refresh_stale_readings"


def readings_store(ids: Iterable[int]) -> int:
    """Render and store the bodies of these records (published ones; the others lose theirs). Returns
    how many records have bodies now."""
    ids = sorted(set(ids))
    stored = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rendered = bodies_render(chunk)
        Reading.objects.filter(record_id__in=chunk).delete()
        with connection.cursor() as wrapper, wrapper.cursor.copy(COPY) as copy:
            for pk, bodies in rendered.items():
                for language, body in bodies.by_language.items():
                    copy.write_row((pk, language, bodies.revision, body, bodies.links, False))
        stored += len(rendered)
    return stored


def readings_published(ids: Iterable[int], renamed: Iterable[int]) -> None:
    """After an approval: bodies for the records it published or withdrew, and for those showing a
    record it renamed."""
    ids = set(ids)
    showing: set[int] = set()
    for pk in renamed:
        dependents = Reading.objects.filter(links__contains=[pk]).exclude(record_id__in=ids)
        found = set(dependents.filter(language="").values_list("record_id", flat=True)[: RENAME_INLINE + 1])
        if len(found) > RENAME_INLINE:
            _stale_lock()
            dependents.update(stale=True)
            _refresh_defer()
        else:
            showing |= found
    readings_store(ids | showing)


def readings_refresh_stale_batch() -> int:
    """Render one batch of stale bodies again (in the caller's transaction); 0 when none is left."""
    _stale_lock()
    ids = list(Reading.objects.filter(stale=True).values_list("record_id", flat=True).distinct()[:BATCH])
    return readings_store(ids) if ids else 0


def readings_refresh_stale() -> int:
    """Render all the stale bodies again (after a rename shown by very many records)."""
    total = 0
    while done := readings_refresh_stale_batch():
        total += done
    return total


def _stale_lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STALE_LOCK])


def _refresh_defer() -> None:
    """Queue the job that renders stale bodies, in the current transaction (so it exists if and only
    if the approval commits). One waiting job is enough: a second rename finds it queued."""
    try:
        with transaction.atomic():  # a savepoint: the refused duplicate must not abort the approval
            queue.configure_task(name=REFRESH_JOB, queue="readings", queueing_lock="readings-stale").defer()
    except queue_exceptions.AlreadyEnqueued:
        pass
