"""/map/, /timeline/ and /network/: the published partnerships drawn, each page with its table (what
readers without JavaScript and screen readers use, and what the drawing is made from) and links to
the same data in the API. The query parameters are the lists' (`q`, `country`, `place`, `kind`,
`sphere`, `year_from`, `year_to`) and `type`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from records.content.registry import registry
from records.models import AgreementKind, EventKind, Sphere
from records.models.base import pick_label
from records.reads.geography import HOME_COUNTRY, map_data
from records.reads.network import network
from records.reads.scope import PARTNERSHIP_TYPES, BadFilters, partnership_scope, places_scope
from records.reads.timeline import timeline
from records.views.public.params import ListQuery, parse_list_query, text_param

FORMATS = {
    "map": (("json", "JSON"), ("geojson", "GeoJSON"), ("csv", "CSV")),
    "timeline": (("json", "JSON"), ("csv", "CSV")),
    "network": (("json", "JSON"), ("gexf", "GEXF"), ("graphml", "GraphML"), ("csv", "CSV")),
}


def _query(request) -> ListQuery:
    query = parse_list_query(request, registry.get("agreement"))
    kind = text_param(request, "type", 20)
    if kind in PARTNERSHIP_TYPES:
        query.params["type"] = query.filters["type"] = kind
    return query


def _scope(query: ListQuery):
    """The scope of the query; a filter the FilterSets refuse is dropped and said, the rest applies."""
    try:
        return partnership_scope(query.filters), places_scope(query.filters)
    except BadFilters as exc:
        for name, errors in exc.errors.items():
            query.problems.append(f"{name}: {' '.join(errors)}")
            query.filters.pop(name, None)
            query.params.pop(name, None)
        return partnership_scope(query.filters), places_scope(query.filters)


def _choices(model) -> list[tuple[str, str]]:
    terms = model.objects.filter(active=True).order_by("position", "code").only("code", "labels")
    return [(term.code, pick_label(term.labels, term.code)) for term in terms]


def _context(view: str, query: ListQuery) -> dict:
    api = reverse(f"api:{view}")
    return {
        "view": view,
        "params": query.params,
        "problems": query.problems,
        "filtered": query.narrowed or bool(query.params.get("type")),
        "year_from": query.params.get("year_from", ""),
        "year_to": query.params.get("year_to", ""),
        "country": query.country,
        "place": query.place,
        "kinds": [("agreement", _choices(AgreementKind)), ("event", _choices(EventKind))],
        "spheres": _choices(Sphere),
        "api_links": [
            {"label": label, "url": api + "?" + urlencode({**query.filters, "format": fmt})}
            for fmt, label in FORMATS[view]
        ],
    }


def map_page(request):
    query = _query(request)
    scope, places = _scope(query)
    data = map_data(scope, places)
    context = _context("map", query)
    context.update(
        data=data,
        home_country=HOME_COUNTRY,
        tile_url=settings.MAP_TILE_URL,
        tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    )
    return render(request, "views/map.html", context)


def _view_page(view: str, read):
    """A view's page: its data read for the filters, drawn by views/<view>.html."""

    def page(request):
        query = _query(request)
        scope, _places = _scope(query)
        context = _context(view, query)
        context["data"] = read(scope)
        return render(request, f"views/{view}.html", context)

    page.__name__ = f"{view}_page"
    return page


PAGE_TIMELINE_LIMIT = 200  # entries on the page (its table is the drawing's data); the API gives up to 2,000

timeline_page = _view_page("timeline", lambda scope: timeline(scope, PAGE_TIMELINE_LIMIT))
network_page = _view_page("network", network)
