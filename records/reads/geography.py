"""The map: places with coordinates, and the partnerships between Kazakhstan's regions and regions
abroad as links weighted by the number of agreements and events.

Each party or participant of a matching agreement or event stands at its region — the place in its
`place_ids` whose parent is its country — or, when it has none (a ministry, a country as a party), at
its country. A link joins a Kazakh side and a foreign side of the same record; its weight is the
number of records that join them. The pairs are aggregated in one SQL statement and kept until the
next publication; the places are read per request (their names are in the reader's language).

Bounded: at most MAP_PLACE_LIMIT places with coordinates (the largest first: countries, then
regions...), MAP_LINK_LIMIT links (the heaviest), UNPLACED_LIMIT places without coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Func, IntegerField, QuerySet

from records.models import Place
from records.models.base import pick_label, record_url
from records.reads.scope import ANALYTIC_WORK_MEM, Scope, publication_memo

HOME_COUNTRY = "KZ"
MAP_PLACE_LIMIT = 2000
MAP_LINK_LIMIT = 1000
UNPLACED_LIMIT = 200

PAIRS_SQL = """
WITH ends AS (
    SELECT l.agreement_id AS rec, 'agreement' AS t, l.party_id AS node
    FROM records_agreement_party l WHERE l.agreement_id IN ({agreements})
    UNION ALL
    SELECT l.event_id, 'event', l.participant_id
    FROM records_event_participant l WHERE l.event_id IN ({events})
), places AS (  -- each party's places (itself, or where it is, and their ancestors): once per party
    SELECT n.node, pl.record_ptr_id AS place, pl.kind_id, pl.parent_id, pl.iso_code
    FROM (SELECT DISTINCT node FROM ends) n
    JOIN records_record r ON r.id = n.node
    CROSS JOIN LATERAL unnest(r.place_ids) AS inside(id)
    JOIN records_place pl ON pl.record_ptr_id = inside.id
), countries AS (
    SELECT node, place, iso_code FROM places WHERE kind_id = 'country'
), stands AS (  -- where a party stands: its region (the place under its country), else its country
    SELECT c.node, COALESCE(region.place, c.place) AS place, c.iso_code = %s AS home
    FROM countries c LEFT JOIN places region ON region.node = c.node AND region.parent_id = c.place
), sides AS (
    SELECT DISTINCT e.rec, e.t, s.place, s.home FROM ends e JOIN stands s ON s.node = e.node
)
SELECT a.place, b.place,  -- sides are distinct by record and place: each record counts once per pair
       count(*) FILTER (WHERE a.t = 'agreement'),
       count(*) FILTER (WHERE a.t = 'event')
FROM sides a JOIN sides b ON a.rec = b.rec AND a.home AND NOT b.home
GROUP BY a.place, b.place
"""


@dataclass
class MapPlace:
    place: Place
    partnerships: int = 0  # records linking it to the other side

    @property
    def name(self) -> str:
        return pick_label(self.place.labels, self.place.label)

    @property
    def has_coordinates(self) -> bool:
        return self.place.latitude is not None

    def as_json(self, base: str) -> dict:
        place = self.place
        return {
            "id": place.pk,
            "name": self.name,
            "kind": place.kind_id,
            "iso_code": place.iso_code,
            "latitude": float(place.latitude) if place.latitude is not None else None,
            "longitude": float(place.longitude) if place.longitude is not None else None,
            "partnerships": self.partnerships,
            "web_url": base + record_url("place", place.pk),
            "url": f"{base}/api/v1/places/{place.pk}/",
        }


@dataclass
class MapLink:
    home: MapPlace
    partner: MapPlace
    agreements: int
    events: int

    @property
    def weight(self) -> int:
        return self.agreements + self.events

    def as_json(self, base: str) -> dict:
        return {
            "home": self.home.place.pk,
            "home_name": self.home.name,
            "partner": self.partner.place.pk,
            "partner_name": self.partner.name,
            "agreements": self.agreements,
            "events": self.events,
            "weight": self.weight,
        }


@dataclass
class MapData:
    places: list[MapPlace]  # with coordinates
    unplaced: list[MapPlace]  # without
    links: list[MapLink]
    links_total: int
    places_truncated: bool
    unplaced_truncated: bool
    extra: dict = field(default_factory=dict)

    @property
    def links_truncated(self) -> bool:
        return self.links_total > len(self.links)


def partnership_pairs(scope: Scope) -> list[tuple[int, int, int, int]]:
    """(Kazakh place, foreign place, agreements, events) for every pair the scope joins, heaviest first."""

    def compute():
        agreements, agreement_params = scope.ids_sql("agreement")
        events, event_params = scope.ids_sql("event")
        sql = PAIRS_SQL.format(agreements=agreements, events=events)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(ANALYTIC_WORK_MEM)
            cursor.execute(sql, (*agreement_params, *event_params, HOME_COUNTRY))
            rows = [tuple(row) for row in cursor.fetchall()]
        return sorted(rows, key=lambda row: (-(row[2] + row[3]), row[0], row[1]))

    return publication_memo("map-pairs", scope.key, compute)


def _places(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("kind").only(
        "record_type", "label", "labels", "kind__labels", "iso_code", "latitude", "longitude", "status"
    )


def map_data(scope: Scope, places_in: QuerySet) -> MapData:
    """`places_in`: the published places the map may show (the place filters applied)."""
    pairs = partnership_pairs(scope)
    weights: dict[int, int] = {}
    for home, partner, agreements, events in pairs:
        weights[home] = weights.get(home, 0) + agreements + events
        weights[partner] = weights.get(partner, 0) + agreements + events
    depth = Func("place_ids", function="cardinality", output_field=IntegerField())
    located = list(
        _places(places_in.filter(latitude__isnull=False)).order_by(depth, "label", "pk")[: MAP_PLACE_LIMIT + 1]
    )
    places_truncated = len(located) > MAP_PLACE_LIMIT
    by_id = {place.pk: MapPlace(place) for place in located[:MAP_PLACE_LIMIT]}
    drawn = pairs[:MAP_LINK_LIMIT]
    missing = {pk for row in drawn for pk in row[:2]} - set(by_id)
    if missing:
        by_id.update((place.pk, MapPlace(place)) for place in _places(Place.objects.filter(pk__in=missing)))
    for pk, item in by_id.items():
        item.partnerships = weights.get(pk, 0)
    unplaced = list(_places(places_in.filter(latitude__isnull=True)).order_by("label", "pk")[: UNPLACED_LIMIT + 1])
    links = [
        MapLink(by_id[home], by_id[partner], agreements, events)
        for home, partner, agreements, events in drawn
        if home in by_id and partner in by_id
    ]
    return MapData(
        places=sorted((p for p in by_id.values() if p.has_coordinates), key=lambda p: (-p.partnerships, p.name)),
        unplaced=[MapPlace(place, weights.get(place.pk, 0)) for place in unplaced[:UNPLACED_LIMIT]],
        links=links,
        links_total=len(pairs),
        places_truncated=places_truncated,
        unplaced_truncated=len(unplaced) > UNPLACED_LIMIT,
    )
