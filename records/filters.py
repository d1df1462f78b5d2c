"""Filters shared by the HTML lists and the API (one FilterSet per type, written once on a base).

`q` searches; `place` and `country` match records about a place or anything inside it (via the
derived `place_ids`); `date_after`/`date_before` overlap the EDTF bounds; `kind`, `sphere`,
`indicator` by vocabulary code; `source` by a cited source's id.
"""

from __future__ import annotations

import django_filters as df
from django.db.models import Exists, OuterRef, Q, QuerySet

from records.models import Citation, Place
from records.registry import RecordTypeSpec
from records.search import search_filter


class RecordFilterSet(df.FilterSet):
    q = df.CharFilter(method="filter_q", max_length=200, help_text="Words or names to search for")
    place = df.NumberFilter(
        method="filter_place", min_value=1, help_text="Id of a place: records about it or inside it"
    )
    country = df.CharFilter(
        method="filter_country", max_length=60, help_text="ISO 3166-1 code (e.g. KZ, RU) or id of a country"
    )
    date_after = df.DateFilter(method="filter_date_after", help_text="Period ends on or after this day (YYYY-MM-DD)")
    date_before = df.DateFilter(method="filter_date_before", help_text="Period starts on or before this day")
    updated_after = df.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    source = df.NumberFilter(method="filter_source", min_value=1, help_text="Id of a source the record cites")

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_filter(queryset, value)

    def filter_place(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(place_ids__contains=[int(value)])

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if value.isdigit():
            return queryset.filter(place_ids__contains=[int(value)])
        country = (
            Place.objects.filter(iso_code=value.upper(), kind="country", status="published")
            .values_list("pk", flat=True)
            .first()
        )
        return queryset.filter(place_ids__contains=[country]) if country else queryset.none()

    def filter_date_after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(date_upper__gte=value) | (Q(date_upper__isnull=True) & ~Q(date="")))

    def filter_date_before(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(date_lower__lte=value) | (Q(date_lower__isnull=True) & ~Q(date="")))

    def filter_sphere(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        through = queryset.model.spheres.through
        return queryset.filter(Exists(through.objects.filter(agreement_id=OuterRef("pk"), sphere_id=value)))

    def filter_source(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Exists(Citation.objects.filter(record=OuterRef("pk"), source_id=int(value))))


def filterset_for(spec: RecordTypeSpec) -> type[RecordFilterSet]:
    """The type's FilterSet: the shared filters plus `kind` and the type's own vocabulary filters."""
    cached = spec.extras.get("filterset")
    if cached is not None:
        return cached
    attrs: dict = {}
    field_names = {f.name for f in spec.model._meta.get_fields()}
    if "kind" in field_names:
        attrs["kind"] = df.CharFilter(field_name="kind_id", help_text="Code of the kind")
    if "spheres" in field_names:
        # EXISTS rather than a join: a join needs DISTINCT over every selected column, which at a million
        # records sorts all the matches on disk before the first page can be cut (see README, Benchmarks).
        attrs["sphere"] = df.CharFilter(method="filter_sphere", help_text="Code of a sphere")
    if "indicator" in field_names:
        attrs["indicator"] = df.CharFilter(field_name="indicator_id", help_text="Code of the indicator")
    meta = type("Meta", (), {"model": spec.model, "fields": []})
    cls = type(f"{spec.name.capitalize()}FilterSet", (RecordFilterSet,), {**attrs, "Meta": meta})
    spec.extras["filterset"] = cls
    return cls
