"""Whole exports: every matching record in one streamed response, in bounded memory.

A writer turns records into text piece by piece — `begin`, one `item` per record, `end` (the API's
writers are in records/api/formats.py) — so the same writer renders one page (`write_page`) and
streams an export (`export_response`): records are read EXPORT_BATCH at a time (by the caller's
`read`, e.g. a keyset page of records/reads/pagination.py), each batch written and sent before the
next is read. A binary format's writer (XLSX) writes its file at `end`, which gives bytes: its items
are kept by the writer meanwhile (in a temporary file, not in memory). One export holds at most `max_rows()` records
(settings.API_EXPORT_MAX_ROWS); a larger one is refused (`TooManyRows`) before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

# Rows fetched per query while streaming an export (each batch: one query per prefetch).
EXPORT_BATCH = 500
# The values of `all` that ask for a whole export (`?all=1`), and those that do not.
ALL_VALUES = ("1", "true")
NOT_ALL_VALUES = ("", "0", "false")


class Writer(Protocol):
    extension: str  # of the exported file's name

    def begin(self, ctx: Any) -> str: ...

    def item(self, ctx: Any, row: dict, record: Any, first: bool) -> str: ...

    def end(self, ctx: Any) -> str | bytes: ...


class Batch(Protocol):
    rows: list  # the records
    next_cursor: str | None  # where the next batch starts; None (or empty) after the last


# read(cursor, size): up to `size` records from `cursor` on (None: from the start), in a stable order.
Read = Callable[[str | None, int], Batch]
# serialize(records): their API JSON, in the same order.
Serialize = Callable[[list], Sequence[dict]]


class TooManyRows(Exception):
    """More records match than one export may hold (`cap`)."""

    def __init__(self, cap: int) -> None:
        super().__init__(cap)
        self.cap = cap


def wants_all(value: str | None) -> bool:
    """Whether a value of `all` asks for a whole export; ValueError for one that says neither yes nor no."""
    if value is None or value.lower() in NOT_ALL_VALUES:
        return False
    if value.lower() in ALL_VALUES:
        return True
    raise ValueError(f"Not a value of all: {value[:40]!r}")


def max_rows() -> int:
    """The most rows one export streams (settings.API_EXPORT_MAX_ROWS)."""
    return getattr(settings, "API_EXPORT_MAX_ROWS", 100_000)


def write_items(writer: Writer, ctx: Any, rows: Sequence[dict], records: Sequence[Any], first: bool = True) -> str:
    """The text of these records (`rows`: their API JSON; `records`: the model instances, in the same
    order); `first`: whether the first of them is the first of the document."""
    return "".join(
        writer.item(ctx, row, record, first and index == 0)
        for index, (row, record) in enumerate(zip(rows, records, strict=True))
    )


def write_page(writer: Writer, ctx: Any, rows: Sequence[dict], records: Sequence[Any]) -> str | bytes:
    """One complete document holding these records (bytes when the writer's `end` gives bytes)."""
    head = writer.begin(ctx) + write_items(writer, ctx, rows, records)
    tail = writer.end(ctx)
    return head.encode("utf-8") + tail if isinstance(tail, bytes) else head + tail


def export_chunks(read: Read, *, writer: Writer, ctx: Any, serialize: Serialize) -> Iterator[str | bytes]:
    """One complete document holding every record `read` gives, EXPORT_BATCH records a piece."""
    yield writer.begin(ctx)
    cursor, first = None, True
    while True:
        page = read(cursor, EXPORT_BATCH)
        yield write_items(writer, ctx, serialize(page.rows), page.rows, first)
        first = first and not page.rows
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    yield writer.end(ctx)


def export_response(
    queryset: QuerySet,
    read: Read,
    *,
    writer: Writer,
    ctx: Any,
    serialize: Serialize,
    content_type: str,
    name: str,
) -> StreamingHttpResponse:
    """Stream the records of `queryset`, as `read` gives them, as the attachment `<name>.<extension>`.

    Raises TooManyRows, before anything streams, when more than `max_rows()` records match (a count
    bounded at max_rows() + 1 tells).
    """
    cap = max_rows()
    if queryset.order_by().values("pk")[: cap + 1].count() > cap:
        raise TooManyRows(cap)
    chunks = export_chunks(read, writer=writer, ctx=ctx, serialize=serialize)
    encoded = (chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in chunks)
    response = StreamingHttpResponse((chunk for chunk in encoded if chunk), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{writer.extension}"'
    return response
