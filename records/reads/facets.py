"""Facets of the public lists: how many records each filter value would leave — read from counts
kept at publication, or estimated; never a whole table counted.

Every count honours the other active filters (a facet never filters by itself):

- with no other filter active, the counts are read from FacetCount, which triggers keep at
  publication and withdrawal (records/models/search.py): exact, whatever the size of the table;
- otherwise the first CAP + 1 records the other filters leave are read in whatever order the planner
  finds cheapest (the indexes of the filters): when at most CAP match, their facet keys are counted,
  exactly. When more match, the keys are counted in a uniform sample of them — the matches whose
  id hashes into the first fraction of the hash values (the index record_type_search_order) — and scaled
  by that fraction (`matches_sample`). Those counts are estimates and show as such ("≈1,200").

The work per set is bounded whatever the filters leave (`matches_sample`).

One query per distinct set of other filters (two or three for a large set), plus the vocabularies'
terms and, for counts read from FacetCount, the top places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from portal.replicas import read_connection
from records.content.languages import current_language, label_language
from records.models import FacetCount, Place, Record
from records.models.base import RecordStatus, pick_label
from records.models.search import VOCABULARY_FACETS
from records.reads.search import HASH_KEY, HASH_VALUES, WALK, WINDOW_ORDER, hash_bound, published_total

CAP = 1000
TOP = 8  # facet values shown at once; vocabulary facets fold the rest under "more"
# The sample: the records whose id hashes (hashint8, as search's order; index record_type_search_order) into
# the first `fraction` of the 2**32 values of an int4, which spreads the ids evenly over them.
SAMPLE_KEY = HASH_KEY
SAMPLE_ENOUGH = 400  # matches in hash order that make a sample worth counting on (relative error about 5%)
SAMPLE_FEWEST = 50  # fewer matches than this in the walk's whole range: count them all instead
SAMPLE_MOST = 20 * CAP  # matches counted at most when a walk found too few


@dataclass
class Sample:
    """The facet keys' counts among a list's records: all of them (fraction 1), or a uniform share."""

    counts: dict[str, int]
    sampled: int  # records in the sample
    fraction: float
    complete: bool = True  # False only if the last step still met more than SAMPLE_MOST matches

    @property
    def exact(self) -> bool:
        return self.fraction >= 1 and self.complete

    @property
    def total(self) -> int:
        return round(self.sampled / self.fraction)


def matches_sample(matching: QuerySet) -> Sample:
    """The counts among all of `matching`'s records when at most CAP match, else among a uniform
    sample of them.

    1. The first CAP + 1 matches in whatever order the filters' indexes give them: all of them, when
       at most CAP match — cheap however selective the filters are.
    2. Else the first SAMPLE_ENOUGH matches in hash order (the k-minimum-values sample), walking at
       most the WALK records whose ids hash lowest; a walk that meets the bound first has sampled
       every match in that share of the hash values instead.
    3. A walk that met fewer than SAMPLE_FEWEST matches: the set is sparse, so it is counted whole
       (at most SAMPLE_MOST), in the filters' index order.

    The work is bounded in each case, unlike a walk in hash order alone, which reads the whole table
    for filters that leave few records."""
    if matching.query.is_empty():  # a filter that can match nothing (an unknown country)
        return Sample({}, 0, 1.0)
    counts, sampled, _ = _keys_counted(matching, CAP + 1)
    if sampled <= CAP:
        return Sample(counts, sampled, 1.0)
    bound = min(1.0, WALK / max(1, published_total()))
    walk = matching if bound >= 1 else matching.filter(LessThan(SAMPLE_KEY, hash_bound(bound)))
    counts, sampled, last = _keys_counted(walk, SAMPLE_ENOUGH, ordered=True)
    if sampled >= SAMPLE_ENOUGH:  # the lowest SAMPLE_ENOUGH hashes stand for their share of the values
        return Sample(counts, sampled, (last + HASH_VALUES // 2 + 1) / HASH_VALUES)
    if sampled >= SAMPLE_FEWEST:
        return Sample(counts, sampled, bound)
    counts, sampled, _ = _keys_counted(matching, SAMPLE_MOST + 1)
    return Sample(counts, min(sampled, SAMPLE_MOST), 1.0, complete=sampled <= SAMPLE_MOST)


def _keys_counted(matching: QuerySet, limit: int, *, ordered: bool = False) -> tuple[dict[str, int], int, int]:
    """How many of (the first `limit` of) `matching`'s records have each facet key, how many records
    that is, and — `ordered`: taken in hash order — the highest hash among them; counted in the
    database."""
    rows = matching.order_by(*WINDOW_ORDER) if ordered else matching.order_by()
    rows = rows.annotate(sample_key=SAMPLE_KEY).values("facet_keys", "sample_key")
    sql, params = rows[:limit].query.sql_with_params()
    with read_connection().cursor() as cursor:
        cursor.execute(
            f"""
            WITH sample AS MATERIALIZED ({sql})
            SELECT key, count(*) FROM sample, unnest(sample.facet_keys) AS key GROUP BY key
            UNION ALL SELECT '', count(*) FROM sample
            UNION ALL SELECT 'last', coalesce(max(sample_key), 0) FROM sample
            """,
            params,
        )
        counts = dict(cursor.fetchall())
    return counts, counts.pop("", 0), counts.pop("last", 0)


def type_total(record_type: str) -> int:
    """How many records of a type are published (kept at publication in FacetCount)."""
    return FacetCount.objects.filter(record_type=record_type, key="all").values_list("count", flat=True).first() or 0


def shown(count: int, exact: bool) -> str:
    """A count as shown: "12", or "≈12,000" when it is an estimate."""
    return str(count) if exact else f"≈{count:,}"


def capped_count(queryset: QuerySet) -> int:
    """How many rows `queryset` has, counting no further than CAP + 1."""
    return queryset.order_by()[: CAP + 1].count()


# Filters that read a column of the type's own table (records_agreement...); every other filter reads
# records_record or a subquery keyed by the record's id.
OWN_TABLE_FILTERS = frozenset({"kind", "indicator", "has_coordinates"})


def counted_records(record_type: str, filterset_class, params: dict[str, str], base_queryset: QuerySet) -> QuerySet:
    """The published records of a type that `params` leave, to be counted: on records_record alone when
    no active filter reads the type's own table, so that the planner need not join that table to the
    sample (it would hash the whole of it, every agreement at a million, to count the first thousand)."""
    if not OWN_TABLE_FILTERS.intersection(name for name, value in params.items() if value):
        base_queryset = Record.objects.filter(record_type=record_type, status=RecordStatus.PUBLISHED)
    filterset = filterset_class(params, queryset=base_queryset)
    return filterset.qs if filterset.is_valid() else base_queryset.none()


def list_total(
    record_type: str, filterset_class, params: dict[str, str], counted: dict, *, base_queryset: QuerySet
) -> tuple[int, bool]:
    """How many records a list has, and whether that is exact: read from FacetCount when no filter
    is active; counted when at most CAP match; else estimated from a sample (`matches_sample`). The
    counts of that sample go into `counted`, where the facets (`facets_for`) find them."""
    active = filters_key(params)
    if not active:
        return type_total(record_type), True
    if active not in counted:
        counted[active] = sampled_counts(counted_records(record_type, filterset_class, dict(active), base_queryset))
    return counted[active].total, counted[active].exact


def filters_key(params: dict[str, str], without: str = "") -> tuple:
    """The active filters (but `without`), as the key of their counts."""
    return tuple(sorted((key, value) for key, value in params.items() if key != without and value))


@dataclass
class FacetValue:
    value: str  # the query-string value that selects it
    label: str
    count: int
    selected: bool = False
    lang: str = ""  # language of the label when it is not the page's
    estimated: bool = False  # scaled from a sample: about this many

    @property
    def shown_count(self) -> str:
        return shown(self.count, not self.estimated)


@dataclass
class Facet:
    name: str  # the query parameter
    title: str
    values: list[FacetValue] = field(default_factory=list)
    more: list[FacetValue] = field(default_factory=list)
    selected: FacetValue | None = None
    typeahead: bool = False  # a place facet: top values plus a free field for the rest


@dataclass
class KeyCounts:
    """How many of a set of records have each facet key ("kind:<code>", "place:<id>"...)."""

    counts: dict[str, int]
    exact: bool
    total: int = 0  # how many records (estimated unless exact)
    # The top places of each level ("country", "region"): (place id, count), most first.
    places: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


COUNTRY_KIND = "p.kind_id = 'country'"
# First-level divisions: places whose parent is a country (oblasts, krais, republics, voivodeships...).
REGION_KIND = "EXISTS (SELECT 1 FROM records_place pp WHERE pp.record_ptr_id = p.parent_id AND pp.kind_id = 'country')"
PLACE_LEVELS = {"country": COUNTRY_KIND, "region": REGION_KIND}


def _top_places(cursor, counted_sql: str, params: list) -> dict[str, list[tuple[int, int]]]:
    """The TOP published places of each level among `counted_sql`'s (key, n) rows, most first: one
    query for the levels together (`counted_sql` inlined in each, so that the planner can look the
    places' keys up in FacetCount's index rather than read every place key of the type)."""
    parts = [
        f"""(SELECT '{level}', p.record_ptr_id, c.n
            FROM ({counted_sql}) c
            JOIN records_place p ON c.key = 'place:' || p.record_ptr_id
            JOIN records_record r ON r.id = p.record_ptr_id AND r.status = 'published'
            WHERE c.n > 0 AND {kind_sql}
            ORDER BY c.n DESC, p.record_ptr_id LIMIT {TOP})"""
        for level, kind_sql in PLACE_LEVELS.items()
    ]
    cursor.execute(" UNION ALL ".join(parts), params * len(parts))
    places: dict[str, list[tuple[int, int]]] = {level: [] for level in PLACE_LEVELS}
    for level, pk, n in cursor.fetchall():
        places[level].append((pk, n))
    return places


def stored_counts(record_type: str, *, with_places: bool) -> KeyCounts:
    """The counts of every published record of a type, as kept at publication (exact)."""
    counts = dict(
        FacetCount.objects.filter(record_type=record_type, count__gt=0)
        .exclude(key__startswith="place:")
        .values_list("key", "count")
    )
    places = {}
    if with_places:
        with read_connection().cursor() as cursor:
            places = _top_places(
                cursor,
                "SELECT key, count AS n FROM records_facetcount WHERE record_type = %s AND key LIKE 'place:%%'",
                [record_type],
            )
    return KeyCounts(counts, True, counts.get("all", 0), places)


def sampled_counts(base: QuerySet) -> KeyCounts:
    """The counts of `base`'s records: exact when at most CAP match, else scaled from a uniform
    sample of them (`matches_sample`)."""
    if base.query.is_empty():
        return KeyCounts({}, True, 0)
    sample = matches_sample(base)
    counts, exact = sample.counts, sample.exact
    if sample.fraction < 1:
        counts = {key: max(1, round(n / sample.fraction)) for key, n in counts.items()}
    places: dict[str, list[tuple[int, int]]] = {}
    place_counts = {key: n for key, n in counts.items() if key.startswith("place:")}
    if place_counts:
        with read_connection().cursor() as cursor:
            places = _top_places(
                cursor,
                "SELECT key, n FROM unnest(%s::text[], %s::int[]) AS c(key, n)",
                [list(place_counts), list(place_counts.values())],
            )
    vocabulary = {key: n for key, n in counts.items() if not key.startswith("place:")}
    return KeyCounts(vocabulary, exact, sample.total, places)


def vocabulary_facet(name: str, title, vocabulary, counted: KeyCounts, selected: str | None) -> Facet:
    """Each term of `vocabulary` with the number of records having it (see KeyCounts)."""
    terms = list(vocabulary.objects.order_by("position", "code"))
    hits = {term.code: counted.counts.get(f"{name}:{term.code}", 0) for term in terms}
    values = [
        FacetValue(term.code, term.label, hits[term.code], selected=term.code == selected, estimated=not counted.exact)
        for term in terms
        if hits[term.code] or term.code == selected
    ]
    values.sort(key=lambda v: (not v.selected, -v.count, v.label.lower()))
    facet = Facet(name, title, values[:TOP], values[TOP:])
    facet.selected = next((v for v in values if v.selected), None)
    return facet


def _place_label(place) -> tuple[str, str]:
    """The place's label in the reader's language, and the label's language when it is another."""
    lang = label_language(place.labels)
    return pick_label(place.labels, place.label), "" if lang == current_language() else lang


