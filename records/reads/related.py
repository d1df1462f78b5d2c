"""The lists around a record on its page: its predecessors, the places within it, the agreements it
is a party to... Each list is a reader registered here under a name; a type names the lists its page
shows (`RecordTypeSpec.related`) and the page's template reads them as `related.<name>`.

Every list is bounded by RELATED_LIMIT (read one further, so that the page can say there are more)
and read in one query (prefetches included), whatever the data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from records.content.registry import RecordTypeSpec
from records.models import (
    AgreementParty,
    Citation,
    Event,
    EventParticipant,
    Organization,
    PlaceBorder,
    Position,
    Record,
    RecordStatus,
    Source,
    StatisticSubject,
    Succession,
)
from records.models.base import EARLIEST
from records.reads.links import AGREEMENT_PARTIES, EVENT_PARTICIPANTS, RELATED_LIMIT, STATISTIC_SUBJECTS, links_to
from records.reads.partnerships import place_partnerships
from records.reads.series import series_about, series_with

CITED_BY_PAGE_SIZE = 50

Reader = Callable[[Record], Any]
READERS: dict[str, Reader] = {}


def reader(name: str) -> Callable[[Reader], Reader]:
    """Registers a related list under `name`."""

    def register(read: Reader) -> Reader:
        READERS[name] = read
        return read

    return register


def related_for(spec: RecordTypeSpec, record: Record) -> dict[str, Any]:
    """The lists the type's page shows around `record`, by name."""
    return {name: READERS[name](record) for name in spec.related}


def _first(queryset: QuerySet) -> list:
    return list(queryset[: RELATED_LIMIT + 1])


def _published(queryset: QuerySet) -> QuerySet:
    return queryset.filter(status=RecordStatus.PUBLISHED)


def _by_date(queryset: QuerySet) -> QuerySet:
    return queryset.order_by(Coalesce("date_lower", EARLIEST), "pk")


reader("series")(series_about)  # a place's figures over time (records/reads/series.py)
reader("figure_series")(series_with)  # the series a figure belongs to
reader("partnerships")(place_partnerships)  # a place's, grouped by partner (records/reads/partnerships.py)


@reader("agreements")
def agreements(record: Record) -> list[AgreementParty]:
    """The agreements a place, organization or person is a party to, with its role."""
    return links_to(AGREEMENT_PARTIES, record, "agreement__kind", "role")


@reader("events")
def events(record: Record) -> list[EventParticipant]:
    """The events a place, organization or person took part in, with its role."""
    return links_to(EVENT_PARTICIPANTS, record, "event__kind", "role")


@reader("statistics")
def statistics(record: Record) -> list[StatisticSubject]:
    """The figures about a place or organization."""
    return links_to(STATISTIC_SUBJECTS, record, "statistic__indicator", "statistic__unit")


@reader("predecessors")
def predecessors(record: Record) -> list[Succession]:
    return list(record.predecessor_links.select_related("predecessor"))


@reader("successors")
def successors(record: Record) -> list[Succession]:
    return _first(
        Succession.objects.filter(predecessor=record, record__status=RecordStatus.PUBLISHED).select_related("record")
    )


@reader("borders")
def borders(record: Record) -> list[PlaceBorder]:
    return list(record.border_links.select_related("neighbour"))


@reader("bordered_by")
def bordered_by(record: Record) -> list[PlaceBorder]:
    """Borders recorded on the other side: places that name this one as their neighbour."""
    borders = PlaceBorder.objects.filter(neighbour=record, place__status=RecordStatus.PUBLISHED)
    return _first(borders.select_related("place"))


@reader("children")
def children(record: Record) -> list[Record]:
    """Records that are part of this one: the places within a place, the units of an organization."""
    return _first(_published(type(record).objects.filter(parent=record)).select_related("kind").order_by("label", "pk"))


@reader("organizations")
def organizations(record: Record) -> list[Organization]:
    """Organizations based in a place or in its country."""
    here = Organization.objects.filter(Q(place=record) | Q(country=record))
    return _first(_published(here).select_related("kind").order_by("label", "pk"))


@reader("people")
def people(record: Record) -> list[Position]:
    """The positions held in an organization, with the people who held them."""
    positions = Position.objects.filter(organization=record, person__status=RecordStatus.PUBLISHED)
    return _first(positions.select_related("person").order_by(Coalesce("date_lower", EARLIEST), "pk"))


@reader("archival_sources")
def archival_sources(record: Record) -> list[Source]:
    """The archival files an archive holds."""
    return _first(_published(Source.objects.filter(archive=record)).order_by("label", "pk"))


@reader("signing_events")
def signing_events(record: Record) -> list[Event]:
    """The events where an agreement was signed."""
    return _first(_by_date(_published(record.events.all()).select_related("kind")))


@reader("parts")
def parts(record: Record) -> list[Event]:
    """The events that make up an event: its programme."""
    return _first(_by_date(_published(Event.objects.filter(part_of=record)).select_related("kind")))


def cited_by(source: Source, after: int = 0) -> dict:
    """Published records citing `source`, CITED_BY_PAGE_SIZE at a time after citation `after`."""
    rows = list(
        Citation.objects.filter(source=source, record__status=RecordStatus.PUBLISHED, pk__gt=after)
        .select_related("record")
        .order_by("pk")[: CITED_BY_PAGE_SIZE + 1]
    )
    more = len(rows) > CITED_BY_PAGE_SIZE
    rows = rows[:CITED_BY_PAGE_SIZE]
    return {"rows": rows, "next": rows[-1].pk if more else None, "after": after}
