"""What search and the place filters read, derived from a record when it is published.

- `search_names`: every name, alias and transliteration, lower-cased and unaccented, for trigram
  matching ("Oskemen" ~ "Ust-Kamenogorsk" via its alias, "Korgan" ~ "Kurgan").
- `search_vector`: full-text document, names weighted highest, English and Russian stemming.
- `place_ids`: the places a record is about, with all their ancestors, so that filtering agreements
  by "Russia" finds those with Omsk Region as a party.
- `facet_keys`: what the list facets count the record under ("kind:<code>", "sphere:<code>",
  "indicator:<code>", "place:<id>" for each of `place_ids`, and "all"); triggers keep FacetCount.
"""

from __future__ import annotations

from django.db import connection
from psycopg.types.json import Jsonb
from unidecode import unidecode

from records.content.registry import registry
from records.models import Record
from records.models.search import VOCABULARY_FACETS

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")


def transliterations(names: list[str]) -> list[str]:
    """Latin forms of non-Latin names, so that Latin queries find Cyrillic-only labels."""
    return [unidecode(name) for name in names if CYRILLIC & set(name.lower())]


def names_of(label: str, labels: dict, aliases: list[str], acronym: str = "") -> list[str]:
    """Every name a record goes by, with Latin forms of the Cyrillic ones, each once, in a stable order."""
    names = [label, *labels.values(), *aliases]
    if acronym:
        names.append(acronym)
    seen: list[str] = []
    for name in names + transliterations(names):
        if name and name not in seen:
            seen.append(name)
    return seen


def searchable_names(record: Record) -> list[str]:
    """Every name the record goes by (see `names_of`), for its search fields."""
    return names_of(record.label, record.labels, record.aliases, getattr(record, "acronym", ""))


def search_texts(
    *,
    names: list[str],
    label: str,
    labels: dict,
    notes: str = "",
    date_text: str = "",
    certainty_note: str = "",
    type_text: str = "",
    quotes: list[str] = (),
) -> dict[str, str]:
    """The four texts the search fields are computed from (see SEARCH_NAMES_SQL, SEARCH_VECTOR_SQL)."""
    return {
        "names": " | ".join(names),
        "english": " ".join(filter(None, [label, labels.get("en", ""), notes, date_text, certainty_note, type_text])),
        "russian": " ".join(v for k, v in labels.items() if k in ("ru", "kk")),
        "other": " ".join(filter(None, [notes, " ".join(q for q in quotes if q)])),
    }


# The derived search columns as SQL over the four texts, shared by `records_reindex` (a batch of records) and
# the bulk loader of bench/bulk.py (set-based): `{names}` etc. are parameters or column names.
SEARCH_NAMES_SQL = "lower(bailanys_unaccent({names}))"
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple', bailanys_unaccent({names})), 'A')"
    " || setweight(to_tsvector('english', bailanys_unaccent({english})), 'B')"
    " || setweight(to_tsvector('russian', {russian}), 'B')"
    " || setweight(to_tsvector('simple', bailanys_unaccent({other})), 'C')"
)


def ancestors_and_self(place_ids: list[int]) -> list[int]:
    return places_with_ancestors({0: list(place_ids)})[0]


def facet_keys(record: Record, place_ids: list[int]) -> list[str]:
    """The facet keys of a record (its state loaded), in a stable order."""
    keys = ["all"]
    fields = {f.name: f for f in type(record)._meta.get_fields()}
    for prefix, name in VOCABULARY_FACETS:
        field = fields.get(name)
        if field is None:
            continue
        if field.many_to_many:
            codes = sorted(term.pk for term in getattr(record, name).all())
        else:
            codes = [getattr(record, field.attname)] if getattr(record, field.attname) else []
        keys += [f"{prefix}:{code}" for code in codes]
    return keys + [f"place:{pk}" for pk in place_ids]


