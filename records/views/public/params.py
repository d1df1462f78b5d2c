"""The reader's query parameters, cleaned and checked before anything reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.content.registry import RecordTypeSpec
from records.models import Place
from records.models.base import MAX_ID
from records.reads.filters import filterset_for
from records.reads.places import resolve_place

CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")

SORTS = {
    "name": gettext_lazy("Name"),
    "date": gettext_lazy("Date, oldest first"),
    "-date": gettext_lazy("Date, newest first"),
    "-updated": gettext_lazy("Recently updated"),
}
# The list parameters that narrow the records (the others only order or page them).
NARROWING = ("q", "kind", "sphere", "indicator", "country", "place", "year_from", "year_to")


def text_param(request, name: str, max_length: int = 200) -> str:
    """A query parameter as clean text: control characters dropped, whitespace collapsed, bounded."""
    value = CONTROL_CHARS.sub(" ", request.GET.get(name, ""))
    return " ".join(value.split())[:max_length]


def id_param(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else None


@dataclass
class ListQuery:
    """The reader's list parameters, checked: what the page shows and what the API export is given."""

    params: dict[str, str] = field(default_factory=dict)  # the page's own query (cleaned)
    filters: dict[str, str] = field(default_factory=dict)  # the shared FilterSet's / API's names
    problems: list[str] = field(default_factory=list)
    country: Place | None = None
    place: Place | None = None
    sort: str = "name"
    cursor: str = ""

    @property
    def narrowed(self) -> bool:
        return any(self.params.get(name) for name in NARROWING)


def _parse_places(request, query: ListQuery) -> None:
    for name, is_country in (("country", True), ("place", False)):
        value = text_param(request, name, 200)
        if not value:
            continue
        place = resolve_place(value, country=is_country)
        if place is None:
            query.problems.append(
                (_("No country matches “%(text)s”.") if is_country else _("No place matches “%(text)s”."))
                % {"text": value}
            )
            continue
        setattr(query, name, place)
        query.params[name] = query.filters[name] = place.iso_code if is_country and place.iso_code else str(place.pk)


def _parse_years(request, query: ListQuery) -> None:
    years = {}
    for name in ("year_from", "year_to"):
        value = text_param(request, name, 10)
        if not value:
            continue
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 9999:
            query.problems.append(_("A year is a number such as 1995; “%(text)s” was ignored.") % {"text": value})
            continue
        years[name] = int(value)
        query.params[name] = str(int(value))
    if len(years) == 2 and years["year_from"] > years["year_to"]:
        years["year_from"], years["year_to"] = years["year_to"], years["year_from"]
        query.params["year_from"], query.params["year_to"] = str(years["year_from"]), str(years["year_to"])
    if "year_from" in years:
        query.filters["date_after"] = f"{years['year_from']:04d}-01-01"
    if "year_to" in years:
        query.filters["date_before"] = f"{years['year_to']:04d}-12-31"


def parse_list_query(request, spec: RecordTypeSpec) -> ListQuery:
    query = ListQuery(sort=spec.default_sort)
    q = text_param(request, "q")
    if q:
        query.params["q"] = query.filters["q"] = q
    for name in ("kind", "sphere", "indicator"):
        value = text_param(request, name, 60)
        if value and name in filterset_for(spec).base_filters:
            query.params[name] = query.filters[name] = value
    _parse_places(request, query)
    _parse_years(request, query)
    sort = text_param(request, "sort", 20)
    if sort in SORTS:
        query.sort = sort
        query.params["sort"] = sort
    elif sort:
        query.problems.append(_("Unknown sort order; sorted by the default instead."))
    query.cursor = text_param(request, "cursor", 400)
    return query
