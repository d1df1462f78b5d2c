"""The sitemap (one file per range of record ids, and their index) and robots.txt."""

from __future__ import annotations

from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from records.content.registry import registry
from records.models import Record
from records.models.base import MAX_ID

SITEMAP_CHUNK = 20_000  # record ids per sitemap file (the protocol allows 50,000 URLs)


def sitemap_index(request):
    """One sitemap per range of record ids: as many files as the id space needs, no COUNT(*)."""
    highest = Record.objects.aggregate(top=Max("pk"))["top"] or 0
    chunks = range(highest // SITEMAP_CHUNK + 1)
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "records/sitemap_index.xml",
        {"sitemaps": [f"{base}{reverse('sitemap-chunk', args=[n])}" for n in chunks]},
        content_type="application/xml",
    )


def sitemap_chunk(request, number: int):
    if number > MAX_ID // SITEMAP_CHUNK:
        raise Http404
    low, high = number * SITEMAP_CHUNK, (number + 1) * SITEMAP_CHUNK
    rows = (
        Record.objects.published()
        .filter(pk__gte=low, pk__lt=high)
        .order_by("pk")
        .values_list("pk", "record_type", "updated_at")
    )
    base = request.build_absolute_uri("/").rstrip("/")
    # The first file also lists the home page and the lists of each type.
    pages = ["/"] + [f"/{spec.plural}/" for spec in registry] if number == 0 else []
    urls = [{"loc": f"{base}{path}", "lastmod": ""} for path in pages]
    # Built by hand, not reversed: a sitemap file holds up to SITEMAP_CHUNK of them.
    urls += [
        {"loc": f"{base}/{registry.get(kind).plural}/{pk}/", "lastmod": updated.date().isoformat()}
        for pk, kind, updated in rows
    ]
    return render(request, "records/sitemap.xml", {"urls": urls}, content_type="application/xml")


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /search/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
