"""One search over every record type, best matches first, with a count per type."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from records.content.registry import registry
from records.reads.search import clean_query, matches_per_type, search_all
from records.views.public.params import text_param

SEARCH_PAGE_SIZE = 20
SEARCH_MAX_PAGES = 10  # search results are ranked; deeper than 200 hits, refine the query instead


def shown(count: int, exact: bool) -> str:
    """A count as shown: "12", or "≈12,000" when it is the database's estimate."""
    return str(count) if exact else f"≈{count:,}"


def search(request):
    q = clean_query(text_param(request, "q"))
    chosen = text_param(request, "type", 20)
    spec = registry.find(chosen) if chosen else None
    problems = []
    if chosen and spec is None:
        problems.append(_("Unknown record type; showing all types."))
    page_text = text_param(request, "page", 10) or "1"
    page = int(page_text) if page_text.isascii() and page_text.isdigit() else 0
    status = 200
    if not 1 <= page <= SEARCH_MAX_PAGES:
        problems.append(
            _("Search shows the best %(count)s results; refine the words to find others.")
            % {"count": SEARCH_PAGE_SIZE * SEARCH_MAX_PAGES}
        )
        page = 1
        status = 400
    results = search_all(
        q, types=[spec.name] if spec else None, limit=SEARCH_PAGE_SIZE, offset=(page - 1) * SEARCH_PAGE_SIZE
    )
    counts, exact = matches_per_type(q, registry.names(), terms=results.terms)
    more = results.has_more and page < SEARCH_MAX_PAGES
    type_options = [
        {"spec": s, "count": counts.get(s.name, 0), "shown": shown(counts.get(s.name, 0), exact)} for s in registry
    ]
    total = sum(counts.values())
    return render(
        request,
        "records/search.html",
        {
            "q": q,
            "spec": spec,
            "hits": results.hits,
            "loose": results.loose,
            "type_options": type_options,
            "total": total,
            "total_shown": shown(total, exact),
            "page": page,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if more else None,
            "problems": problems,
            "params": {"q": q, "type": spec.name if spec else ""},
        },
        status=status,
    )
