"""What readers see: home, lists with facets, one search, record pages, the sitemap and robots.txt.

Every read starts from published records. Lists are keyset-paginated (records/pagination.py) and
counted only up to a cap (records/facets.py); related records are loaded with a fixed number of
queries per page, whatever the data (pinned in tests/public/test_queries.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.content.registry import RecordTypeSpec, registry
from records.formats import citing
from records.models import (
    Agreement,
    AgreementParty,
    Citation,
    Event,
    EventParticipant,
    Organization,
    Place,
    PlaceBorder,
    Position,
    Record,
    RecordStatus,
    Revision,
    Source,
    StatisticSubject,
    Succession,
)
from records.models.base import EARLIEST, MAX_ID
from records.reads.facets import CAP, capped_count, facets_for, show_count
from records.reads.filters import filterset_for
from records.reads.pagination import BadCursor, keyset_page
from records.reads.search import clean_query, matches_per_type, search_all, search_filter

LIST_PAGE_SIZE = 25
RELATED_LIMIT = 50  # related records shown per section of a record page
PARTNERSHIP_LIMIT = 100  # agreements (and events) read for a place's partnerships; the rest via the filtered lists
CITED_BY_PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20
SEARCH_MAX_PAGES = 10  # search results are ranked; deeper than 200 hits, refine the query instead
HOME_CACHE_SECONDS = 300
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")

SORTS = {
    "name": gettext_lazy("Name"),
    "date": gettext_lazy("Date, oldest first"),
    "-date": gettext_lazy("Date, newest first"),
    "-updated": gettext_lazy("Recently updated"),
}
DEFAULT_SORT = {"agreement": "date", "event": "date", "statistic": "date"}

# What a list row shows, loaded with the page (no query per row).
LIST_LOADING: dict[str, tuple[tuple[str, ...], tuple]] = {
    "place": (("kind", "parent"), ()),
    "organization": (("kind", "place", "country"), ()),
    "person": ((), (Prefetch("positions", Position.objects.select_related("organization")),)),
    "agreement": (("kind", "level"), (Prefetch("party_links", AgreementParty.objects.select_related("party")),)),
    "event": (
        ("kind", "place"),
        (Prefetch("participant_links", EventParticipant.objects.select_related("participant")),),
    ),
    "statistic": (
        ("indicator", "unit"),
        (Prefetch("subject_links", StatisticSubject.objects.select_related("subject")),),
    ),
    "source": (("kind", "archive"), ()),
}

EXPORT_FORMATS = {
    "place": ["csv", "json", "geojson"],
    "source": ["csv", "json", "bibtex", "csljson"],
}
EXPORT_LABELS = {
    "csv": "CSV",
    "json": "JSON",
    "geojson": "GeoJSON",
    "bibtex": "BibTeX",
    "csljson": "CSL-JSON",
}


def text_param(request, name: str, max_length: int = 200) -> str:
    """A query parameter as clean text: control characters dropped, whitespace collapsed, bounded."""
    value = CONTROL_CHARS.sub(" ", request.GET.get(name, ""))
    return " ".join(value.split())[:max_length]


def id_param(value: str) -> int | None:
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


# ------------------------------------------------------------------ home


def portal_figures() -> dict:
    """Published records per type and the years the relations cover.

    Exact counts, but computed at most once per HOME_CACHE_SECONDS per process (one GROUP BY over the
    (record_type, status, ...) index), so the home page never counts the table per request.
    """
    figures = cache.get("portal-figures")
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
            .filter(record_type__in=["agreement", "event", "statistic"])
            .aggregate(first=Min("date_lower"), last=Max("date_upper"))
        )
        figures = {
            "counts": counts,
            "first_year": span["first"].year if span["first"] else None,
            "last_year": span["last"].year if span["last"] else None,
        }
        cache.set("portal-figures", figures, HOME_CACHE_SECONDS)
    return figures


def home(request):
    figures = portal_figures()
    types = [
        {"spec": spec, "count": figures["counts"].get(spec.name, 0), "about": TYPE_DESCRIPTIONS.get(spec.name, "")}
        for spec in registry
    ]
    recent = list(Revision.objects.select_related("record").order_by("-created_at", "-id")[:12])
    return render(
        request,
        "home.html",
        {
            "types": types,
            "total": sum(figures["counts"].values()),
            "first_year": figures["first_year"],
            "last_year": figures["last_year"],
            "recent": recent,
        },
    )


TYPE_DESCRIPTIONS = {
    "place": gettext_lazy("Countries, regions, krais and cities, with their names over time."),
    "organization": gettext_lazy("Akimats, ministries, companies, associations, archives."),
    "person": gettext_lazy("Governors, diplomats and delegates, with the positions they held."),
    "agreement": gettext_lazy("Agreements, memoranda, contracts and protocols between regions."),
    "event": gettext_lazy("Visits, delegations, forums, exhibitions and days of culture."),
    "statistic": gettext_lazy("Trade turnover, investment and other figures over time."),
    "source": gettext_lazy("Archival files and publications every fact is cited from."),
}


# ------------------------------------------------------------------ lists


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


def resolve_place(text: str, *, country: bool) -> Place | None:
    """A place by id, ISO code, or — for readers without the type-ahead script — by its best-matching name."""
    places = Place.objects.published()
    if country:
        places = places.filter(kind_id="country")
    pk = id_param(text)
    if pk is not None:
        return places.filter(pk=pk).first()
    if re.fullmatch(r"[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?", text):
        found = places.filter(iso_code=text.upper()).first()
        if found is not None:
            return found
    exact = Q(label__iexact=text) | Q(labels__en__iexact=text) | Q(labels__ru__iexact=text) | Q(labels__kk__iexact=text)
    found = places.filter(exact).order_by("pk").first()
    if found is not None:
        return found
    return search_filter(places, text).order_by("-search_rank", "pk").first()


def parse_list_query(request, spec: RecordTypeSpec) -> ListQuery:
    query = ListQuery(sort=DEFAULT_SORT.get(spec.name, "name"))
    q = text_param(request, "q")
    if q:
        query.params["q"] = query.filters["q"] = q
    for name in ("kind", "sphere", "indicator"):
        value = text_param(request, name, 60)
        if value and name in filterset_for(spec).base_filters:
            query.params[name] = query.filters[name] = value
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
    years = {}
    for name in ("year_from", "year_to"):
        value = text_param(request, name, 10)
        if not value:
            continue
        if not value.isdigit() or not 1 <= int(value) <= 9999:
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
    sort = text_param(request, "sort", 20)
    if sort in SORTS:
        query.sort = sort
        query.params["sort"] = sort
    elif sort:
        query.problems.append(_("Unknown sort order; sorted by the default instead."))
    query.cursor = text_param(request, "cursor", 400)
    return query


def export_links(spec: RecordTypeSpec, filters: dict[str, str]) -> list[dict]:
    base = reverse(f"api:{spec.name}-list")
    links = []
    for fmt in EXPORT_FORMATS.get(spec.name, ["csv", "json"]):
        links.append({"label": EXPORT_LABELS[fmt], "url": base + "?" + urlencode({**filters, "format": fmt, "all": 1})})
    return links


FACET_CACHE_SECONDS = 600


def cached_facets(spec: RecordTypeSpec, filters: dict[str, str], compute):
    """Facets are the costly part of a list (capped counts per value); published data changes only
    when a proposal is approved, so they are kept until the next revision is written (or 10 minutes)."""
    latest = Revision.objects.order_by("-id").values_list("id", flat=True).first() or 0
    raw = json.dumps([spec.name, sorted(filters.items()), translation.get_language(), latest])
    key = "facets:" + hashlib.sha256(raw.encode()).hexdigest()
    facets = cache.get(key)
    if facets is None:
        facets = compute()
        cache.set(key, facets, FACET_CACHE_SECONDS)
    return facets


def record_list(request, spec: RecordTypeSpec):
    query = parse_list_query(request, spec)
    filterset_class = filterset_for(spec)
    published = spec.model.objects.filter(record_type=spec.name, status=RecordStatus.PUBLISHED)
    filterset = filterset_class(query.filters, queryset=published)
    if not filterset.is_valid():
        # Drop what the shared filters refuse, say so, and show the rest rather than an error page.
        for name, errors in filterset.errors.items():
            query.problems.append(f"{name}: {' '.join(errors)}")
            query.filters.pop(name, None)
            query.params.pop(name, None)
        filterset = filterset_class(query.filters, queryset=published)
        filterset.is_valid()
    matching = filterset.qs
    select, prefetch = LIST_LOADING.get(spec.name, ((), ()))
    status = 200
    try:
        page = keyset_page(
            matching.select_related(*select).prefetch_related(*prefetch),
            order=query.sort,
            cursor=query.cursor or None,
            size=LIST_PAGE_SIZE,
        )
    except BadCursor:
        query.problems.append(_("That page link is not valid (it may be out of date); here is the first page."))
        query.cursor = ""
        status = 400
        page = keyset_page(
            matching.select_related(*select).prefetch_related(*prefetch), order=query.sort, size=LIST_PAGE_SIZE
        )
    total = capped_count(matching)
    facets = cached_facets(
        spec,
        query.filters,
        lambda: facets_for(
            spec,
            filterset_class,
            query.filters,
            total=total,
            base_queryset=published,
            selected_country=query.country,
            selected_place=query.place,
        ),
    )
    active = ("q", "kind", "sphere", "indicator", "country", "place", "year_from", "year_to")
    return render(
        request,
        "records/list.html",
        {
            "spec": spec,
            "page": page,
            "total": total,
            "total_shown": show_count(total),
            "capped": total > CAP,
            "facets": facets,
            "params": query.params,
            "problems": query.problems,
            "sorts": SORTS,
            "sort": query.sort,
            "exports": export_links(spec, query.filters),
            "filtered": any(query.params.get(name) for name in active),
            "year_from": query.params.get("year_from", ""),
            "year_to": query.params.get("year_to", ""),
        },
        status=status,
    )


# ------------------------------------------------------------------ record pages


def record_or_404(spec: RecordTypeSpec, pk: int) -> Record:
    if not 0 < pk <= MAX_ID:
        raise Http404
    record = spec.with_state(spec.model.objects.filter(pk=pk)).first()
    if record is None:
        raise Http404
    return record


def tombstone(request, spec: RecordTypeSpec, record: Record) -> HttpResponse:
    revisions = list(Revision.objects.filter(record=record).order_by("-number")[:2])
    withdrawal = revisions[0] if revisions else None
    return render(
        request,
        "records/tombstone.html",
        {
            "spec": spec,
            "record": record,
            "withdrawal": withdrawal,
            "history_url": f"{record.get_absolute_url()}history/",
        },
        status=410,
    )


def _linked_published(queryset):
    return queryset.filter(status=RecordStatus.PUBLISHED)


def related_for(spec: RecordTypeSpec, record: Record) -> dict:
    """The records around this one, each list bounded by RELATED_LIMIT (one query per section)."""
    related: dict = {}
    limit = RELATED_LIMIT + 1
    if spec.name in ("place", "organization"):
        related["predecessors"] = list(record.predecessor_links.select_related("predecessor"))
        related["successors"] = list(
            Succession.objects.filter(predecessor=record, record__status=RecordStatus.PUBLISHED).select_related(
                "record"
            )[:limit]
        )
    if spec.name == "place":
        related["borders"] = list(record.border_links.select_related("neighbour"))
        related["bordered_by"] = list(
            PlaceBorder.objects.filter(neighbour=record, place__status=RecordStatus.PUBLISHED).select_related("place")[
                :limit
            ]
        )
        related["children"] = list(
            _linked_published(Place.objects.filter(parent=record))
            .select_related("kind")
            .order_by("label", "pk")[:limit]
        )
        related["organizations"] = list(
            _linked_published(Organization.objects.filter(Q(place=record) | Q(country=record)))
            .select_related("kind")
            .order_by("label", "pk")[:limit]
        )
        related["statistics"] = statistics_about(record)
        related["partnerships"] = place_partnerships(record)
    elif spec.name == "organization":
        related["children"] = list(
            _linked_published(Organization.objects.filter(parent=record)).order_by("label", "pk")[:limit]
        )
        related["people"] = list(
            Position.objects.filter(organization=record, person__status=RecordStatus.PUBLISHED)
            .select_related("person")
            .order_by(Coalesce("date_lower", EARLIEST), "pk")[:limit]
        )
        related["agreements"] = agreements_of(record)
        related["events"] = events_of(record)
        related["statistics"] = statistics_about(record)
        related["archival_sources"] = list(
            _linked_published(Source.objects.filter(archive=record)).order_by("label", "pk")[:limit]
        )
    elif spec.name == "person":
        related["agreements"] = agreements_of(record)
        related["events"] = events_of(record)
    elif spec.name == "agreement":
        related["events"] = list(
            _linked_published(record.events.all())
            .select_related("kind")
            .order_by(Coalesce("date_lower", EARLIEST), "pk")[:limit]
        )
    elif spec.name == "event":
        related["parts"] = list(
            _linked_published(Event.objects.filter(part_of=record))
            .select_related("kind")
            .order_by(Coalesce("date_lower", EARLIEST), "pk")[:limit]
        )
    return related


def agreements_of(record: Record) -> list[AgreementParty]:
    return list(
        AgreementParty.objects.filter(party=record, agreement__status=RecordStatus.PUBLISHED)
        .select_related("agreement", "agreement__kind", "role")
        .order_by(Coalesce("agreement__date_lower", EARLIEST), "agreement_id")[: RELATED_LIMIT + 1]
    )


def events_of(record: Record) -> list[EventParticipant]:
    return list(
        EventParticipant.objects.filter(participant=record, event__status=RecordStatus.PUBLISHED)
        .select_related("event", "event__kind", "role")
        .order_by(Coalesce("event__date_lower", EARLIEST), "event_id")[: RELATED_LIMIT + 1]
    )


def statistics_about(record: Record) -> list[StatisticSubject]:
    return list(
        StatisticSubject.objects.filter(subject=record, statistic__status=RecordStatus.PUBLISHED)
        .select_related("statistic", "statistic__indicator", "statistic__unit")
        .order_by(Coalesce("statistic__date_lower", EARLIEST), "statistic_id")[: RELATED_LIMIT + 1]
    )


@dataclass
class Partnership:
    """One agreement or event between this place (or a place inside it) and a partner."""

    record: Record
    partners: list[Record]


@dataclass
class PartnerRegion:
    place: Place | None  # None: the partner is the country itself, or its region is not known
    items: list[Partnership] = field(default_factory=list)


@dataclass
class PartnerCountry:
    place: Place | None  # None: the partner's country is not known
    regions: dict[int | None, PartnerRegion] = field(default_factory=dict)
    count: int = 0
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def region_list(self) -> list[PartnerRegion]:
        return sorted(self.regions.values(), key=lambda r: (r.place is not None, r.place.label if r.place else ""))


def place_partnerships(place: Place) -> dict:
    """Agreements and events where the place — or a place inside it — is a party or participant,
    grouped by the other side's country and region, each group in date order. Four queries."""
    inside = [place.pk]
    agreements = list(
        Agreement.objects.filter(record_type="agreement", status=RecordStatus.PUBLISHED, place_ids__contains=inside)
        .filter(Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), party__place_ids__contains=inside)))
        .select_related("kind")
        .prefetch_related(Prefetch("party_links", AgreementParty.objects.select_related("party")))
        .order_by(Coalesce("date_lower", EARLIEST), "pk")[: PARTNERSHIP_LIMIT + 1]
    )
    events = list(
        Event.objects.filter(record_type="event", status=RecordStatus.PUBLISHED, place_ids__contains=inside)
        .filter(Exists(EventParticipant.objects.filter(event=OuterRef("pk"), participant__place_ids__contains=inside)))
        .select_related("kind")
        .prefetch_related(Prefetch("participant_links", EventParticipant.objects.select_related("participant")))
        .order_by(Coalesce("date_lower", EARLIEST), "pk")[: PARTNERSHIP_LIMIT + 1]
    )
    truncated = len(agreements) > PARTNERSHIP_LIMIT or len(events) > PARTNERSHIP_LIMIT
    items: list[Partnership] = []
    for agreement in agreements[:PARTNERSHIP_LIMIT]:
        others = [link.party for link in agreement.party_links.all() if place.pk not in link.party.place_ids]
        items.append(Partnership(agreement, others))
    for event in events[:PARTNERSHIP_LIMIT]:
        others = [
            link.participant for link in event.participant_links.all() if place.pk not in link.participant.place_ids
        ]
        items.append(Partnership(event, others))
    items = [item for item in items if item.partners]
    place_ids = {pk for item in items for partner in item.partners for pk in partner.place_ids}
    places = {
        p.pk: p
        for p in Place.objects.filter(pk__in=place_ids).only(
            "record_type", "label", "labels", "kind_id", "parent_id", "status"
        )
    }
    countries: dict[int | None, PartnerCountry] = {}
    for item in sorted(items, key=lambda i: (i.record.date_lower or EARLIEST, i.record.pk)):
        seen: set[tuple] = set()
        for partner in item.partners:
            country = next(
                (places[pk] for pk in partner.place_ids if pk in places and places[pk].kind_id == "country"), None
            )
            region = None
            if country is not None:
                region = next(
                    (places[pk] for pk in partner.place_ids if pk in places and places[pk].parent_id == country.pk),
                    None,
                )
            key = (country.pk if country else None, region.pk if region else None)
            if key in seen:
                continue
            seen.add(key)
            group = countries.setdefault(key[0], PartnerCountry(country))
            bucket = group.regions.setdefault(key[1], PartnerRegion(region))
            bucket.items.append(item)
            group.count += 1
            lower, upper = item.record.date_lower, item.record.date_upper or item.record.date_lower
            if lower and (group.first is None or lower < group.first):
                group.first = lower
            if upper and (group.last is None or upper > group.last):
                group.last = upper
    ordered = sorted(countries.values(), key=lambda c: (c.place is None, -c.count, c.place.label if c.place else ""))
    return {"countries": ordered, "truncated": truncated, "count": len(items)}