def place_facet(
    name: str,
    title,
    counted: list[tuple[int, int]],
    *,
    exact: bool,
    selected: Place | None,
    value_of: Callable[[Place], str],
) -> Facet:
    """The places (of one level: countries, or first-level regions) most of the records are about."""
    ids = [pk for pk, _hits in counted]
    places = {p.pk: p for p in Place.objects.filter(pk__in=ids).only("label", "labels", "iso_code")} if ids else {}
    values = []
    for pk, hits in counted:
        place = places.get(pk)
        if place is None:
            continue
        label, lang = _place_label(place)
        values.append(
            FacetValue(
                value_of(place),
                label,
                hits,
                selected=selected is not None and pk == selected.pk,
                lang=lang,
                estimated=not exact,
            )
        )
    facet = Facet(name, title, values, typeahead=True)
    if selected is not None:
        facet.selected = next((v for v in values if v.selected), None)
        if facet.selected is None:
            label, lang = _place_label(selected)
            facet.selected = FacetValue(value_of(selected), label, 0, selected=True, lang=lang)
    return facet


# (query parameter, model field): the vocabulary facets a type has, if it has the field. The
# parameter is also the prefix of the facet keys (records/workflow/indexing.py).
FACET_TITLES = {
    "kind": _("Kind"),
    "sphere": _("Sphere"),
    "indicator": _("Indicator"),
    "country": _("Country"),
    "place": _("Region"),
}


