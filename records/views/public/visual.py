"""/map/, /timeline/ and /network/: the published partnerships drawn, each page with its tables (what
readers without JavaScript and screen readers use: TABLE_ROWS rows at a time, visual_tables.py) and
links to the same data in the API, which the drawings read (the canvas's `data-src`). The query
parameters are the lists' (`q`, `country`, `place`, `kind`, `sphere`, `year_from`, `year_to`) and
`type`; each table's part is `<table>_from` (the map's `links_from`, `places_from`, the network's
`edges_from`, `nodes_from`), the timeline's `after` (a key of its walk in date order)."""

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
from records.reads.scope import PARTNERSHIP_TYPES, BadFilters, partnership_scope, places_scope, publication_memo
from records.reads.timeline import timeline
from records.views.public.params import ListQuery, parse_list_query, text_param
from records.views.public.visual_tables import (
    TABLE_ROWS,
    map_link_row,
    map_place_row,
    network_edge_row,
    network_node_row,
    offset,
    sliced,
    timeline_after,
    timeline_part,
)

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
    """The active terms of a vocabulary in the reader's language (kept until the next publication)."""

    def read():
        terms = model.objects.filter(active=True).order_by("position", "code").only("code", "labels")
        return [(term.code, pick_label(term.labels, term.code)) for term in terms]

    return publication_memo("view-choices", model._meta.model_name, read, language=True)


def _context(view: str, query: ListQuery) -> dict:
    api = reverse(f"api:{view}")
    return {
        "data_url": api + "?" + urlencode({**query.filters, "format": "json"}),
        "csv_url": api + "?" + urlencode({**query.filters, "format": "csv"}),
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


def _part(request, name: str, items: list, query: ListQuery, anchor: str, row):
    return sliced(items, offset(text_param(request, f"{name}_from", 10)), name, query.params, anchor, row)


def map_page(request):
    query = _query(request)
    scope, places = _scope(query)
    data = map_data(scope, places)
    context = _context("map", query)
    context.update(
        data=data,
        links=_part(request, "links", data.links, query, "links-title", map_link_row),
        places=_part(request, "places", data.places, query, "places-title", map_place_row),
        home_country=HOME_COUNTRY,
        tile_url=settings.MAP_TILE_URL,
        tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    )
    return render(request, "views/map.html", context)


def network_page(request):
    query = _query(request)
    scope, _places = _scope(query)
    data = network(scope)
    context = _context("network", query)
    context.update(
        data=data,
        edges=_part(request, "edges", data.edges, query, "edges-title", network_edge_row),
        nodes=_part(request, "nodes", data.nodes, query, "nodes-title", network_node_row),
    )
    return render(request, "views/network.html", context)


PAGE_COUNT_CAP = 1000  # the page counts its matches up to this many per type (the API up to 5,000)
DRAWN = 200  # entries the timeline's drawing reads from the API (the earliest; the table walks them all)


def timeline_page(request):
    """TABLE_ROWS entries in date order, after the key in `after` (the next rows' link gives it)."""
    query = _query(request)
    scope, _places = _scope(query)
    after = timeline_after(text_param(request, "after", 200))
    data = timeline(scope, TABLE_ROWS, after=after, cap=PAGE_COUNT_CAP)
    context = _context("timeline", query)
    context.update(
        data=data,
        drawn=DRAWN,
        data_url=reverse("api:timeline") + "?" + urlencode({**query.filters, "limit": DRAWN, "format": "json"}),
        entries=timeline_part(data, after is not None, query.params, "entries-title"),
    )
    return render(request, "views/timeline.html", context)
