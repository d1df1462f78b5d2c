"""Search across records: PostgreSQL full-text search, exact names, and near spellings of names.

Full text (weighted: names, then English and Russian text) finds words; misspelt names are found
through the near words of the published names (records/models/search.py: "Ushbabastu Regon" →
Ushbabastau Region, "Korgan" → Kurgan), other scripts through transliteration and the names in every
language ("Курган" → Kurgan Region, "Oskemen" → Ust-Kamenogorsk through its alias).

Relevance is an order over *every* match, by two keys:

1. the tier: 0 — one of the record's names is the query; 1 — every word is in its names; 2 — the
   words (or their stems) are elsewhere in its text; 3 — its names have words spelt like the query's
   (searched only when the words match nothing: "did you mean", without asking);
2. within a tier, the score: full-text rank plus the closeness of the main name to the query.

Scoring every match of a common word (300,000 records at a million) costs seconds, so the score is
computed for a window: the first RELEVANCE_MAX_ROWS matches in (tier, a fixed pseudo-random order of
the records) — an order an index yields without reading the other matches, and one that favours no
record for where it sits in the table, so that the newest record is as likely to be in the window as
the oldest, and a record named exactly like the query always is (tier 0). The window is then ordered
by (tier, score). Pages go no deeper than the window, so every page a reader can reach is in that
one order; a tier smaller than the window is ranked whole.

- `search_filter(queryset, q)` (records/reads/search_terms.py): narrow any record queryset, annotated
  with `search_rank`.
- `relevance_page(queryset, cursor=..., size=...)`: one page of such a queryset, best first, by
  offset, RELEVANCE_MAX_ROWS deep; an explicit ordering (name, date...) pages by keyset without limit.
- `search_all(q, types=..., limit=..., offset=...)`: the cross-type search of the search page and of
  `/api/v1/search/`: hits with type, id, name, rank and a highlighted snippet (see `SearchHit`).
- `matches_per_type(q, types)`: how many records of each type match — exact when few, else the
  planner's estimate, marked as such.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
)
from django.db.models import (
    BigIntegerField,
    F,
    Func,
    QuerySet,
    Sum,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, NullIf
from django.db.models.lookups import LessThan

from portal.replicas import read_connection
from records.content.registry import registry
from records.models import FacetCount, Record
from records.models.base import pick_label, record_url
from records.reads.pagination import BadCursor, Page
from records.reads.search_terms import (  # noqa: F401 (re-exported: the search API is this module)
    MAX_QUERY,
    Terms,
    clean_query,
    is_ranked,
    search_filter,
    split_search,
    terms_of,
)

# How deep relevance-ordered results go (by offset): the window of matches that is scored (see above).
RELEVANCE_MAX_ROWS = 500
# Matches are counted exactly up to this many; beyond, the count is the planner's estimate.
EXACT_COUNT_LIMIT = 2000
# Private-use characters mark the highlights inside PostgreSQL; they become <mark> after escaping.
_START, _STOP = "\ue000", "\ue001"
# The first-order key within a tier: a fixed pseudo-random order of the records (a hash of the id;
# records_record's index record_search_order), independent of any word, so that walking it finds a
# common word's matches at the word's own rate (an order that favours some records — short names,
# one type — would walk past hundreds of thousands of them before the first match).
# (Written on records_record.id itself: on a type's queryset, `pk` is the child table's column, which
# the index does not cover.)
HASH_KEY = RawSQL('hashint8("records_record"."id")', [], output_field=BigIntegerField())
WINDOW_ORDER = (HASH_KEY.asc(), RawSQL('"records_record"."id"', [], output_field=BigIntegerField()).asc())
HASH_VALUES = 2**32  # hashint8 spreads the ids evenly over the values of an int4
# A sample in hash order walks at most this many published records (of every type: the index spans
# them), so that a set sparse in the table costs no more than this (facets, counts per type).
WALK = 20_000
SHARES_SAMPLE = 400  # matches in hash order whose types apportion an estimated total among the types


def hash_bound(fraction: float) -> int:
    """The hash value below which `fraction` of all ids hash."""
    return round(fraction * HASH_VALUES) - HASH_VALUES // 2


def published_total() -> int:
    """How many records are published, of every type (kept at publication in FacetCount)."""
    totals = FacetCount.objects.filter(record_type__in=registry.names(), key="all").aggregate(total=Sum("count"))
    return totals["total"] or 0


@dataclass
class Window:
    """The first RELEVANCE_MAX_ROWS matches in relevance order: (id, tier) pairs, best first."""

    ranked: list[tuple[int, int]] = field(default_factory=list)
    complete: bool = True  # every match is in the window (no tier was cut short)
    scores: dict[int, float] = field(default_factory=dict)


def relevance_window(base: QuerySet, terms: Terms) -> Window:
    """The window of `base`'s matches of `terms` (see the module's docstring), in relevance order.

    One query per tier while the window is not full (the tier after a full one is not looked at),
    then one to score the window's rows. In each tier's query the planner chooses, from its
    statistics of the words, between walking the pseudo-random order until the window is full (a
    common word) and collecting every match from the full-text index (a rare one), then sorting.
    """
    size = RELEVANCE_MAX_ROWS
    window = Window()
    taken: list[tuple[int, int]] = []
    conditions = terms.exact_tiers
    for tier in range(len(conditions) + 1):
        if len(taken) >= size:
            window.complete = False
            break
        if tier == len(conditions):  # near spellings only when the words match nothing
            if taken or terms.similar is None:
                break
            conditions = terms.tiers
        condition = conditions[tier]
        matches = base.filter(condition)
        for earlier in conditions[:tier]:
            matches = matches.exclude(earlier)
        room = size - len(taken)
        ids = list(matches.order_by(*WINDOW_ORDER).values_list("pk", flat=True)[: room + 1])
        if len(ids) > room:
            window.complete = False
            ids = ids[:room]
        taken += [(pk, tier) for pk in ids]
    if not taken:
        return window
    scored = {
        pk: (score, length)
        for pk, score, length in Record.objects.filter(pk__in=[pk for pk, _tier in taken])
        .annotate(score=terms.window_score, length=Length("label"))
        .values_list("pk", "score", "length")
    }
    # Best score first; among equals, the window's own order (shortest main name, then oldest).
    window.ranked = sorted(taken, key=lambda row: (row[1], -scored[row[0]][0], scored[row[0]][1], row[0]))
    window.scores = {pk: score for pk, (score, _length) in scored.items()}
    return window


def encode_offset(offset: int) -> str:
    raw = json.dumps(["relevance", offset], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_offset(cursor: str | None) -> int:
    """The offset a relevance cursor stands for (0 without a cursor); BadCursor when it is not ours."""
    if not cursor:
        return 0
    try:
        kind, offset = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as exc:
        raise BadCursor("Invalid cursor.") from exc
    if kind != "relevance" or not isinstance(offset, int) or not 0 <= offset < RELEVANCE_MAX_ROWS:
        raise BadCursor("This cursor belongs to another ordering.")
    return offset


def relevance_page(queryset: QuerySet, *, cursor: str | None = None, size: int = 50) -> Page:
    """One page of a `search_filter`ed queryset, best match first (see `relevance_window`)."""
    offset = decode_offset(cursor)
    size = max(1, min(size, RELEVANCE_MAX_ROWS - offset))
    base, text = split_search(queryset)
    ranked = relevance_window(base, terms_of(text)).ranked
    ids = [pk for pk, _tier in ranked[offset : offset + size]]
    more = len(ranked) > offset + size
    # Load the page's rows with everything they show.
    loaded = {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}
    rows = [loaded[pk] for pk in ids if pk in loaded]
    previous = encode_offset(max(0, offset - size)) if offset else None
    return Page(rows, encode_offset(offset + size) if more else None, previous)


# ------------------------------------------------------------------ across all types


@dataclass(frozen=True)
class SearchHit:
    """One record found by `search_all`.

    `snippet` is HTML: the record's text (names, notes) around the matched words, with everything
    HTML-escaped except the <mark>…</mark> around each match — safe to insert into a page as is.
    When a record matched only by a similar spelling of its name, no word is marked.
    """

    record_type: str
    id: int
    name: str
    date: str
    snippet: str
    rank: float
    label: str = ""
    labels: dict | None = None
    aliases: tuple[str, ...] = ()

    @property
    def marked(self) -> bool:
        """Whether the snippet highlights a matched word (not only a similar spelling of the name)."""
        return "<mark>" in self.snippet

    @property
    def web_url(self) -> str:
        return record_url(self.record_type, self.id)


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    has_more: bool
    loose: bool = False  # nothing matched closely; these are names spelt similarly
    terms: Terms | None = field(default=None, compare=False)  # what was searched (for `matches_per_type`)


def _document():
    """The text a snippet is cut from: names in every language, aliases, notes."""
    parts = [
        F("label"),
        Func(F("labels"), Value("ru"), function="jsonb_extract_path_text", output_field=TextField()),
        Func(F("labels"), Value("kk"), function="jsonb_extract_path_text", output_field=TextField()),
        Func(F("aliases"), Value(", "), function="array_to_string", output_field=TextField()),
        F("notes"),
    ]
    joined = Func(
        Value(" · "), *(NullIf(part, Value("")) for part in parts), function="concat_ws", output_field=TextField()
    )
    return Func(joined, Value(_START + _STOP), Value(""), function="translate", output_field=TextField())


def snippet_html(raw: str) -> str:
    """Escape a ts_headline result and turn its private highlight marks into <mark> elements."""
    return html.escape(raw or "", quote=True).replace(_START, "<mark>").replace(_STOP, "</mark>")


CYRILLIC = re.compile("[а-яёәғқңөұүһі]")


def search_all(
    query: str, *, types: list[str] | None = None, limit: int = 20, offset: int = 0, loose: bool = True
) -> SearchResults:
    """Published records of any type (or of `types`) matching `query`, best first.

    The window's queries (see `relevance_window`), then the page's rows and their snippets: the cost
    does not grow with the page size. When the first page finds nothing and `loose`, the search runs
    once more with a lower trigram threshold, for spellings further off ("Korgan" → Kurgan).
    `offset + limit` is capped at RELEVANCE_MAX_ROWS.
    """
    query = clean_query(query)
    limit = max(0, min(limit, RELEVANCE_MAX_ROWS - offset))
    if not query or limit <= 0 or offset < 0:
        return SearchResults([], False)
    results = _search_page(query, types, limit, offset)
    if loose and not results.hits and not offset:
        looser = _search_page(query, types, limit, offset, loose=True)
        if looser.hits:
            return SearchResults(looser.hits, looser.has_more, loose=True, terms=looser.terms)
    return results


def _published(types: list[str] | None) -> QuerySet:
    queryset = Record.objects.published()
    return queryset.filter(record_type__in=types) if types else queryset


def _search_page(query: str, types: list[str] | None, limit: int, offset: int, *, loose: bool = False) -> SearchResults:
    terms = terms_of(query, loose=loose)
    window = relevance_window(_published(types), terms)
    ids = [pk for pk, _tier in window.ranked[offset : offset + limit]]
    has_more = len(window.ranked) > offset + limit
    if not ids:
        return SearchResults([], False, terms=terms)
    # Only names spelt similarly matched: say so.
    loose = loose or all(tier == 2 for _pk, tier in window.ranked)
    config = "russian" if CYRILLIC.search(query.lower()) else "english"
    headline = SearchHeadline(
        _document(),
        SearchQuery(query, config=config, search_type="websearch"),
        config=config,
        start_sel=_START,
        stop_sel=_STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    rows = {
        row["pk"]: row
        for row in Record.objects.filter(pk__in=ids)
        .annotate(snippet=headline)
        .values("pk", "record_type", "label", "labels", "aliases", "date", "snippet")
    }
    hits = [
        SearchHit(
            record_type=row["record_type"],
            id=row["pk"],
            name=pick_label(row["labels"], row["label"]),
            date=row["date"],
            snippet=snippet_html(row["snippet"]),
            rank=round(float(window.scores.get(row["pk"]) or 0), 6),
            label=row["label"],
            labels=row["labels"],
            aliases=tuple(row["aliases"]),
        )
        for row in (rows[pk] for pk in ids if pk in rows)
    ]
    return SearchResults(hits, has_more, loose=loose, terms=terms)


def estimated_rows(queryset: QuerySet) -> int:
    """The planner's estimate of how many rows `queryset` has (from the tables' statistics; no scan)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with read_connection().cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _count_per_type(matches: QuerySet, cursor) -> dict[str, int]:
    """Matches per type, counting no further than EXACT_COUNT_LIMIT + 1 rows in all."""
    sql, params = matches.order_by().values("record_type").query.sql_with_params()
    cursor.execute(
        f"SELECT record_type, count(*) FROM ({sql} LIMIT {EXACT_COUNT_LIMIT + 1}) m GROUP BY record_type", params
    )
    return dict(cursor.fetchall())


