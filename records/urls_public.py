"""What readers see: home, lists, records, search, sitemap (the workspace adds history, edit...)."""

from django.urls import path

from records.views.public import detail, home, lists, search, sitemap, visual

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", search.search, name="search"),
    path("sitemap.xml", sitemap.sitemap_index, name="sitemap"),
    path("sitemap-<int:number>.xml", sitemap.sitemap_chunk, name="sitemap-chunk"),
    path("robots.txt", sitemap.robots_txt, name="robots"),
    path("map/", visual.map_page, name="map"),
    path("timeline/", visual.timeline_page, name="timeline"),
    path("network/", visual.network_page, name="network"),
    path("<rtype:spec>/", lists.record_list, name="record-list"),
    path("<rtype:spec>/<int:pk>/", detail.record_detail, name="record-detail"),
]
