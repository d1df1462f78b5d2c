"""The list of one record type: filters and facets, keyset pages, and links to export what matches.

Lists are keyset-paginated (records/reads/pagination.py); totals and facets are read from counts
kept at publication, counted up to a cap, or estimated (records/reads/facets.py); a row's related
records are loaded with the page (the type's `list_select_related` / `list_prefetch_related`), never
one query per row.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from records.content.registry import RecordTypeSpec
from records.models import RecordStatus
from records.reads.facets import facets_for, list_total, shown
from records.reads.filters import filterset_for
from records.reads.pagination import BadCursor, keyset_page
from records.reads.scope import publication_memo
from records.views.public.params import SORTS, ListQuery, parse_list_query

LIST_PAGE_SIZE = 25
FACET_CACHE_SECONDS = 600
# Every export format, in the order the page offers them; a type offers JSON, CSV and its own.
EXPORT_LABELS = {
    "csv": "CSV",
    "json": "JSON",
    "geojson": "GeoJSON",
    "bibtex": "BibTeX",
    "csljson": "CSL-JSON",
}


def export_links(spec: RecordTypeSpec, filters: dict[str, str]) -> list[dict]:
    base = reverse(f"api:{spec.name}-list")
    offered = ("csv", "json", *spec.extra_formats)
    return [
        {"label": label, "url": base + "?" + urlencode({**filters, "format": fmt, "all": 1})}
        for fmt, label in EXPORT_LABELS.items()
        if fmt in offered
    ]


def cached_facets(spec: RecordTypeSpec, filters: dict[str, str], compute):
    """Facets are the costly part of a list (sampled counts per value); published data changes only
    with the publication version (records.models.publication: approvals, vocabulary labels...), so
    they are kept until it changes (or 10 minutes)."""
    return publication_memo(
        "facets", [spec.name, sorted(filters.items())], compute, language=True, seconds=FACET_CACHE_SECONDS
    )


def _filterset(spec: RecordTypeSpec, query: ListQuery, published):
    """The shared filters applied; what they refuse is dropped and said, the rest still applies."""
    filterset_class = filterset_for(spec)
    filterset = filterset_class(query.filters, queryset=published)
    if not filterset.is_valid():
        for name, errors in filterset.errors.items():
            query.problems.append(f"{name}: {' '.join(errors)}")
            query.filters.pop(name, None)
            query.params.pop(name, None)
        filterset = filterset_class(query.filters, queryset=published)
        filterset.is_valid()
    return filterset


def record_list(request, spec: RecordTypeSpec):
    query = parse_list_query(request, spec)
    published = spec.model.objects.filter(record_type=spec.name, status=RecordStatus.PUBLISHED)
    matching = _filterset(spec, query, published).qs
    status = 200
    try:
        page = keyset_page(spec.list_rows(matching), order=query.sort, cursor=query.cursor or None, size=LIST_PAGE_SIZE)
    except BadCursor:
        query.problems.append(_("That page link is not valid (it may be out of date); here is the first page."))
        query.cursor = ""
        status = 400
        page = keyset_page(spec.list_rows(matching), order=query.sort, size=LIST_PAGE_SIZE)
    counted: dict = {}  # counts sampled once, for the total and the facets
    total, exact = list_total(spec.name, filterset_for(spec), query.filters, counted, base_queryset=published)
    facets = cached_facets(
        spec,
        query.filters,
        lambda: facets_for(
            spec,
            filterset_for(spec),
            query.filters,
            base_queryset=published,
            selected_country=query.country,
            selected_place=query.place,
            counted=counted,
        ),
    )
    return render(
        request,
        "records/list.html",
        {
            "spec": spec,
            "row_templates": [f"records/row_{spec.name}.html", "records/_row.html"],
            "page": page,
            "total": total,
            "total_shown": shown(total, exact),
            "facets": facets,
            "params": query.params,
            "problems": query.problems,
            "sorts": SORTS,
            "sort": query.sort,
            "exports": export_links(spec, query.filters),
            "filtered": query.narrowed,
            "year_from": query.params.get("year_from", ""),
            "year_to": query.params.get("year_to", ""),
        },
        status=status,
    )
