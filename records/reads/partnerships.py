"""A place's partnerships: agreements and events between it (or a place inside it) and partners
elsewhere, grouped by the partner's country and region, each group in date order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce

from records.models import Place, Record, RecordStatus
from records.models.base import EARLIEST
from records.reads.links import AGREEMENT_PARTIES, EVENT_PARTICIPANTS, Linking

PARTNERSHIP_LIMIT = 100  # agreements (and events) read for a place's partnerships; the rest via the filtered lists
PARTNERED = (AGREEMENT_PARTIES, EVENT_PARTICIPANTS)


@dataclass
class Partnership:
    """One agreement or event between this place (or a place inside it) and a partner."""

    record: Record
    partners: list[Record]


@dataclass
class PartnerRegion:
    place: Place | None  # None: the partner is the country itself, or its region is not known
    items: list[Partnership] = field(default_factory=list)


@dataclass
class PartnerCountry:
    place: Place | None  # None: the partner's country is not known
    regions: dict[int | None, PartnerRegion] = field(default_factory=dict)
    count: int = 0
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def region_list(self) -> list[PartnerRegion]:
        return sorted(self.regions.values(), key=lambda r: (r.place is not None, r.place.label if r.place else ""))

    def add(self, region: Place | None, item: Partnership) -> None:
        bucket = self.regions.setdefault(region.pk if region else None, PartnerRegion(region))
        bucket.items.append(item)
        self.count += 1
        lower, upper = item.record.date_lower, item.record.date_upper or item.record.date_lower
        if lower and (self.first is None or lower < self.first):
            self.first = lower
        if upper and (self.last is None or upper > self.last):
            self.last = upper


def _linking_records(linking: Linking, place: Place) -> list[Record]:
    """Published records of `linking` about the place with a party (participant) inside it: two queries."""
    inside = [place.pk]
    has_inside = linking.links.objects.filter(
        **{linking.record: OuterRef("pk"), f"{linking.other}__place_ids__contains": inside}
    )
    return list(
        linking.model.objects.filter(
            record_type=linking.record, status=RecordStatus.PUBLISHED, place_ids__contains=inside
        )
        .filter(Exists(has_inside))
        .select_related("kind")
        .prefetch_related(linking.links_with_other())
        .order_by(Coalesce("date_lower", EARLIEST), "pk")[: PARTNERSHIP_LIMIT + 1]
    )


def _partner_places(items: list[Partnership]) -> dict[int, Place]:
    """The places the partners are in, by id: one query."""
    ids = {pk for item in items for partner in item.partners for pk in partner.place_ids}
    places = Place.objects.filter(pk__in=ids).only("record_type", "label", "labels", "kind_id", "parent_id", "status")
    return {place.pk: place for place in places}


def place_partnerships(place: Place) -> dict:
    """Agreements and events where the place — or a place inside it — is a party or participant,
    grouped by the other side's country and region, each group in date order. Five queries at most."""
    items: list[Partnership] = []
    truncated = False
    for linking in PARTNERED:
        records = _linking_records(linking, place)
        truncated = truncated or len(records) > PARTNERSHIP_LIMIT
        for record in records[:PARTNERSHIP_LIMIT]:
            others = [other for other in linking.others(record) if place.pk not in other.place_ids]
            if others:
                items.append(Partnership(record, others))
    places = _partner_places(items)
    countries: dict[int | None, PartnerCountry] = {}
    for item in sorted(items, key=lambda i: (i.record.date_lower or EARLIEST, i.record.pk)):
        seen: set[tuple] = set()
        for partner in item.partners:
            mine = [places[pk] for pk in partner.place_ids if pk in places]
            country = next((p for p in mine if p.kind_id == "country"), None)
            region = next((p for p in mine if p.parent_id == country.pk), None) if country is not None else None
            key = (country.pk if country else None, region.pk if region else None)
            if key not in seen:
                seen.add(key)
                countries.setdefault(key[0], PartnerCountry(country)).add(region, item)
    ordered = sorted(countries.values(), key=lambda c: (c.place is None, -c.count, c.place.label if c.place else ""))
    return {"countries": ordered, "truncated": truncated, "count": len(items)}
