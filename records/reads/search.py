"""Search across records: PostgreSQL full-text search plus trigram matching of names.

Full text (weighted: names, then English and Russian text) finds words; trigram word similarity on
the unaccented names and their transliterations finds spelling variants ("Korgan" → Kurgan,
"Oskemen" → Ust-Kamenogorsk through its alias, "Курган" → Kurgan through transliteration).

- `search_filter(queryset, q)`: narrow any record queryset, annotated with `search_rank`.
- `relevance_page(queryset, cursor=..., size=...)`: one page of such a queryset, best first. Ranks
  are not an index order, so relevance pages by offset, and only to RELEVANCE_MAX_ROWS deep; an
  explicit ordering (name, date...) pages by keyset without limit.
- `search_all(q, types=..., limit=..., offset=...)`: the cross-type search of the search page and of
  `/api/v1/search/`: hits with type, id, name, rank and a highlighted snippet (see `SearchHit`).
"""

from __future__ import annotations

import base64
import html
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Greatest, Lower, NullIf
from unidecode import unidecode

from records.models import Record
from records.models.base import pick_label, record_url
from records.reads.pagination import BadCursor, Page

MAX_QUERY = 200
# How deep relevance-ordered results go (by offset); beyond that, refine the query or order by a field.
RELEVANCE_MAX_ROWS = 500
# How many matches are ranked at most (the rest of a very common word's matches are not ranked).
RELEVANCE_CANDIDATES = 1000
# Private-use characters mark the highlights inside PostgreSQL; they become <mark> after escaping.
_START, _STOP = "\ue000", "\ue001"


def unaccent(value) -> Func:
    expression = value if hasattr(value, "resolve_expression") else Value(value)
    return Func(expression, function="bailanys_unaccent", output_field=TextField())


def clean_query(query: str) -> str:
    """At most MAX_QUERY characters of the query, whitespace collapsed, control characters dropped."""
    text = "".join(ch for ch in (query or "") if ch.isprintable() or ch.isspace())
    return " ".join(text.split())[:MAX_QUERY]


def search_filter(queryset: QuerySet, query: str) -> QuerySet:
    """Records matching `query`, annotated with `search_rank` (higher is better)."""
    query = clean_query(query)
    if not query:
        return queryset
    latin = unidecode(query)
    simple = SearchQuery(unaccent(query), config="simple", search_type="websearch")
    english = SearchQuery(unaccent(query), config="english", search_type="websearch")
    russian = SearchQuery(Value(query), config="russian", search_type="websearch")
    needle = Lower(unaccent(query))
    condition = (
        Q(search_vector=simple)
        | Q(search_vector=english)
        | Q(search_vector=russian)
        | Q(search_names__trigram_word_similar=needle)
    )
    similarity = TrigramWordSimilarity(needle, "search_names")
    if latin != query:
        condition |= Q(search_names__trigram_word_similar=Lower(unaccent(latin)))
        similarity = Greatest(similarity, TrigramWordSimilarity(Lower(unaccent(latin)), "search_names"))
    # Similarity to the closest single name breaks ties in favour of records named like the query:
    # "Kurgan" ranks Kurgan Region above an agreement whose long title merely contains the word.
    closeness = Func(F("search_names"), needle, function="bailanys_name_similarity", output_field=FloatField())
    rank = SearchRank(F("search_vector"), simple) + SearchRank(F("search_vector"), english) + similarity + closeness
    return queryset.filter(condition).annotate(search_rank=rank)


def is_ranked(queryset: QuerySet) -> bool:
    """Whether `search_filter` narrowed this queryset (so it can be ordered by relevance)."""
    return "search_rank" in queryset.query.annotations


# ------------------------------------------------------------------ relevance pages


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


