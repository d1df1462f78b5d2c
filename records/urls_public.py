"""What readers see: home, lists, records, search, sitemap (the workspace adds history, edit...)."""

from django.urls import path

from records.views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("search/", public.search, name="search"),
    path("sitemap.xml", public.sitemap_index, name="sitemap"),
    path("sitemap-<int:number>.xml", public.sitemap_chunk, name="sitemap-chunk"),
    path("robots.txt", public.robots_txt, name="robots"),
    path("<rtype:spec>/", public.record_list, name="record-list"),
    path("<rtype:spec>/<int:pk>/", public.record_detail, name="record-detail"),
]