def facets_for(
    spec,
    filterset_class,
    params: dict[str, str],
    *,
    base_queryset: QuerySet,
    selected_country: Place | None,
    selected_place: Place | None,
    counted: dict[tuple, KeyCounts] | None = None,
) -> list[Facet]:
    """The facets of one record type's list, each computed with every other active filter applied
    (`counted`: counts already made for some sets of filters, by `filters_key`)."""

    cache = {} if counted is None else counted

    def counts_without(name: str) -> KeyCounts:
        """The counts of the list's records with every active filter except `name`'s."""
        key = filters_key(params, without=name)
        subset = dict(key)
        if key not in cache:
            if not subset:
                cache[key] = stored_counts(spec.name, with_places=spec.place_facets)
            else:
                cache[key] = sampled_counts(counted_records(spec.name, filterset_class, subset, base_queryset))
        return cache[key]

    fields = {f.name for f in spec.model._meta.get_fields()}
    facets: list[Facet] = []
    for name, field_name in VOCABULARY_FACETS:
        if field_name in fields:
            vocabulary = spec.model._meta.get_field(field_name).related_model
            facets.append(
                vocabulary_facet(name, FACET_TITLES[name], vocabulary, counts_without(name), params.get(name))
            )
    if spec.place_facets:
        for name, level, selected, value_of in (
            ("country", "country", selected_country, lambda place: place.iso_code or str(place.pk)),
            ("place", "region", selected_place, lambda place: str(place.pk)),
        ):
            counted = counts_without(name)
            facets.append(
                place_facet(
                    name,
                    FACET_TITLES[name],
                    counted.places.get(level, []),
                    exact=counted.exact,
                    selected=selected,
                    value_of=value_of,
                )
            )
    return facets
