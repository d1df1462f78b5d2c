"""The URL map: public pages, the editors' workspace, accounts, admin and the API.

Record pages use the `rtype` converter: /<plural>/... matches only registered record types
(places, organizations, persons, agreements, events, statistics, sources).
"""

from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from records.converters import RecordTypeConverter

register_converter(RecordTypeConverter, "rtype")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(("records.api.urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("records.urls_editing")),
    path("", include("records.urls_public")),
]