def cited_by(request, source: Source) -> dict:
    """Published records citing this source, CITED_BY_PAGE_SIZE at a time, keyed by citation id."""
    after = id_param(text_param(request, "after", 20)) or 0
    rows = list(
        Citation.objects.filter(source=source, record__status=RecordStatus.PUBLISHED, pk__gt=after)
        .select_related("record")
        .order_by("pk")[: CITED_BY_PAGE_SIZE + 1]
    )
    more = len(rows) > CITED_BY_PAGE_SIZE
    rows = rows[:CITED_BY_PAGE_SIZE]
    return {"rows": rows, "next": rows[-1].pk if more else None, "after": after}


def cite_this(request, spec: RecordTypeSpec, record: Record) -> dict | None:
    revision = Revision.objects.filter(record=record, number=record.revision).only("created_at").first()
    if revision is None:
        return None
    permalink = request.build_absolute_uri(f"/{spec.plural}/{record.pk}/revisions/{record.revision}/")
    revised_at = timezone.localtime(revision.created_at)
    kwargs = {"revision": record.revision, "revised_at": revised_at, "permalink": permalink}
    return {
        "permalink": permalink,
        "text": citing.record_citation_text(record, **kwargs),
        "bibtex": citing.record_bibtex(record, **kwargs),
        "csl": json.dumps(citing.record_csl(record, **kwargs), ensure_ascii=False, indent=2),
        "revision": record.revision,
        "revised_at": revised_at,
    }


