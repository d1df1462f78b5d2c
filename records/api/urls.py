"""/api/v1/: the record types, proposals (`changes`), search and token authentication."""

from collections import OrderedDict

from django.urls import include, path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from records.api.views import ChangeViewSet, record_viewsets
from records.registry import registry


class Router(DefaultRouter):
    include_format_suffixes = False

    def get_api_root_view(self, api_urls=None):
        class Root(self.APIRootView):
            """Bailanys API: published records by type, proposals (`changes`), search."""

            def get(self, request, *args, **kwargs):
                links = OrderedDict(
                    (spec.plural, reverse(f"api:{spec.name}-list", request=request)) for spec in registry
                )
                links["changes"] = reverse("api:change-list", request=request)
                links["search"] = request.build_absolute_uri("/api/v1/search/")
                links["schema"] = request.build_absolute_uri("/api/schema/")
                return Response(links)

        return Root.as_view()


router = Router()
for prefix, viewset, basename in record_viewsets():
    router.register(prefix, viewset, basename=basename)
router.register("changes", ChangeViewSet, basename="change")


class TokenView(ObtainAuthToken):
    """POST username and password; returns {"token": ...} for `Authorization: Token <token>`."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("", include(router.urls)),
]