@contextmanager
def index_scans():
    """Run the block's queries in a transaction whose planner keeps to the search indexes.

    PostgreSQL cannot estimate how many names a trigram condition matches; under a LIMIT it then bets
    on a table scan finding matches early — a bad bet for a rare name (seconds at a million rows). With
    table scans discouraged, the indexes are used, whose cost grows only with the matches. (SET LOCAL:
    the setting ends with the transaction.)
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield cursor


def best_first(queryset: QuerySet) -> QuerySet:
    """A `search_filter`ed queryset, best match first (ties: newest id first) — ranking no more than
    RELEVANCE_CANDIDATES matches, so that a word found in 300,000 records costs no more than a rare one.
    (Which matches are ranked when there are more is up to the index scan; refine the words, or order
    by a field, to see them all.)"""
    candidates = queryset.order_by().values("pk")[:RELEVANCE_CANDIDATES]
    return queryset.filter(pk__in=candidates).order_by("-search_rank", "-pk")


def relevance_page(queryset: QuerySet, *, cursor: str | None = None, size: int = 50) -> Page:
    """One page of a `search_filter`ed queryset, best match first (ties: newest id first)."""
    offset = decode_offset(cursor)
    size = max(1, min(size, RELEVANCE_MAX_ROWS - offset))
    # Rank narrowly (ids only), then load the page's rows with everything they show.
    with index_scans():
        ids = list(best_first(queryset).values_list("pk", flat=True)[offset : offset + size + 1])
    more = len(ids) > size and offset + size < RELEVANCE_MAX_ROWS
    ids = ids[:size]
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
# pg_trgm's default word-similarity threshold is 0.6; when nothing matches, search again at this one.
LOOSE_SIMILARITY = "0.4"


def search_all(
    query: str, *, types: list[str] | None = None, limit: int = 20, offset: int = 0, loose: bool = True
) -> SearchResults:
    """Published records of any type (or of `types`) matching `query`, best first.

    Two queries whatever the page size: the ranked page, then the snippets of its rows only. When the
    first page finds nothing and `loose`, the search runs once more with a lower trigram threshold, for
    spellings further off ("Korgan" → Kurgan). `offset + limit` is capped at RELEVANCE_MAX_ROWS.
    """
    query = clean_query(query)
    limit = max(0, min(limit, RELEVANCE_MAX_ROWS - offset))
    if not query or limit <= 0 or offset < 0:
        return SearchResults([], False)
    with index_scans():
        results = _search_page(query, types, limit, offset)
    if loose and not results.hits and not offset:
        with index_scans() as cursor:
            cursor.execute(f"SET LOCAL pg_trgm.word_similarity_threshold = {LOOSE_SIMILARITY}")
            looser = _search_page(query, types, limit, offset)
        if looser.hits:
            return SearchResults(looser.hits, looser.has_more, loose=True)
    return results


def _search_page(query: str, types: list[str] | None, limit: int, offset: int) -> SearchResults:
    queryset = Record.objects.published()
    if types:
        queryset = queryset.filter(record_type__in=types)
    rows = list(
        best_first(search_filter(queryset, query)).values(
            "pk", "record_type", "label", "labels", "aliases", "date", "search_rank"
        )[offset : offset + limit + 1]
    )
    has_more = len(rows) > limit and offset + limit < RELEVANCE_MAX_ROWS
    rows = rows[:limit]
    snippets = {}
    if rows:
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
        snippets = dict(
            Record.objects.filter(pk__in=[row["pk"] for row in rows])
            .annotate(snippet=headline)
            .values_list("pk", "snippet")
        )
    hits = [
        SearchHit(
            record_type=row["record_type"],
            id=row["pk"],
            name=pick_label(row["labels"], row["label"]),
            date=row["date"],
            snippet=snippet_html(snippets.get(row["pk"], "")),
            rank=round(float(row["search_rank"] or 0), 6),
            label=row["label"],
            labels=row["labels"],
            aliases=tuple(row["aliases"]),
        )
        for row in rows
    ]
    return SearchResults(hits, has_more)


def matches_per_type(query: str, names: list[str]) -> tuple[dict[str, int], bool]:
    """How many published records of each type match `query`, counted in one scan of at most
    RELEVANCE_CANDIDATES matches: (counts, complete). When not complete, the counts are lower bounds."""
    query = clean_query(query)
    if not query:
        return {}, True
    matches = search_filter(Record.objects.published().filter(record_type__in=names), query)
    sql, params = matches.order_by().values("record_type").query.sql_with_params()
    with index_scans() as cursor:
        cursor.execute(
            f"SELECT record_type, count(*) FROM ({sql} LIMIT {RELEVANCE_CANDIDATES + 1}) m GROUP BY record_type",
            params,
        )
        counts = dict(cursor.fetchall())
    return counts, sum(counts.values()) <= RELEVANCE_CANDIDATES
