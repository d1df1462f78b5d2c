"""Writing many records at once: COPY, the derived search fields in one statement, indexes rebuilt once.

This is the PostgreSQL manual's recipe for populating a database ("Populating a Database"), inside one
transaction so that a failed load leaves nothing behind:

1. `integrity_suspended`: drop the secondary indexes and foreign keys of the tables being filled;
2. `copy_rows`: COPY every row (no per-row INSERT, no per-row trigger);
3. `stage_publish`: move the staged core rows into `records_record`, computing `search_names`,
   `search_vector` (the very SQL of `records.workflow.indexing`) and `place_ids` (every place with its
   ancestors, from a recursive query over `records_place`) set-based, in one INSERT ... SELECT;
4. rebuild the indexes (each in one sort) and re-add the foreign keys (each checked by one join).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from records.workflow.indexing import SEARCH_NAMES_SQL, SEARCH_VECTOR_SQL

STAGE = "synthetic_stage"
STAGE_COLUMNS = (
    "id",
    "record_type",
    "label",
    "labels",
    "aliases",
    "identifiers",
    "notes",
    "certainty",
    "certainty_note",
    "date",
    "date_text",
    "date_lower",
    "date_upper",
    "names",
    "english",
    "russian",
    "other",
    "places",
    "created_at",
)


def copy_rows(cursor: Any, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """COPY rows into a table (a psycopg 3 cursor: Django's `cursor.cursor`)."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def integrity_suspended(cursor: Any, tables: list[str], *, log=lambda message: None) -> Iterator[None]:
    """Drop the secondary indexes and foreign keys of `tables`; rebuild and re-check them afterwards.

    Primary keys and unique constraints stay (they are what makes a duplicate fail). Everything happens
    in the caller's transaction: other sessions wait for the tables, and a failure undoes it all.
    """
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending deferred checks may block ALTER TABLE
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2
        """,
        [tables],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
        )
        ORDER BY 1
        """,
        [tables],
    )
    indexes = cursor.fetchall()
    for table, name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    started = dt.datetime.now()
    for _name, definition in indexes:
        cursor.execute(definition)
    log(f"rebuilt {len(indexes)} indexes in {(dt.datetime.now() - started).total_seconds():.1f} s")
    started = dt.datetime.now()
    for table, name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    log(f"checked {len(foreign_keys)} foreign keys in {(dt.datetime.now() - started).total_seconds():.1f} s")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def stage_create(cursor: Any) -> None:
    """A temporary table for the core rows and the texts their search fields are computed from."""
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {STAGE} (
            id bigint PRIMARY KEY, record_type varchar(20), label varchar(500), labels jsonb,
            aliases varchar(300)[], identifiers jsonb, notes text, certainty varchar(10), certainty_note text,
            date varchar(100), date_text varchar(300), date_lower date, date_upper date,
            names text, english text, russian text, other text, places bigint[],
            created_at timestamptz
        ) ON COMMIT DROP
        """
    )


def stage_publish(cursor: Any) -> int:
    """Insert the staged records as published revision-1 records, with their derived search fields; then
    drop the staging tables (they would otherwise last until the commit, and block a second run before it)."""
    cursor.execute(
        """
        CREATE TEMPORARY TABLE synthetic_place_up ON COMMIT DROP AS
        WITH RECURSIVE up(id, ancestor, depth) AS (
            SELECT record_ptr_id, record_ptr_id, 0 FROM records_place
            UNION ALL
            SELECT up.id, p.parent_id, up.depth + 1 FROM up JOIN records_place p ON p.record_ptr_id = up.ancestor
            WHERE p.parent_id IS NOT NULL AND up.depth < 20
        )
        SELECT id, array_agg(DISTINCT ancestor ORDER BY ancestor) AS ids FROM up GROUP BY id
        """
    )
    cursor.execute("CREATE UNIQUE INDEX ON synthetic_place_up (id)")
    cursor.execute(f"ANALYZE synthetic_place_up, {STAGE}")
    columns = {name: f"s.{name}" for name in ("names", "english", "russian", "other")}
    cursor.execute(
        f"""
        INSERT INTO records_record (
            id, record_type, status, revision, label, labels, aliases, identifiers, notes, certainty,
            certainty_note, date, date_text, date_lower, date_upper, place_ids, search_names, search_vector,
            created_at, updated_at
        )
        SELECT
            s.id, s.record_type, 'published', 1, s.label, s.labels, s.aliases, s.identifiers, s.notes,
            s.certainty, s.certainty_note, s.date, s.date_text, s.date_lower, s.date_upper,
            COALESCE(
                (SELECT array_agg(DISTINCT a ORDER BY a) FROM synthetic_place_up u, unnest(u.ids) a
                 WHERE u.id = ANY(s.places)),
                '{{}}'
            ),
            {SEARCH_NAMES_SQL.format(**columns)},
            {SEARCH_VECTOR_SQL.format(**columns)},
            s.created_at, s.created_at
        FROM {STAGE} s
        ORDER BY s.id
        """
    )
    published = cursor.rowcount
    cursor.execute(f"DROP TABLE synthetic_place_up, {STAGE}")
    return published