def matches_per_type(query: str, names: list[str], *, terms: Terms | None = None) -> tuple[dict[str, int], bool]:
    """How many published records of each type match `query` (the records `search_all` ranks):
    (counts, exact).

    Counted exactly up to EXACT_COUNT_LIMIT matches (one bounded scan of the full-text index, and a
    second for the near spellings when the words match nothing: only then are they part of the
    results); beyond, the planner's estimate of all the matches is apportioned among the types by
    their shares in a uniform sample of the matches (exact False), which pages show as such —
    counting every record with a common word would cost as much as scoring them.
    """
    query = clean_query(query)
    if not query:
        return {}, True
    terms = terms if terms is not None and terms.text == query else terms_of(query)
    published = _published(names)
    with read_connection().cursor() as cursor:
        counts = _count_per_type(published.filter(terms.words), cursor)
        found = sum(counts.values())
        if not found and terms.similar is not None:
            similar = _count_per_type(published.filter(terms.similar).exclude(terms.words), cursor)
            for name, count in similar.items():
                counts[name] = counts.get(name, 0) + count
            found += sum(similar.values())
    if found <= EXACT_COUNT_LIMIT:
        return counts, True
    shares, sampled_total = _type_shares(published.filter(terms.words))
    total = max(found, sampled_total or estimated_rows(published.filter(terms.words)))
    shares = shares or counts
    sampled = sum(shares.values())
    # An estimate is never below what the bounded scan already saw.
    estimates = {name: max(round(total * shares.get(name, 0) / sampled), counts.get(name, 0)) for name in names}
    return {name: n for name, n in estimates.items() if n}, False


def _type_shares(matches: QuerySet) -> tuple[dict[str, int], int | None]:
    """The types of a uniform sample of `matches` — the first SHARES_SAMPLE in hash order, walking
    at most WALK records — and how many matches that sample stands for (None when the walk ended
    first: then the sample covers the walk's share of the hash values; empty when it met too few
    to apportion by)."""
    bound = min(1.0, WALK / max(1, published_total()))
    walk = matches if bound >= 1 else matches.filter(LessThan(HASH_KEY, hash_bound(bound)))
    rows = list(walk.order_by(*WINDOW_ORDER).values_list("record_type", HASH_KEY)[:SHARES_SAMPLE])
    shares: dict[str, int] = {}
    for name, _key in rows:
        shares[name] = shares.get(name, 0) + 1
    if len(rows) == SHARES_SAMPLE:  # the lowest hashes stand for their share of all the values
        return shares, round(len(rows) * HASH_VALUES / (rows[-1][1] + HASH_VALUES // 2 + 1))
    if bound >= 1 or len(rows) >= SHARES_SAMPLE // 8:  # the walk met every match in its share
        return shares, round(len(rows) / bound)
    return {}, None
