"""The timeline: matching agreements and events in date order, each with the range its EDTF date
allows (`start`..`end`) and whether the date or the record is uncertain. Bounded: at most `limit`
entries (the earliest, or the first after a key: a page of the keyset walk the timeline page offers
readers without JavaScript), with the total of matches (exact up to COUNT_CAP, else "more than").
The order is the records' date index's: the lower bound (an open one, "[..2007]", first), then the id.

Filtered by a country (with dates, kind, sphere, type), the entries are read from the items kept at
publication (records/models/views.py) in that country's date order; otherwise the records' own date
index is walked. Four queries per type at most, whatever the number of entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import DateField, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from records.dates.display import edtf_human
from records.models import Certainty
from records.models.base import EARLIEST, pick_label, record_url
from records.reads.geography import country_id, kept_conditions
from records.reads.scope import Scope

TIMELINE_LIMIT = 500
TIMELINE_MAX = 2000
COUNT_CAP = 5000  # matches counted at most
UNCERTAIN_MARKS = ("?", "~", "%", "X", "u")


@dataclass
class Entry:
    id: int
    type: str
    title: str
    kind: str
    kind_label: str
    date: str
    date_text: str
    date_words: str
    start: dt.date | None  # None: open ("[..2007]", some day up to the end of 2007)
    end: dt.date | None  # None: open ("2001/..")
    uncertain: bool  # the date is qualified (?, ~, %, X) or the record is marked uncertain or disputed
    certainty: str
    url: str
    spheres: list[str] = field(default_factory=list)

    def as_json(self, base: str) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "date": self.date,
            "date_text": self.date_text,
            "date_words": self.date_words,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "uncertain": self.uncertain,
            "certainty": self.certainty,
            "spheres": self.spheres,
            "web_url": base + self.url,
            "url": f"{base}/api/v1/{self.type}s/{self.id}/",
        }


@dataclass
class Timeline:
    entries: list[Entry]
    total: int
    exact: bool
    truncated: bool
    first: dt.date | None
    last: dt.date | None
    more: bool = False  # entries follow the last one (a next page of the walk)

    @property
    def last_key(self) -> tuple[dt.date, int] | None:
        """The walk's key of the last entry: where the next page starts."""
        return (self.entries[-1].start or EARLIEST, self.entries[-1].id) if self.entries else None


def sort_key(record) -> tuple[dt.date, int]:
    """The timeline's order, the records' date index's: (lower bound, or the earliest day when open; id)."""
    return (record.date_lower or EARLIEST, record.pk)


def _entry(record, spheres: list[str]) -> Entry:
    uncertain = any(mark in record.date for mark in UNCERTAIN_MARKS) or record.certainty != Certainty.CERTAIN
    return Entry(
        id=record.pk,
        type=record.record_type,
        title=pick_label(record.labels, record.label),
        kind=record.kind_id,
        kind_label=pick_label(record.kind.labels, record.kind_id),
        date=record.date,
        date_text=record.date_text,
        date_words=edtf_human(record.date),
        start=record.date_lower,
        end=record.date_upper,
        uncertain=uncertain,
        certainty=record.certainty,
        url=record_url(record.record_type, record.pk),
        spheres=spheres,
    )


# A country's dated records, in date order, from the kept items (records/models/views.py): an index walk
# within the country, however rare it is among all the records.
ITEMS_SQL = """
SELECT t.record_id FROM records_timelineitem t WHERE {where} ORDER BY t.date_key, t.record_id LIMIT %s
"""
COUNT_SQL = "SELECT count(*) FROM (SELECT FROM records_timelineitem t WHERE {where} LIMIT %s) AS matches"
ITEM_FILTERS = {"country", "date_after", "date_before", "kind", "sphere"}


def kept_where(scope: Scope, record_type: str) -> tuple[str, list] | None:
    """The condition on the kept items (`t`) selecting the scope's dated records of the type, when the
    filters allow (a country, with any of ITEM_FILTERS); else None."""
    filters = scope.filters
    if set(filters) - ITEM_FILTERS or "country" not in filters:
        return None
    country = country_id(filters["country"])
    if country is None:
        return "false", []
    where, params = ["t.country_id = %s AND t.is_event = %s"], [country, record_type == "event"]
    kept_conditions(filters, "t", where, params, before="t.date_key <= %s")
    return " AND ".join(where), params


def _after(where: str, params: list, after: tuple[dt.date, int] | None) -> tuple[str, list]:
    if after is None:
        return where, params
    return f"{where} AND (t.date_key, t.record_id) > (%s, %s)", [*params, *after]


def _read(scope: Scope, record_type: str, dated: QuerySet, limit: int, after, cap: int) -> tuple[list, int]:
    """The earliest `limit` records (after the key `after`, if given) and how many match in all,
    counted up to `cap` + 1."""
    fields = ("record_type", "label", "labels", "date", "date_text", "date_lower", "date_upper", "certainty")
    rows = dated.select_related("kind").only(*fields, "kind__labels")
    kept = kept_where(scope, record_type)
    if kept is None:
        walk = rows.alias(key=Coalesce("date_lower", Value(EARLIEST, DateField())))
        if after is not None:  # a range on the date index, then past the id within its first day
            walk = walk.filter(key__gte=after[0]).filter(Q(key__gt=after[0]) | Q(pk__gt=after[1]))
        return list(walk.order_by("key", "pk")[:limit]), dated.order_by()[: cap + 1].count()
    where, params = kept
    walk, walk_params = _after(where, params, after)
    with connection.cursor() as cursor:
        cursor.execute(ITEMS_SQL.format(where=walk), [*walk_params, limit])
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(COUNT_SQL.format(where=where), [*params, cap + 1])
        count = cursor.fetchone()[0]
    order = {pk: n for n, pk in enumerate(ids)}
    return sorted(
        rows.model.objects.filter(pk__in=ids).select_related("kind").only(*fields, "kind__labels"),
        key=lambda row: order[row.pk],
    ) if ids else [], count


def timeline(
    scope: Scope, limit: int = TIMELINE_LIMIT, after: tuple[dt.date, int] | None = None, cap: int = COUNT_CAP
) -> Timeline:
    """The earliest `limit` dated records of the scope (after the key `after`: see `sort_key`), in date
    order; undated ones are not drawn. The total is exact up to `cap` per type, else "more than" that
    (`exact` false)."""
    found: list[tuple] = []  # (row, its spheres), entries made only for those kept
    total, exact = 0, True
    for record_type, queryset in scope.querysets.items():
        dated = queryset.exclude(date_lower__isnull=True, date_upper__isnull=True)
        rows, count = _read(scope, record_type, dated, limit + 1, after, cap)
        spheres: dict[int, list[str]] = {}
        if record_type == "agreement" and rows:
            through = queryset.model.spheres.through.objects.filter(agreement_id__in=[row.pk for row in rows])
            for agreement_id, sphere in through.order_by("sphere_id").values_list("agreement_id", "sphere_id"):
                spheres.setdefault(agreement_id, []).append(sphere)
        found.extend((row, spheres.get(row.pk, [])) for row in rows)
        total += min(count, cap)
        exact = exact and count <= cap
    found.sort(key=lambda item: sort_key(item[0]))
    more = len(found) > limit
    truncated = more or total > limit or not exact or after is not None
    entries = [_entry(row, row_spheres) for row, row_spheres in found[:limit]]
    first = min((e.start or e.end for e in entries), default=None)
    last = max((e.end or e.start for e in entries), default=None)
    return Timeline(entries, total, exact, truncated, first, last, more)