def record_names(record: Record) -> list[tuple[str, str]]:
    """The record's names by language, English (its main label) first, then Russian and Kazakh."""
    names = {"en": record.label, **record.labels}
    order = {"en": 0, "ru": 1, "kk": 2}
    return sorted(names.items(), key=lambda item: (order.get(item[0], 9), item[0]))


def record_detail(request, spec: RecordTypeSpec, pk: int):
    record = record_or_404(spec, pk)
    if record.status == RecordStatus.WITHDRAWN:
        return tombstone(request, spec, record)
    user = request.user
    context = {
        "spec": spec,
        "record": record,
        "related": related_for(spec, record),
        "citations": list(record.citations.all()),
        "cite": cite_this(request, spec, record),
        "history_url": f"{record.get_absolute_url()}history/",
        "can_propose": user.is_authenticated and user.has_perm("records.propose_change"),
        "related_limit": RELATED_LIMIT,
        "related_limit_slice": f":{RELATED_LIMIT}",
        "more_urls": {
            plural: f"/{plural}/?place={record.pk}" for plural in ("places", "agreements", "events", "statistics")
        }
        if spec.name == "place"
        else {},
        "names": sorted(
            record.labels.items(), key=lambda kv: ("en", "ru", "kk").index(kv[0]) if kv[0] in ("en", "ru", "kk") else 9
        ),
    }
    if spec.name == "source":
        context["cited_by"] = cited_by(request, record)
        context["csl_source"] = json.dumps(
            citing.source_csl(record, request.build_absolute_uri("/")), ensure_ascii=False, indent=2
        )
        context["bibtex_source"] = citing.sources_bibtex([record])
    return render(request, f"records/detail_{spec.name}.html", context)


