"""What readers see: home, lists, records, search, sitemap."""

from django.urls import path

from records.views import public

urlpatterns = [
    path("", public.home, name="home"),
]
