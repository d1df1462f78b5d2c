"""Writing many records at once: COPY, the derived search fields in one statement, indexes rebuilt once.

This is the PostgreSQL manual's recipe for populating a database ("Populating a Database"), inside one
transaction so that a failed load leaves nothing behind:

1. `integrity_suspended`: drop the secondary indexes and foreign keys of the tables being filled;
2. `copy_rows`: COPY every row (no per-row INSERT, no per-row trigger), from a thread of its own
   (`copying`) while the caller makes the next batch: PostgreSQL takes in one batch while Python
   builds the next;
3. `stage_search`, in the same thread after each batch: compute the batch's `search_names` and
   `search_vector` set-based (the very SQL of `records.workflow.indexing`), so that PostgreSQL's
   costliest work of the load also happens while Python makes the next batch;
4. `stage_publish`: move the staged core rows into `records_record` in id order, with their search
   fields and `place_ids` (every place with its ancestors, from a recursive query over
   `records_place`), in one INSERT ... SELECT;
5. rebuild the indexes (each in one sort) and re-add the foreign keys (each checked by one join).
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from records.workflow.indexing import SEARCH_NAMES_SQL, SEARCH_VECTOR_SQL

STAGE = "synthetic_stage"  # one batch's core rows and search texts, as COPY writes them
SEARCHED = "synthetic_searched"  # every staged record with its search fields, until publishing
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
def copying(
    cursor: Any, columns: dict[str, tuple[str, ...]], *, after: Callable[[], object] = lambda: None
) -> Iterator[Callable[[dict[str, list[tuple]]], None]]:
    """A function that hands a batch (rows by table) to a thread COPYing it with `cursor` (then calling
    `after`), and returns at once unless two batches are already waiting. Leaving the block waits for
    every batch to be in; an error of the thread is raised here (at the latest on leaving)."""
    waiting: queue.Queue = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def work() -> None:
        while (batch := waiting.get()) is not None:
            if failed:
                continue  # drain: the caller learns of the error on its next put or on leaving
            try:
                for table, rows in batch.items():
                    copy_rows(cursor, table, columns[table], rows)
                after()
            except BaseException as exc:  # handed to the caller's thread
                failed.append(exc)

    def put(batch: dict[str, list[tuple]]) -> None:
        if failed:
            raise failed[0]
        waiting.put(batch)

    thread = threading.Thread(target=work, name="synthetic-copy", daemon=True)
    thread.start()
    try:
        yield put
    finally:
        waiting.put(None)
        thread.join()
    if failed:
        raise failed[0]


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


@contextmanager
def views_deferred(cursor: Any, *, log=lambda message: None) -> Iterator[None]:
    """Keep the views' statement triggers (records/migrations/0014_views.py) out of a bulk load, then
    refresh the views of every published agreement and event once, set-based, through the database's
    own `records_views_refresh` (the triggers would refresh them per COPY batch, without the indexes
    `integrity_suspended` dropped: hours at 100,000 records)."""
    cursor.execute(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger"
        " WHERE tgname LIKE 'publication\\_views\\_%%' ORDER BY 1, 2"
    )
    triggers = cursor.fetchall()
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending deferred checks may block ALTER TABLE
    for table, name in triggers:
        cursor.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, name in triggers:
        cursor.execute(f'ALTER TABLE {table} ENABLE TRIGGER "{name}"')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    if not triggers:
        return  # a database migrated before the views existed: nothing to refresh
    started = dt.datetime.now()
    cursor.execute("SET LOCAL jit = off")
    cursor.execute(
        "SELECT records_views_refresh(ARRAY(SELECT id FROM records_record"
        " WHERE record_type IN ('agreement', 'event') AND status = 'published'))"
    )
    log(f"refreshed the map, timeline and network tables in {(dt.datetime.now() - started).total_seconds():.1f} s")


CORE = (
    "id bigint, record_type varchar(20), label varchar(500), labels jsonb, aliases varchar(300)[], identifiers jsonb,"
    " notes text, certainty varchar(10), certainty_note text, date varchar(100), date_text varchar(300),"
    " date_lower date, date_upper date, places bigint[], created_at timestamptz"
)
CORE_COLUMNS = [column.split()[0] for column in CORE.split(",")]


def stage_create(cursor: Any) -> None:
    """Temporary tables for a batch's core rows with the texts their search fields are computed from
    (STAGE), and for every record's core row with its search fields (SEARCHED)."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGE} ({CORE}, names text, english text, russian text, other text) ON COMMIT DROP"
    )
    cursor.execute(
        f"CREATE TEMPORARY TABLE {SEARCHED} ({CORE}, search_names text, search_vector tsvector) ON COMMIT DROP"
    )


def stage_search(cursor: Any) -> None:
    """Move the staged batch to SEARCHED, computing its search fields on the way."""
    columns = {name: name for name in ("names", "english", "russian", "other")}
    cursor.execute(
        f"""
        INSERT INTO {SEARCHED}
        SELECT {", ".join(CORE_COLUMNS)}, {SEARCH_NAMES_SQL.format(**columns)}, {SEARCH_VECTOR_SQL.format(**columns)}
        FROM {STAGE}
        """
    )
    cursor.execute(f"TRUNCATE {STAGE}")


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
    cursor.execute(f"ANALYZE synthetic_place_up, {SEARCHED}")
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
            s.search_names, s.search_vector, s.created_at, s.created_at
        FROM {SEARCHED} s
        ORDER BY s.id
        """
    )
    published = cursor.rowcount
    cursor.execute(f"DROP TABLE synthetic_place_up, {STAGE}, {SEARCHED}")
    return published
