"""Facets of the public lists: how many records each filter value would leave, with bounded work.

Every count honours the other active filters (a facet never filters by itself) and is capped: a
count stops at CAP + 1 rows and shows as "1000+". Nothing here counts a whole table:

- when at most CAP records match, every count is exact: vocabulary facets (kind, sphere, indicator)
  count each term of the vocabulary (a small table) among them, place facets (country, region) count
  the places of those records — one query per facet;
- when more match, each facet is counted in a sample of CAP matching records (the first by id, so a
  list always shows the same facets), and its counts are shown as lower bounds ("412+") — still one
  query per facet, whatever the size of the table. The rest of the places are reached through the
  type-ahead / id field, never by listing the places table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Count, Func, IntegerField, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from records.content.languages import current_language, label_language
from records.models import Place
from records.models.base import pick_label

CAP = 1000
TOP = 8  # facet values shown at once; vocabulary facets fold the rest under "more"


def capped_count(queryset: QuerySet) -> int:
    """How many rows `queryset` has, counting no further than CAP + 1."""
    return queryset.order_by()[: CAP + 1].count()


def show_count(count: int) -> str:
    return f"{CAP}+" if count > CAP else str(count)


@dataclass
class FacetValue:
    value: str  # the query-string value that selects it
    label: str
    count: int
    selected: bool = False
    lang: str = ""  # language of the label when it is not the page's
    partial: bool = False  # counted in a sample: at least this many

    @property
    def shown_count(self) -> str:
        return f"{self.count}+" if self.partial else show_count(self.count)


@dataclass
class Facet:
    name: str  # the query parameter
    title: str
    values: list[FacetValue] = field(default_factory=list)
    more: list[FacetValue] = field(default_factory=list)
    selected: FacetValue | None = None
    typeahead: bool = False  # a place facet: top values plus a free field for the rest


def _cardinality(subquery: QuerySet) -> Func:
    return Func(ArraySubquery(subquery), function="cardinality", output_field=IntegerField())


def _sample(base: QuerySet) -> QuerySet:
    """At most CAP of `base`'s records, the first by id (an index order)."""
    return base.order_by("pk").values("pk")[:CAP]


def vocabulary_facet(
    name: str, title, base: QuerySet, vocabulary, lookup: str, selected: str | None, *, total: int
) -> Facet:
    """Each term of `vocabulary` with the number of `base` records whose `lookup` is that term —
    exact when `base` has at most CAP records, else a lower bound counted in a sample of CAP."""
    partial = total > CAP
    if partial:
        counted = dict(
            base.model.objects.filter(pk__in=_sample(base)).order_by().values_list(lookup).annotate(n=Count("pk"))
        )
        terms = list(vocabulary.objects.order_by("position", "code"))
        hits = {term.code: counted.get(term.code, 0) for term in terms}
    else:
        matching = base.filter(**{lookup: OuterRef("code")}).order_by().values("pk")[: CAP + 1]
        terms = list(vocabulary.objects.annotate(hits=_cardinality(matching)).order_by("position", "code"))
        hits = {term.code: term.hits for term in terms}
    values = [
        FacetValue(term.code, term.label, hits[term.code], selected=term.code == selected, partial=partial)
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


def _sample_place_counts(base: QuerySet, kind_sql: str, kind_params: list) -> list[tuple[int, int]]:
    """(place id, hits) of the places of kind `kind_sql` among the first CAP records of `base`."""
    # A deterministic sample (by id, an index order), so the same list always shows the same facets.
    sample_sql, sample_params = base.order_by("pk").values("place_ids")[:CAP].query.sql_with_params()
    sql = f"""
        SELECT u.pid, count(*) AS hits
        FROM (SELECT unnest(s.place_ids) AS pid FROM ({sample_sql}) s) u
        JOIN records_place p ON p.record_ptr_id = u.pid
        JOIN records_record r ON r.id = u.pid AND r.status = 'published'
        WHERE {kind_sql}
        GROUP BY u.pid ORDER BY hits DESC, u.pid LIMIT {TOP}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sample_params, *kind_params])
        return cursor.fetchall()


def place_facet(
    name: str,
    title,
    base: QuerySet,
    *,
    total: int,
    kind_sql: str,
    kind_params: list,
    selected: Place | None,
    value_of: Callable[[Place], str],
) -> Facet:
    """The places (of one level: countries, or first-level regions) most of `base` is about."""
    counted = _sample_place_counts(base, kind_sql, kind_params)
    ids = [pk for pk, _hits in counted]
    places = {p.pk: p for p in Place.objects.filter(pk__in=ids).only("label", "labels", "iso_code")} if ids else {}
    partial = total > CAP  # the sample saw only part of the matches: its counts are lower bounds
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
                partial=partial,
            )
        )
    facet = Facet(name, title, values, typeahead=True)
    if selected is not None:
        facet.selected = next((v for v in values if v.selected), None)
        if facet.selected is None:
            label, lang = _place_label(selected)
            facet.selected = FacetValue(value_of(selected), label, 0, selected=True, lang=lang)
    return facet


COUNTRY_KIND = ("p.kind_id = %s", ["country"])
# First-level divisions: places whose parent is a country (oblasts, krais, republics, voivodeships...).
REGION_KIND = (
    "EXISTS (SELECT 1 FROM records_place pp WHERE pp.record_ptr_id = p.parent_id AND pp.kind_id = %s)",
    ["country"],
)

# (query parameter, model field, lookup of its code): the vocabulary facets a type has, if it has the field.
VOCABULARY_FACETS = [
    ("kind", "kind", "kind_id"),
    ("sphere", "spheres", "spheres__code"),
    ("indicator", "indicator", "indicator_id"),
]

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
    total: int,
    base_queryset: QuerySet,
    selected_country: Place | None,
    selected_place: Place | None,
) -> list[Facet]:
    """The facets of one record type's list, each computed with every other active filter applied."""

    cache: dict[tuple, QuerySet] = {}

    def without(name: str) -> QuerySet:
        """The list's records with every active filter except `name`'s."""
        subset = {key: value for key, value in params.items() if key != name and value}
        key = tuple(sorted(subset.items()))
        if key not in cache:
            filterset = filterset_class(subset, queryset=base_queryset)
            cache[key] = filterset.qs if filterset.is_valid() else base_queryset.none()
        return cache[key]

    def total_without(name: str) -> int:
        return total if not params.get(name) else capped_count(without(name))

    fields = {f.name for f in spec.model._meta.get_fields()}
    facets: list[Facet] = []
    for name, field_name, lookup in VOCABULARY_FACETS:
        if field_name in fields:
            vocabulary = spec.model._meta.get_field(field_name).related_model
            facets.append(
                vocabulary_facet(
                    name,
                    FACET_TITLES[name],
                    without(name),
                    vocabulary,
                    lookup,
                    params.get(name),
                    total=total_without(name),
                )
            )
    if spec.place_facets:
        for name, (kind_sql, kind_params), selected, value_of in (
            ("country", COUNTRY_KIND, selected_country, lambda place: place.iso_code or str(place.pk)),
            ("place", REGION_KIND, selected_place, lambda place: str(place.pk)),
        ):
            facets.append(
                place_facet(
                    name,
                    FACET_TITLES[name],
                    without(name),
                    total=total_without(name),
                    kind_sql=kind_sql,
                    kind_params=kind_params,
                    selected=selected,
                    value_of=value_of,
                )
            )
    return facets
