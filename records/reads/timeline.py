"""The timeline: matching agreements and events in date order, each with the range its EDTF date
allows (`start`..`end`) and whether the date or the record is uncertain. Bounded: at most `limit`
entries (the earliest), with the total of matches (exact up to the lists' cap, else estimated).

Four queries per type at most (the entries, the spheres of a page of agreements, the total), whatever
the number of entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models.functions import Coalesce

from records.dates.display import edtf_human
from records.models import Certainty
from records.models.base import EARLIEST, pick_label, record_url
from records.reads.facets import matches_sample
from records.reads.scope import Scope

TIMELINE_LIMIT = 500
TIMELINE_MAX = 2000
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


def timeline(scope: Scope, limit: int = TIMELINE_LIMIT) -> Timeline:
    """The earliest `limit` dated records of the scope, in date order; undated ones are not drawn."""
    entries: list[Entry] = []
    total, exact = 0, True
    for record_type, queryset in scope.querysets.items():
        dated = queryset.exclude(date_lower__isnull=True, date_upper__isnull=True)
        rows = list(
            dated.select_related("kind")
            .only(
                "record_type",
                "label",
                "labels",
                "date",
                "date_text",
                "date_lower",
                "date_upper",
                "certainty",
                "kind__labels",
            )
            .order_by(Coalesce("date_lower", EARLIEST), "pk")[:limit]
        )
        spheres: dict[int, list[str]] = {}
        if record_type == "agreement" and rows:
            through = queryset.model.spheres.through.objects.filter(agreement_id__in=[row.pk for row in rows])
            for agreement_id, sphere in through.order_by("sphere_id").values_list("agreement_id", "sphere_id"):
                spheres.setdefault(agreement_id, []).append(sphere)
        entries.extend(_entry(row, spheres.get(row.pk, [])) for row in rows)
        sample = matches_sample(dated)
        count, count_exact = sample.total, sample.exact
        total += count
        exact = exact and count_exact
    entries.sort(key=lambda e: (e.start or e.end, e.end or e.start, e.id))
    truncated = len(entries) > limit or total > limit
    entries = entries[:limit]
    first = min((e.start or e.end for e in entries), default=None)
    last = max((e.end or e.start for e in entries), default=None)
    return Timeline(entries, total, exact, truncated, first, last)
