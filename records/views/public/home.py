"""The home page: what the portal holds, per record type, and what was published lately."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.shortcuts import render

from records.content.registry import registry
from records.models import Record, Revision, publication_current

HOME_CACHE_SECONDS = 300


def portal_figures() -> dict:
    """Published records per type and the years the relations cover.

    Exact counts, but computed once per publication version (one GROUP BY over the
    (record_type, status, ...) index), so the home page never counts the table per request and never
    shows the counts of an earlier publication.
    """
    state = publication_current()
    key = f"portal-figures:{state.version if state else 'none'}"
    figures = cache.get(key)
    if figures is None:
        counts = dict(
            Record.objects.published()
            .order_by()
            .values_list("record_type")
            .annotate(n=Count("id"))
            .values_list("record_type", "n")
        )
        span = (
            Record.objects.published()
            .filter(record_type__in=[spec.name for spec in registry if spec.spans_years])
            .aggregate(first=Min("date_lower"), last=Max("date_upper"))
        )
        figures = {
            "counts": counts,
            "first_year": span["first"].year if span["first"] else None,
            "last_year": span["last"].year if span["last"] else None,
        }
        cache.set(key, figures, HOME_CACHE_SECONDS)
    return figures


def home(request):
    figures = portal_figures()
    counts = figures["counts"]
    types = [{"spec": spec, "count": counts.get(spec.name, 0), "about": spec.description} for spec in registry]
    recent = list(Revision.objects.select_related("record").order_by("-created_at", "-id")[:12])
    return render(
        request,
        "home.html",
        {
            "types": types,
            "total": sum(counts.values()),
            "first_year": figures["first_year"],
            "last_year": figures["last_year"],
            "recent": recent,
        },
    )
