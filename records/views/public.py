"""What readers see: home, lists with facets, one search, record pages, sitemap and robots.txt."""

from __future__ import annotations

from django.shortcuts import render


def home(request):
    return render(request, "home.html", {})
