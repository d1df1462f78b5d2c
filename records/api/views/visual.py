"""/api/v1/map/, /timeline/, /network/ and /series/: the data the views draw, with the lists' filters.

Each answers JSON, and CSV (`?format=csv`); the map GeoJSON too, the network GEXF and GraphML. They
are bounded, never paged: the response says how much there is in all (`*_total`) and whether it
was cut (`truncated`); `limit` asks for more or less, up to each view's maximum.
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from records.api.formats import CSVRenderer, GeoJSONRenderer, GEXFRenderer, GraphMLRenderer, format_responses
from records.api.negotiation import FormatNegotiation
from records.api.views.base import JSONErrors
from records.content.registry import registry
from records.formats import visual
from records.models import Agreement, Statistic
from records.models.base import MAX_ID
from records.reads.filters import filterset_for
from records.reads.geography import map_data
from records.reads.network import NETWORK_LIMIT, NETWORK_MAX, network
from records.reads.scope import BadFilters, partnership_scope, places_scope, publication_memo
from records.reads.series import published_statistics, series_of, series_with
from records.reads.timeline import TIMELINE_LIMIT, TIMELINE_MAX, timeline

TYPE_PARAMETER = OpenApiParameter(
    "type", str, many=True, enum=["agreement", "event"], description="Only agreements or only events"
)


def limit_parameter(default: int, most: int) -> OpenApiParameter:
    return OpenApiParameter("limit", int, description=f"How many to return ({default} by default, at most {most})")


class VisualView(JSONErrors, generics.GenericAPIView):
    """The shared part: filters documented from the lists' FilterSet, errors as JSON, formats."""

    content_negotiation_class = FormatNegotiation
    filter_backends = [DjangoFilterBackend]
    pagination_class = None
    takes_list_filters = True  # documented in the schema (records/api/schema.py)
    model = Agreement
    filename = "bailanys"
    writers: dict = {}

    def get_queryset(self):
        return self.model.objects.none()

    @property
    def filterset_class(self):
        return filterset_for(registry.get(self.model._meta.model_name))

    def limit(self, default: int, most: int) -> int:
        text = self.request.query_params.get("limit", "")
        if not text:
            return default
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= most:
            raise ValidationError({"limit": [f"Give a whole number from 1 to {most}."]})
        return int(text)

    def answer(self, request: Request, read) -> Response:
        """The response to `read()`'s data in the requested format. Kept until the next publication in
        its own cache entry (whatever its size: a map's GeoJSON or a network's GEXF can be larger than
        the publication cache stores, records/caching.py), so a repeated request is not built again."""
        fmt = request.accepted_renderer.format
        parts = [request.get_full_path(), fmt, self.base(request)]

        def build():
            data = read()
            return data if fmt == "json" else self.writers[fmt](data)

        body = publication_memo("visual-answer", parts, build, language=True)
        response = Response(body)
        if fmt != "json":
            response["Content-Disposition"] = f'attachment; filename="{self.filename}.{fmt}"'
        return response

    def base(self, request: Request) -> str:
        return request.build_absolute_uri("/").rstrip("/")


def scope_of(request: Request):
    try:
        return partnership_scope(request.query_params)
    except BadFilters as exc:
        raise ValidationError(exc.errors) from None


class MapDataView(VisualView):
    """Places with coordinates, the partnerships between Kazakhstan's regions and regions abroad as
    links weighted by agreements and events, and the places that have no coordinates."""

    renderer_classes = [JSONRenderer, GeoJSONRenderer, CSVRenderer]
    filename = "bailanys-map"
    writers = {"geojson": visual.map_geojson, "csv": visual.map_csv}

    @extend_schema(parameters=[TYPE_PARAMETER], responses=format_responses(renderer_classes))
    def get(self, request: Request) -> Response:
        scope = scope_of(request)
        try:
            places = places_scope(request.query_params)
        except BadFilters as exc:
            raise ValidationError(exc.errors) from None
        base = self.base(request)

        def read() -> dict:
            data = map_data(scope, places)
            return {
                "places": [place.as_json(base) for place in data.places],
                "unplaced": [place.as_json(base) for place in data.unplaced],
                "links": [link.as_json(base) for link in data.links],
                "links_total": data.links_total,
                "sampled": data.sampled,
                "truncated": data.links_truncated or data.places_truncated or data.unplaced_truncated,
            }

        return self.answer(request, read)


class TimelineDataView(VisualView):
    """Agreements and events in date order, each with the range its EDTF date allows and whether it is uncertain."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    filename = "bailanys-timeline"
    writers = {"csv": visual.timeline_csv}

    @extend_schema(
        parameters=[TYPE_PARAMETER, limit_parameter(TIMELINE_LIMIT, TIMELINE_MAX)],
        responses=format_responses(renderer_classes),
    )
    def get(self, request: Request) -> Response:
        limit = self.limit(TIMELINE_LIMIT, TIMELINE_MAX)
        scope = scope_of(request)
        base = self.base(request)

        def read() -> dict:
            data = timeline(scope, limit)
            return {
                "entries": [entry.as_json(base) for entry in data.entries],
                "total": data.total,
                "total_exact": data.exact,
                "truncated": data.truncated,
                "start": data.first.isoformat() if data.first else None,
                "end": data.last.isoformat() if data.last else None,
            }

        return self.answer(request, read)


class NetworkDataView(VisualView):
    """Places and organizations as nodes, joined by the agreements and events they share (weighted),
    laid out on the server: `x`, `y` in a 1000 × 1000 square."""

    renderer_classes = [JSONRenderer, CSVRenderer, GEXFRenderer, GraphMLRenderer]
    filename = "bailanys-network"
    writers = {"csv": visual.network_csv, "gexf": visual.network_gexf, "graphml": visual.network_graphml}

    @extend_schema(
        parameters=[TYPE_PARAMETER, limit_parameter(NETWORK_LIMIT, NETWORK_MAX)],
        responses=format_responses(renderer_classes),
    )
    def get(self, request: Request) -> Response:
        limit = self.limit(NETWORK_LIMIT, NETWORK_MAX)
        scope = scope_of(request)
        base = self.base(request)

        def read() -> dict:
            data = network(scope, limit)
            return {
                "nodes": [node.as_json(base) for node in data.nodes],
                "edges": [edge.as_json() for edge in data.edges],
                "nodes_total": data.nodes_total,
                "sampled": data.sampled,
                "truncated": data.truncated,
            }

        return self.answer(request, read)


class SeriesDataView(VisualView):
    """Figures as series over time: the same indicator, measure and subjects, in date order, with
    qualifiers, reliability notes and sources. `statistic` gives the series of one figure."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    model = Statistic
    filename = "bailanys-series"
    writers = {"csv": visual.series_csv}

    @extend_schema(
        parameters=[OpenApiParameter("statistic", int, description="Id of a figure: the series it belongs to")],
        responses=format_responses(renderer_classes),
    )
    def get(self, request: Request) -> Response:
        text = request.query_params.get("statistic", "")
        if text:
            if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
                raise ValidationError({"statistic": ["Give a record id (a whole number)."]})
            statistic = published_statistics().filter(pk=int(text)).first()
            found = series_with(statistic) if statistic is not None else None  # like a filter: nothing matches
            series, truncated = ([found] if found else []), False
        else:
            filterset = self.filterset_class(request.query_params, queryset=published_statistics())
            if not filterset.is_valid():
                raise ValidationError(filterset.errors)
            result = series_of(filterset.qs)
            series, truncated = result.series, result.truncated
        base = self.base(request)
        return self.answer(request, lambda: {"series": [s.as_json(base) for s in series], "truncated": truncated})
