"""/api/v1/: the record types, proposals (`changes`), search, vocabularies and token authentication."""

from collections import OrderedDict

from django.urls import include, path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import DefaultRouter

from records.api.negotiation import FormatNegotiation
from records.api.views.base import JSONErrors
from records.api.views.changes import ChangeViewSet
from records.api.views.imports import ImportViewSet
from records.api.views.records import record_viewsets
from records.api.views.search import SearchView
from records.api.views.tokens import TokenDetailView, TokenListView, TokenView
from records.api.views.visual import MapDataView, NetworkDataView, SeriesDataView, TimelineDataView
from records.api.views.vocabularies import VocabularyDetailView, VocabularyListView
from records.content.registry import registry

# The views' data: the map, the timeline, the network and the figures' series.
VIEWS = {"map": MapDataView, "timeline": TimelineDataView, "network": NetworkDataView, "series": SeriesDataView}


class Router(DefaultRouter):
    include_format_suffixes = False

    def get_api_root_view(self, api_urls=None):
        class Root(JSONErrors, self.APIRootView):
            """Bailanys API: published records by type, proposals (`changes`), search, vocabularies."""

            renderer_classes = [JSONRenderer]
            content_negotiation_class = FormatNegotiation

            @extend_schema(
                responses=inline_serializer(
                    "ApiRoot",
                    {
                        **{spec.plural: serializers.URLField() for spec in registry},
                        "changes": serializers.URLField(),
                        "imports": serializers.URLField(),
                        "search": serializers.URLField(),
                        "vocabularies": serializers.URLField(),
                        **{name: serializers.URLField() for name in VIEWS},
                        "schema": serializers.URLField(),
                        "docs": serializers.URLField(),
                    },
                )
            )
            def get(self, request, *args, **kwargs):
                links = OrderedDict(
                    (spec.plural, reverse(f"api:{spec.name}-list", request=request)) for spec in registry
                )
                links["changes"] = reverse("api:change-list", request=request)
                links["imports"] = reverse("api:import-list", request=request)
                links["search"] = reverse("api:search", request=request)
                links["vocabularies"] = reverse("api:vocabulary-list", request=request)
                for name in VIEWS:
                    links[name] = reverse(f"api:{name}", request=request)
                links["schema"] = request.build_absolute_uri("/api/schema/")
                links["docs"] = request.build_absolute_uri("/api/docs/")
                return Response(links)

        return Root.as_view()


router = Router()
for prefix, viewset, basename in record_viewsets():
    router.register(prefix, viewset, basename=basename)
router.register("changes", ChangeViewSet, basename="change")
router.register("imports", ImportViewSet, basename="import")


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/tokens/", TokenListView.as_view(), name="token-list"),
    path("auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="token-detail"),
    path("search/", SearchView.as_view(), name="search"),
    path("vocabularies/", VocabularyListView.as_view(), name="vocabulary-list"),
    path("vocabularies/<str:name>/", VocabularyDetailView.as_view(), name="vocabulary-detail"),
    *(path(f"{name}/", view.as_view(), name=name) for name, view in VIEWS.items()),
    path("", include(router.urls)),
]
