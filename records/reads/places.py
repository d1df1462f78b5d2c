"""Finding the place a reader means: by id, by ISO code, or — for readers without the type-ahead
script — by its best-matching name."""

from __future__ import annotations

import re

from django.db.models import Q

from records.models import Place
from records.models.base import MAX_ID
from records.reads.search import search_filter

ISO_CODE = re.compile(r"[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?")


def resolve_place(text: str, *, country: bool) -> Place | None:
    """A published place (a country, if `country`) by id, ISO code, exact name, or closest name."""
    places = Place.objects.published()
    if country:
        places = places.filter(kind_id="country")
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
        return places.filter(pk=int(text)).first()
    if ISO_CODE.fullmatch(text):
        found = places.filter(iso_code=text.upper()).first()
        if found is not None:
            return found
    exact = Q(label__iexact=text) | Q(labels__en__iexact=text) | Q(labels__ru__iexact=text) | Q(labels__kk__iexact=text)
    found = places.filter(exact).order_by("pk").first()
    if found is not None:
        return found
    return search_filter(places, text).order_by("-search_rank", "pk").first()
