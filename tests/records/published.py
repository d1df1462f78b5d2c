"""What a set-based approval left, checked against what publishing the records one at a time computes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from records.content.representation import bodies_render
from records.models import Reading, Revision
from records.workflow.indexing import records_reindex
from records.workflow.publishing import load_record, state_of


def _derived(pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_names, search_vector::text, place_ids, facet_keys FROM records_record WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def _facet_counts() -> tuple[dict, dict]:
    """The facet counts the triggers keep, and the same counted afresh from the published records."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT record_type, key, count FROM records_facetcount WHERE count <> 0")
        kept = {(kind, key): count for kind, key, count in cursor.fetchall()}
        cursor.execute(
            "SELECT record_type, key, count(*) FROM records_record, unnest(facet_keys) AS key"
            " WHERE status = 'published' GROUP BY 1, 2"
        )
        return kept, {(kind, key): count for kind, key, count in cursor.fetchall()}


def assert_published_as_one_at_a_time(ids: Iterable[int]) -> None:
    """Each record's current revision is its state read back alone, its search and facet fields are
    those computed for it alone, its stored bodies those rendered for it alone; the facet counts agree."""
    for pk in ids:
        record = load_record(pk)
        assert Revision.objects.get(record_id=pk, number=record.revision).snapshot == state_of(record), pk
        before = _derived(pk)
        records_reindex([record])
        assert _derived(pk) == before, pk
        stored = {(r.language, r.revision, r.body, tuple(r.links)) for r in Reading.objects.filter(record_id=pk)}
        bodies = bodies_render([pk]).get(pk)
        alone = (
            set()
            if bodies is None
            else {
                (language, bodies.revision, body, tuple(bodies.links)) for language, body in bodies.by_language.items()
            }
        )
        assert stored == alone, pk
    kept, counted = _facet_counts()
    assert kept == counted
