"""The timeline: matching agreements and events in date order, each with the range its EDTF date
allows (`start`..`end`) and whether the date or the record is uncertain. Bounded: at most `limit`
entries (the earliest), with the total of matches (exact up to COUNT_CAP, else "more than").

Filtered by a country (with dates, kind, sphere, type), the entries are read from the items kept at
publication (records/models/views.py) in that country's date order; otherwise the records' own date
index is walked. Four queries per type at most, whatever the number of entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
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


def _kept_where(scope: Scope, record_type: str) -> tuple[str, list] | None:
    """The condition on the kept items selecting the scope's records of the type, when the filters allow."""
    filters = scope.filters
    if set(filters) - ITEM_FILTERS or "country" not in filters:
        return None
    country = country_id(filters["country"])
    if country is None:
        return "false", []
    where, params = ["t.country_id = %s AND t.is_event = %s"], [country, record_type == "event"]
    kept_conditions(filters, "t", where, params, before="t.date_key <= %s")
    return " AND ".join(where), params


def _read(scope: Scope, record_type: str, dated: QuerySet, limit: int) -> tuple[list, int]:
    """The earliest `limit` records and how many match, counted up to COUNT_CAP + 1."""
    fields = ("record_type", "label", "labels", "date", "date_text", "date_lower", "date_upper", "certainty")
    rows = dated.select_related("kind").only(*fields, "kind__labels")
    kept = _kept_where(scope, record_type)
    if kept is None:
        return list(rows.order_by(Coalesce("date_lower", EARLIEST), "pk")[:limit]), dated.order_by()[
            : COUNT_CAP + 1
        ].count()
    where, params = kept
    with connection.cursor() as cursor:
        cursor.execute(ITEMS_SQL.format(where=where), [*params, limit])
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(COUNT_SQL.format(where=where), [*params, COUNT_CAP + 1])
        count = cursor.fetchone()[0]
    order = {pk: n for n, pk in enumerate(ids)}
    return sorted(
        rows.model.objects.filter(pk__in=ids).select_related("kind").only(*fields, "kind__labels"),
        key=lambda row: order[row.pk],
    ) if ids else [], count


def timeline(scope: Scope, limit: int = TIMELINE_LIMIT) -> Timeline:
    """The earliest `limit` dated records of the scope, in date order; undated ones are not drawn. The
    total is exact up to COUNT_CAP, else "more than COUNT_CAP" (`exact` false)."""
    found: list[tuple] = []  # (row, its spheres), entries made only for those kept
    total, exact = 0, True
    for record_type, queryset in scope.querysets.items():
        dated = queryset.exclude(date_lower__isnull=True, date_upper__isnull=True)
        rows, count = _read(scope, record_type, dated, limit)
        spheres: dict[int, list[str]] = {}
        if record_type == "agreement" and rows:
            through = queryset.model.spheres.through.objects.filter(agreement_id__in=[row.pk for row in rows])
            for agreement_id, sphere in through.order_by("sphere_id").values_list("agreement_id", "sphere_id"):
                spheres.setdefault(agreement_id, []).append(sphere)
        found.extend((row, spheres.get(row.pk, [])) for row in rows)
        total += min(count, COUNT_CAP)
        exact = exact and count <= COUNT_CAP
    found.sort(
        key=lambda item: (
            item[0].date_lower or item[0].date_upper,
            item[0].date_upper or item[0].date_lower,
            item[0].pk,
        )
    )
    truncated = len(found) > limit or total > limit or not exact
    entries = [_entry(row, row_spheres) for row, row_spheres in found[:limit]]
    first = min((e.start or e.end for e in entries), default=None)
    last = max((e.end or e.start for e in entries), default=None)
    return Timeline(entries, total, exact, truncated, first, last)