# ------------------------------------------------------------------ search


def at_least(count: int, exact: bool) -> str:
    """A count as shown: "12", or "12+" when it is only a lower bound."""
    return str(count) if exact else f"{count}+"


def search(request):
    q = clean_query(text_param(request, "q"))
    chosen = text_param(request, "type", 20)
    spec = registry.find(chosen) if chosen else None
    problems = []
    if chosen and spec is None:
        problems.append(_("Unknown record type; showing all types."))
    page_text = text_param(request, "page", 10) or "1"
    page = int(page_text) if page_text.isdigit() else 0
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
    counts, complete = matches_per_type(q, registry.names())
    if results.loose:  # nothing matched closely: count the similar spellings shown instead
        counts = Counter(hit.record_type for hit in results.hits)
    hits, loose = results.hits, results.loose
    more = results.has_more and page < SEARCH_MAX_PAGES
    type_options = [
        {"spec": s, "count": counts.get(s.name, 0), "shown": at_least(counts.get(s.name, 0), complete)}
        for s in registry
    ]
    total = sum(counts.values())
    return render(
        request,
        "records/search.html",
        {
            "q": q,
            "spec": spec,
            "hits": hits,
            "loose": loose,
            "type_options": type_options,
            "total": total,
            "total_shown": at_least(total, complete),
            "page": page,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if more else None,
            "problems": problems,
            "params": {"q": q, "type": spec.name if spec else ""},
        },
        status=status,
    )


# ------------------------------------------------------------------ sitemap and robots.txt

SITEMAP_CHUNK = 20_000  # record ids per sitemap file (the protocol allows 50,000 URLs)


def sitemap_index(request):
    """One sitemap per range of record ids: as many files as the id space needs, no COUNT(*)."""
    highest = Record.objects.aggregate(top=Max("pk"))["top"] or 0
    chunks = range(highest // SITEMAP_CHUNK + 1)
    base = request.build_absolute_uri("/").rstrip("/")
    body = render(
        request,
        "records/sitemap_index.xml",
        {"sitemaps": [f"{base}{reverse('sitemap-chunk', args=[n])}" for n in chunks]},
        content_type="application/xml",
    )
    return body


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