def facet_keys_rebuild() -> int:
    """Recompute every record's `facet_keys` from the tables, set-based (after a bulk load that wrote
    records without them, and in migration 0012_search); the triggers bring FacetCount up to date.
    Returns the number of records whose keys changed."""
    changed = 0
    with connection.cursor() as cursor:
        for spec in registry:
            model = spec.model
            fields = {f.name: f for f in model._meta.get_fields()}
            arrays, joins = ["ARRAY['all']"], []
            for prefix, name in VOCABULARY_FACETS:
                field = fields.get(name)
                if field is None:
                    continue
                if field.many_to_many:
                    through = field.remote_field.through._meta.db_table
                    source, target = field.m2m_column_name(), field.m2m_reverse_name()
                    keys = f"array_agg('{prefix}:' || {target} ORDER BY {target})"
                    joins.append(
                        f"LEFT JOIN (SELECT {source} AS id, {keys} AS keys FROM {through} GROUP BY {source}) {prefix}"
                        f" ON {prefix}.id = s.id"
                    )
                    arrays.append(f"coalesce({prefix}.keys, '{{}}')")
                else:
                    column = f"t.{field.column}"
                    arrays.append(
                        f"CASE WHEN {column} IS NULL THEN '{{}}'::text[] ELSE ARRAY['{prefix}:' || {column}] END"
                    )
            arrays.append("ARRAY(SELECT 'place:' || p FROM unnest(s.place_ids) AS p)")
            cursor.execute(
                f"""
                UPDATE records_record r SET facet_keys = k.keys
                FROM (
                    SELECT s.id, {" || ".join(arrays)} AS keys
                    FROM records_record s JOIN {model._meta.db_table} t ON t.{model._meta.pk.column} = s.id
                    {" ".join(joins)}
                ) k
                WHERE k.id = r.id AND r.facet_keys IS DISTINCT FROM k.keys
                """
            )
            changed += cursor.rowcount
    return changed


def places_with_ancestors(places: dict[int, list[int]]) -> dict[int, list[int]]:
    """`ancestors_and_self` for many records in one query: by record id, its places and their ancestors."""
    pairs = [(pk, place) for pk, ids in places.items() for place in ids]
    found: dict[int, list[int]] = {pk: [] for pk in places}
    if not pairs:
        return found
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE up(owner, id, depth) AS (
                SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::int[])
                UNION
                SELECT up.owner, p.parent_id, up.depth + 1 FROM records_place p JOIN up ON p.record_ptr_id = up.id
                WHERE p.parent_id IS NOT NULL AND up.depth < 20
            )
            SELECT owner, array_agg(DISTINCT id ORDER BY id) FROM up GROUP BY owner
            """,
            [[pk for pk, _ in pairs], [place for _, place in pairs], [0] * len(pairs)],
        )
        found.update(cursor.fetchall())
    return found


def records_reindex(records: list[Record]) -> None:
    """Recompute the search fields, place lists and facet keys of these records (their states loaded),
    a batch of rows per round trip."""
    places = places_with_ancestors(
        {record.pk: list(registry.get(record.record_type).related_places(record)) for record in records}
    )
    rows = []
    for record in records:
        spec = registry.get(record.record_type)
        texts = search_texts(
            names=searchable_names(record),
            label=record.label,
            labels=record.labels,
            notes=record.notes,
            date_text=record.date_text,
            certainty_note=record.certainty_note,
            type_text=spec.search_text(record),
            quotes=[c.quote for c in record.citations.all()],
        )
        place_ids = places[record.pk]
        rows.append({**texts, "place_ids": place_ids, "facet_keys": facet_keys(record, place_ids), "id": record.pk})
    names = ("names", "english", "russian", "other")
    columns = {name: f"v.{name}" for name in names}
    with connection.cursor() as cursor:  # one statement: the statement triggers on records fire once
        cursor.execute(
            f"""
            UPDATE records_record r SET
              search_names = {SEARCH_NAMES_SQL.format(**columns)},
              search_vector = {SEARCH_VECTOR_SQL.format(**columns)},
              place_ids = ARRAY(
                SELECT e::bigint FROM jsonb_array_elements_text(v.place_ids) WITH ORDINALITY AS a(e, n) ORDER BY n
              ),
              facet_keys = ARRAY(
                SELECT e FROM jsonb_array_elements_text(v.facet_keys) WITH ORDINALITY AS a(e, n) ORDER BY n
              )
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::jsonb[], %s::jsonb[])
              AS v(id, names, english, russian, other, place_ids, facet_keys)
            WHERE r.id = v.id
            """,
            [
                [row["id"] for row in rows],
                *([row[name] for row in rows] for name in names),
                [Jsonb(row["place_ids"]) for row in rows],
                [Jsonb(row["facet_keys"]) for row in rows],
            ],
        )
