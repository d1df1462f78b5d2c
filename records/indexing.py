"""What search and the place filters read, derived from a record when it is published.

- `search_names`: every name, alias and transliteration, lower-cased and unaccented, for trigram
  matching ("Oskemen" ~ "Ust-Kamenogorsk" via its alias, "Korgan" ~ "Kurgan").
- `search_vector`: full-text document, names weighted highest, English and Russian stemming.
- `place_ids`: the places a record is about, with all their ancestors, so that filtering agreements
  by "Russia" finds those with Omsk Region as a party.
"""

from __future__ import annotations

from django.db import connection
from unidecode import unidecode

from records.models import Record
from records.registry import registry

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")


def transliterations(names: list[str]) -> list[str]:
    """Latin forms of non-Latin names, so that Latin queries find Cyrillic-only labels."""
    return [unidecode(name) for name in names if CYRILLIC & set(name.lower())]


def record_names(record: Record) -> list[str]:
    names = [record.label, *record.labels.values(), *record.aliases]
    acronym = getattr(record, "acronym", "")
    if acronym:
        names.append(acronym)
    seen: list[str] = []
    for name in names + transliterations(names):
        if name and name not in seen:
            seen.append(name)
    return seen


def ancestors_and_self(place_ids: list[int]) -> list[int]:
    if not place_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE up(id, depth) AS (
                SELECT unnest(%s::bigint[]), 0
                UNION
                SELECT p.parent_id, up.depth + 1 FROM records_place p JOIN up ON p.record_ptr_id = up.id
                WHERE p.parent_id IS NOT NULL AND up.depth < 20
            )
            SELECT DISTINCT id FROM up ORDER BY id
            """,
            [list(place_ids)],
        )
        return [row[0] for row in cursor.fetchall()]


def record_reindex(record: Record) -> None:
    """Recompute a record's search fields and place list (call with its state loaded)."""
    spec = registry.get(record.record_type)
    names = record_names(record)
    russian = " ".join(v for k, v in record.labels.items() if k in ("ru", "kk"))
    english = " ".join(
        filter(
            None,
            [
                record.label,
                record.labels.get("en", ""),
                record.notes,
                record.date_text,
                record.certainty_note,
                spec.search_text(record),
            ],
        )
    )
    quotes = " ".join(c.quote for c in record.citations.all() if c.quote)
    place_ids = ancestors_and_self(spec.related_places(record))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE records_record SET
              search_names = lower(bailanys_unaccent(%(names)s)),
              search_vector =
                setweight(to_tsvector('simple', bailanys_unaccent(%(names)s)), 'A')
                || setweight(to_tsvector('english', bailanys_unaccent(%(english)s)), 'B')
                || setweight(to_tsvector('russian', %(russian)s), 'B')
                || setweight(to_tsvector('simple', bailanys_unaccent(%(other)s)), 'C'),
              place_ids = %(place_ids)s::bigint[]
            WHERE id = %(id)s
            """,
            {
                "names": " | ".join(names),
                "english": english,
                "russian": russian,
                "other": " ".join(filter(None, [record.notes, quotes])),
                "place_ids": place_ids,
                "id": record.pk,
            },
        )
