"""Charts of figures: published statistics grouped into series — the same indicator, the same unit or
currency, about the same places and organizations — each series in date order (trade turnover of
East Kazakhstan with Xinjiang year by year, repatriates by year), with every value's qualifier,
reliability note and sources.

Bounded: the earliest SERIES_LIMIT statistics of the selection. Four queries, whatever their number:
the statistics, their subjects, their cited sources, and (for the filtered lists) nothing more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from records.dates.display import edtf_human
from records.models import Citation, Record, RecordStatus, Statistic, StatisticSubject
from records.models.base import EARLIEST, pick_label, record_url

SERIES_LIMIT = 1000
PAGE_SERIES_LIMIT = 300  # statistics read for a place's or a statistic's page


@dataclass
class Point:
    statistic: Statistic
    sources: list[Record]

    @property
    def start(self) -> dt.date | None:
        return self.statistic.date_lower

    @property
    def end(self) -> dt.date | None:
        return self.statistic.date_upper or self.statistic.date_lower

    def as_json(self, base: str) -> dict:
        s = self.statistic
        return {
            "id": s.pk,
            "date": s.date,
            "date_words": edtf_human(s.date),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "value": str(s.value),
            "qualifier": s.value_qualifier,
            "reliability_note": s.reliability_note,
            "sources": [
                {
                    "id": src.pk,
                    "title": pick_label(src.labels, src.label),
                    "web_url": base + record_url("source", src.pk),
                }
                for src in self.sources
            ],
            "web_url": base + record_url("statistic", s.pk),
            "url": f"{base}/api/v1/statistics/{s.pk}/",
        }


@dataclass
class Series:
    indicator: object  # the Indicator term
    unit: object | None  # the Unit term, or None for a currency
    currency: str
    subjects: list[Record]
    points: list[Point] = field(default_factory=list)

    @property
    def key(self) -> str:
        ids = "-".join(str(s.pk) for s in self.subjects)
        return f"{self.indicator.pk}.{self.unit.pk if self.unit else self.currency}.{ids}"

    @property
    def title(self) -> str:
        names = ", ".join(pick_label(s.labels, s.label) for s in self.subjects)
        label = pick_label(self.indicator.labels, self.indicator.pk)
        return f"{label}: {names}" if names else label

    @property
    def measure(self) -> str:
        return pick_label(self.unit.labels, self.unit.pk) if self.unit else self.currency

    @property
    def notes(self) -> list[Point]:
        return [point for point in self.points if point.statistic.reliability_note]

    @property
    def largest(self) -> Decimal:
        return max((abs(p.statistic.value) for p in self.points), default=Decimal(0))

    def as_json(self, base: str) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "indicator": self.indicator.pk,
            "indicator_label": pick_label(self.indicator.labels, self.indicator.pk),
            "unit": self.unit.pk if self.unit else None,
            "currency": self.currency or None,
            "measure": self.measure,
            "subjects": [
                {
                    "id": s.pk,
                    "type": s.record_type,
                    "name": pick_label(s.labels, s.label),
                    "web_url": base + record_url(s.record_type, s.pk),
                }
                for s in self.subjects
            ],
            "points": [point.as_json(base) for point in self.points],
        }


@dataclass
class SeriesSet:
    series: list[Series]
    truncated: bool
    statistics: int


def series_of(queryset: QuerySet, limit: int = SERIES_LIMIT) -> SeriesSet:
    """The statistics of `queryset` (published), grouped into series, each in date order."""
    rows = list(
        queryset.select_related("indicator", "unit")
        .prefetch_related(
            Prefetch(
                "subject_links",
                StatisticSubject.objects.select_related("subject").only(
                    "statistic_id",
                    "position",
                    "subject__record_type",
                    "subject__status",
                    "subject__label",
                    "subject__labels",
                ),
            )
        )
        .order_by(Coalesce("date_lower", EARLIEST), "pk")[: limit + 1]
    )
    truncated = len(rows) > limit
    rows = rows[:limit]
    sources: dict[int, list[Record]] = {}
    citations = (
        Citation.objects.filter(record_id__in=[row.pk for row in rows], source__status=RecordStatus.PUBLISHED)
        .select_related("source")
        .only("record_id", "position", "source__record_type", "source__status", "source__label", "source__labels")
        .order_by("record_id", "position", "pk")
    )
    for citation in citations:
        bucket = sources.setdefault(citation.record_id, [])
        if all(src.pk != citation.source_id for src in bucket):
            bucket.append(citation.source)
    groups: dict[tuple, Series] = {}
    for row in rows:
        subjects = sorted((link.subject for link in row.subject_links.all()), key=lambda s: s.pk)
        key = (row.indicator_id, row.unit_id, row.currency, tuple(s.pk for s in subjects))
        series = groups.setdefault(key, Series(row.indicator, row.unit, row.currency, subjects))
        series.points.append(Point(row, sources.get(row.pk, [])))
    ordered = sorted(groups.values(), key=lambda s: (-len(s.points), s.title))
    return SeriesSet(ordered, truncated, len(rows))


def published_statistics() -> QuerySet:
    return Statistic.objects.filter(record_type="statistic", status=RecordStatus.PUBLISHED)


def series_about(place: Record) -> SeriesSet:
    """The series of figures about a place or anything inside it (a place's page)."""
    return series_of(published_statistics().filter(place_ids__contains=[place.pk]), PAGE_SERIES_LIMIT)


def series_with(statistic: Statistic) -> Series | None:
    """The series a statistic belongs to: the same indicator, measure and subjects (a statistic's page)."""
    subjects = list(StatisticSubject.objects.filter(statistic=statistic).values_list("subject_id", flat=True))
    candidates = published_statistics().filter(
        indicator_id=statistic.indicator_id, unit_id=statistic.unit_id, currency=statistic.currency
    )
    for subject in subjects:
        candidates = candidates.filter(
            Exists(StatisticSubject.objects.filter(statistic=OuterRef("pk"), subject_id=subject))
        )
    found = series_of(candidates, PAGE_SERIES_LIMIT)
    mine = sorted(subjects)
    return next((s for s in found.series if [x.pk for x in s.subjects] == mine), None)
