"""Keeping the read model (records/models/readings.py) equal to what is published.

Called in the approval's transaction: the records a proposal publishes get their bodies anew, a
withdrawn record loses them, and a record whose name changed has it changed in the bodies of the
records that show it — at once when they are few, else they are marked stale (stale bodies are
never served: readers get the body rendered on the fly until `manage.py refresh_readings --stale`
renders them again).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from records.content.representation import bodies_render
from records.models import Reading

# A rename shown in more bodies than this marks them stale instead of rendering them in the approval.
RENAME_INLINE = 500
BATCH = 2000
COPY = "COPY records_reading (record_id, language, revision, body, links, stale) FROM STDIN"


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
            dependents.update(stale=True)
        else:
            showing |= found
    readings_store(ids | showing)


def readings_refresh_stale() -> int:
    """Render the stale bodies again (after a rename shown by very many records)."""
    total = 0
    while True:
        ids = list(Reading.objects.filter(stale=True).values_list("record_id", flat=True).distinct()[:BATCH])
        if not ids:
            return total
        total += readings_store(ids)
