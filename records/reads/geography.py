"""The map: places with coordinates, and the partnerships between Kazakhstan's regions and regions
abroad as links weighted by the number of agreements and events.

Each party or participant of a matching agreement or event stands at its region — the place in its
`place_ids` whose parent is its country — or, when it has none (a ministry, a country as a party), at
its country. A link joins a Kazakh side and a foreign side of the same record; its weight is the
number of records that join them. Each published record's pairs, and their totals, are kept at
publication (records/models/views.py, by triggers): the unfiltered map reads the totals; a country
(with dates, kind, sphere, type) sums that country's pairs — a pair counts when its foreign side is in
the country, which for a record with parties in three countries is narrower than the lists' `country`
(any party there); any other filter draws the links from a sample of the matching records, and says
so (`sampled`). Kept until the next publication; the places are read per request (their names are in
the reader's language).

Bounded: at most MAP_PLACE_LIMIT places with coordinates (the largest first: countries, then
regions...), MAP_LINK_LIMIT links (the heaviest), UNPLACED_LIMIT places without coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Func, IntegerField, QuerySet

from records.models import Place
from records.models.base import pick_label, record_url
from records.reads.scope import Scope, publication_memo

HOME_COUNTRY = "KZ"
MAP_PLACE_LIMIT = 300
MAP_LINK_LIMIT = 200
UNPLACED_LIMIT = 100

# Filters the kept pairs (records/models/views.py) answer exactly, with the partner's country given:
# at most one country's pairs are read. Any other filter, or dates without a country, is answered
# from the pairs of at most SAMPLE_RECORDS matching records of each type (`MapData.sampled`).
PAIR_FILTERS = {"country", "date_after", "date_before", "kind", "sphere"}
SAMPLE_RECORDS = 5000

TOTALS_SQL = """
SELECT home_id, partner_id, agreements, events FROM records_mappairtotal WHERE agreements + events > 0
"""
PAIRS_SQL = """
SELECT home_id, partner_id, count(*) FILTER (WHERE NOT is_event) AS agreements,
       count(*) FILTER (WHERE is_event) AS events
FROM records_mappair p WHERE {where} GROUP BY home_id, partner_id
"""
# A sphere: an agreement's own, an event's through the agreements signed at it (as the lists filter).
SPHERE_SQL = """(CASE WHEN p.is_event THEN EXISTS (
    SELECT FROM records_event_agreement ea JOIN records_agreement_sphere s ON s.agreement_id = ea.agreement_id
    WHERE ea.event_id = p.record_id AND s.sphere_id = ANY(%s))
  ELSE EXISTS (
    SELECT FROM records_agreement_sphere s WHERE s.agreement_id = p.record_id AND s.sphere_id = ANY(%s)) END)"""


@dataclass
class MapPlace:
    place: Place
    partnerships: int = 0  # records linking it to the other side

    @cached_property
    def name(self) -> str:
        return pick_label(self.place.labels, self.place.label)

    @cached_property
    def url(self) -> str:
        return record_url("place", self.place.pk)

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
            "web_url": base + self.url,
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
    sampled: int | None = None  # the links were drawn from this many of the matching records (a cut)

    @property
    def links_truncated(self) -> bool:
        return self.links_total > len(self.links)


def country_id(value) -> int | None:
    """The id of the published country with this ISO code (kept until the next publication)."""
    if isinstance(value, int):
        return value
    return publication_memo(
        "country-id",
        value,
        lambda: (
            Place.objects.filter(iso_code=value, kind="country", status="published")
            .values_list("pk", flat=True)
            .first()
        ),
    )


def _kept_pairs_where(scope: Scope) -> tuple[str, list] | None:
    """The condition on the kept pairs that selects the scope's, when the filters allow it (see PAIR_FILTERS)."""
    filters = scope.filters
    if set(filters) - PAIR_FILTERS or "country" not in filters:
        return None
    country = country_id(filters["country"])
    home = country_id(HOME_COUNTRY)
    if country is None:
        return "false", []
    if country == home:  # every pair has a Kazakh side: all of them would be read, a sample is bounded
        return None
    where, params = ["p.partner_country_id = %s"], [country]
    if scope.types != ["agreement", "event"]:
        where.append("p.is_event = %s")
        params.append(scope.types == ["event"])
    kept_conditions(
        filters, "p", where, params, before="(p.date_lower <= %s OR (p.date_lower IS NULL AND p.date <> ''))"
    )
    return " AND ".join(where), params


