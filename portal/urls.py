"""The URL map: public pages, the editors' workspace, accounts, admin and the API.

Record pages use the `rtype` converter: /<plural>/... matches only registered record types
(places, organizations, persons, agreements, events, statistics, sources).
"""

from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from portal import accounts, token_pages
from records.api.docs import docs_view, schema_view
from records.converters import RecordTypeConverter

register_converter(RecordTypeConverter, "rtype")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/profile/", accounts.profile, name="account_profile"),
    path("accounts/tokens/", token_pages.tokens_page, name="account_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", token_pages.revoke_token, name="account_token_revoke"),
    path("accounts/", include("allauth.urls")),
    # Choosing a language only sets the reader's language cookie, so the form needs no CSRF token (which
    # would give every page a csrftoken cookie, and no shared cache could keep the page).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/v1/", include(("records.api.urls", "api"), namespace="api")),
    path("api/schema/", schema_view, name="schema"),
    path("api/docs/", docs_view, name="api-docs"),
    path("", include("records.urls_editing")),
    path("", include("records.urls_public")),
]

handler500 = "portal.errors.server_error"
