"""Keyset pagination for the unbounded public lists (HTML and API alike).

A page is "the next N rows after this one" in a total order (sort key, id): the cursor carries the
last row's key, and the query starts there with a row comparison that an index range scan serves
directly — no COUNT(*), no OFFSET, the same cost on page 1 and page 10,000.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce

from records.models.base import EARLIEST


class BadCursor(ValueError):
    """The cursor was not made by us (or has been tampered with)."""


@dataclass(frozen=True)
class Order:
    """One way to sort a list: the SQL of its key (matching an index) and its direction."""

    key_sql: str
    descending: bool
    kind: str  # how the key is carried in a cursor: text, date, datetime, int

    def expression(self):
        return {
            "text": F("label"),
            "date": Coalesce("date_lower", Value(EARLIEST)),
            "datetime": F("updated_at"),
            "int": F("id"),
        }[self.kind]


# Each matches an index on records_record (see records/models/base.py).
ORDERS: dict[str, Order] = {
    "name": Order("records_record.label", False, "text"),
    "-name": Order("records_record.label", True, "text"),
    "date": Order("COALESCE(records_record.date_lower, '0001-01-01'::date)", False, "date"),
    "-date": Order("COALESCE(records_record.date_lower, '0001-01-01'::date)", True, "date"),
    "updated": Order("records_record.updated_at", False, "datetime"),
    "-updated": Order("records_record.updated_at", True, "datetime"),
    "id": Order("records_record.id", False, "int"),
    "-id": Order("records_record.id", True, "int"),
}
DEFAULT_ORDER = "-updated"


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    previous_cursor: str | None


def _encode(kind: str, key, pk: int, backwards: bool) -> str:
    if isinstance(key, dt.datetime | dt.date):
        key = key.isoformat()
    raw = json.dumps([kind, key, pk, 1 if backwards else 0], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, kind: str) -> tuple[object, int, bool]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        got_kind, key, pk, backwards = json.loads(raw)
        if got_kind != kind or not isinstance(pk, int) or backwards not in (0, 1):
            raise BadCursor("This cursor belongs to another ordering.")
        if kind == "date":
            key = dt.date.fromisoformat(key)
        elif kind == "datetime":
            key = dt.datetime.fromisoformat(key)
        elif kind == "int":
            key = int(key)
        elif not isinstance(key, str):
            raise BadCursor("Invalid cursor.")
        return key, pk, bool(backwards)
    except BadCursor:
        raise
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise BadCursor("Invalid cursor.") from exc


def date_cursor(key: dt.date, pk: int) -> str:
    """A cursor after the row (`key`, `pk`) of a walk in date order made outside `keyset_page` (the timeline)."""
    return _encode("date", key, pk, False)


def decode_date_cursor(cursor: str) -> tuple[dt.date, int]:
    """The (date, id) a `date_cursor` stands for; BadCursor when it is not one."""
    key, pk, backwards = _decode(cursor, "date")
    if backwards:
        raise BadCursor("Invalid cursor.")
    return key, pk


def keyset_page(queryset: QuerySet, *, order: str = DEFAULT_ORDER, cursor: str | None = None, size: int = 50) -> Page:
    """One page of `queryset` in `order`, starting after (or, backwards, before) the cursor's row."""
    spec = ORDERS.get(order)
    if spec is None:
        raise BadCursor(f"Unknown ordering {order!r}; use one of {', '.join(ORDERS)}.")
    backwards = False
    if cursor:
        key, pk, backwards = _decode(cursor, spec.kind)
        # Forward on an ascending order: rows after (key, pk); the other three cases follow.
        greater = spec.descending == backwards
        op = ">" if greater else "<"
        queryset = queryset.extra(where=[f"({spec.key_sql}, records_record.id) {op} (%s, %s)"], params=[key, pk])
    descending = spec.descending != backwards
    key_expr = spec.expression()
    ordering = [key_expr.desc() if descending else key_expr.asc(), "-pk" if descending else "pk"]
    rows = list(queryset.annotate(page_key=key_expr).order_by(*ordering)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None)
    first, last = rows[0], rows[-1]
    has_next = more if not backwards else True
    has_previous = bool(cursor) if not backwards else more
    return Page(
        rows,
        _encode(spec.kind, last.page_key, last.pk, False) if has_next else None,
        _encode(spec.kind, first.page_key, first.pk, True) if has_previous else None,
    )