def kept_conditions(filters: dict, alias: str, where: list[str], params: list, *, before: str) -> None:
    """Add the conditions of the kind, date and sphere filters on rows kept at publication (map pairs `p`,
    timeline items `t`: both carry kind_id, date, date_lower, date_upper, is_event and record_id) to
    `where` and `params`; `before` is the table's own condition for `date_before`."""
    if filters.get("kind"):
        where.append(f"{alias}.kind_id = ANY(%s)")
        params.append(list(filters["kind"]))
    if filters.get("date_after"):
        where.append(f"({alias}.date_upper >= %s OR ({alias}.date_upper IS NULL AND {alias}.date <> ''))")
        params.append(filters["date_after"].lower)
    if filters.get("date_before"):
        where.append(before)
        params.append(filters["date_before"].upper)
    if filters.get("sphere"):
        spheres = [getattr(sphere, "pk", sphere) for sphere in filters["sphere"]]
        where.append(SPHERE_SQL.replace("p.", f"{alias}."))
        params.extend([spheres, spheres])


@dataclass
class Pairs:
    drawn: list[
        tuple[int, int, int, int]
    ]  # the MAP_LINK_LIMIT heaviest: (Kazakh place, foreign place, agreements, events)
    total: int  # pairs in all
    weights: dict[int, int]  # records joining each place to the other side
    sampled: int | None  # None, or the number of records they were drawn from (a sample: PAIR_FILTERS)


# The heaviest pairs with the number of pairs, and every place's weight, in one statement over {pairs}.
SUMMARY_SQL = """
WITH pairs AS MATERIALIZED ({pairs})
SELECT * FROM (
    SELECT true, home_id, partner_id, agreements, events, (SELECT count(*) FROM pairs) FROM pairs
    ORDER BY agreements + events DESC, home_id, partner_id LIMIT %s
) AS drawn
UNION ALL
SELECT false, place, NULL, sum(weight), NULL, NULL FROM (
    SELECT home_id AS place, agreements + events AS weight FROM pairs
    UNION ALL SELECT partner_id, agreements + events FROM pairs
) AS ends GROUP BY place
"""


def partnership_pairs(scope: Scope) -> Pairs:
    """The pairs the scope joins, read from the pairs kept at publication (records/models/views.py):
    their totals unfiltered, a country's pairs, or the pairs of a sample of the matching records."""

    def compute():
        sampled = None
        if scope.unfiltered or scope.filters == {"country": HOME_COUNTRY}:  # every pair has a Kazakh side
            sql, params = TOTALS_SQL, []
        else:
            kept = _kept_pairs_where(scope)
            if kept is not None:
                sql, params = PAIRS_SQL.format(where=kept[0]), kept[1]
            else:
                records, sampled = scope.sample(SAMPLE_RECORDS)
                sql, params = PAIRS_SQL.format(where="p.record_id = ANY(%s)"), [records]
        drawn, weights, total = [], {}, 0
        with connection.cursor() as cursor:
            cursor.execute(SUMMARY_SQL.format(pairs=sql), [*params, MAP_LINK_LIMIT])
            for is_pair, a, b, agreements, events, count in cursor.fetchall():
                if is_pair:
                    drawn.append((a, b, agreements, events))
                    total = count
                else:
                    weights[a] = int(agreements)
        return Pairs(drawn, total, weights, sampled)

    return publication_memo("map-pairs", scope.key, compute)


def _places(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("kind").only(
        "record_type", "label", "labels", "kind__labels", "iso_code", "latitude", "longitude", "status"
    )


def map_data(scope: Scope, places_in: QuerySet) -> MapData:
    """`places_in`: the published places the map may show (the place filters applied)."""
    pairs = partnership_pairs(scope)
    weights = pairs.weights
    depth = Func("place_ids", function="cardinality", output_field=IntegerField())
    located = list(
        _places(places_in.filter(latitude__isnull=False)).order_by(depth, "label", "pk")[: MAP_PLACE_LIMIT + 1]
    )
    places_truncated = len(located) > MAP_PLACE_LIMIT
    by_id = {place.pk: MapPlace(place) for place in located[:MAP_PLACE_LIMIT]}
    drawn = pairs.drawn
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
        links_total=pairs.total,
        places_truncated=places_truncated,
        unplaced_truncated=len(unplaced) > UNPLACED_LIMIT,
        sampled=pairs.sampled,
    )
