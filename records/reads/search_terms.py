"""What a search query means: its conditions, one per relevance tier, and its scores (see
records/reads/search.py for the order they make).

- `terms_of(q)`: the tiers' conditions — a name is the query; every word in the names; the words
  anywhere in the text; names with words spelt like the query's (the near words of the published
  names, records/models/search.py) — and the scores;
- `search_filter(queryset, q)`: any record queryset narrowed to the query's matches, annotated with
  `search_rank`, its condition findable again (`split_search`) for relevance pages.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, FloatField, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Lower
from django.db.models.sql.where import WhereNode
from unidecode import unidecode

from portal.replicas import read_alias, read_connection

MAX_QUERY = 200
# When nothing matches, the near words are looked for again down to this similarity (else NEAR_WORD_SIMILARITY).
LOOSE_SIMILARITY = "0.2"


def unaccent(value) -> Func:
    expression = value if hasattr(value, "resolve_expression") else Value(value)
    return Func(expression, function="bailanys_unaccent", output_field=TextField())


def clean_query(query: str) -> str:
    """At most MAX_QUERY characters of the query, whitespace collapsed, control characters dropped."""
    text = "".join(ch for ch in (query or "") if ch.isprintable() or ch.isspace())
    return " ".join(text.split())[:MAX_QUERY]


class SearchMatch(ExpressionWrapper):
    """The condition `search_filter` adds, findable again in a queryset's WHERE (see `split_search`): relevance
    pages replace it by its tiers, which together match the same records."""

    def __init__(self, condition: Q, text: str):
        super().__init__(condition, output_field=BooleanField())
        self.text = text


@dataclass
class Terms:
    """A query's conditions, one per tier, and its scores."""

    text: str
    named: Q  # tier 0: one of the record's names is the query
    names: Q  # tier 1: every word in the names (weight A of the search vector)
    words: Q  # tier 2: the words (or their stems) anywhere in the record's text
    score: object  # for ordering any set of matches: full-text rank and closeness to the nearest name
    window_score: object  # for ordering a window: full-text rank and closeness to the main name (cheap)
    forms: list[str]  # the query as typed, and transliterated when that differs
    loose: bool = False  # near spellings by the lower threshold

    @cached_property
    def similar(self) -> Q | None:
        """Tier 3: names with words spelt like the query's (None: no word is near). Looked up (one
        query) only when asked: a search whose words match asks only to filter with `any`."""
        near = near_words(self.forms, loose=self.loose)
        return Q(_matches(F("search_vector"), Cast(Value(near), SearchQueryField()))) if near else None

    @property
    def exact_tiers(self) -> list[Q]:
        """The tiers of the query's own words (all but the near spellings)."""
        return [self.named, self.names, self.words]

    @property
    def tiers(self) -> list[Q]:
        return self.exact_tiers + ([self.similar] if self.similar is not None else [])

    @property
    def any(self) -> Q:
        condition = self.named | self.names | self.words
        return condition | self.similar if self.similar is not None else condition


def name_list(names="search_names") -> Func:
    """A record's names as an array (`search_names` joins them with " | "): indexed for exact names."""
    return Func(F(names), Value(" | "), function="string_to_array", output_field=ArrayField(TextField()))


# Each quoted lexeme of a tsquery's text ('word', with '' for a quote inside), to restrict it to weight A.
_LEXEME = "('(?:[^']|'')*')"
# How near a word of the names must be to a word of the query (pg_trgm similarity) to be tried instead.
NEAR_WORD_SIMILARITY = "0.3"
# Near words tried per word of the query.
NEAR_WORDS = 3


def _matches(vector, query) -> Func:
    """`vector @@ query` as a condition (usable in Q, filter and exclude)."""
    return Func(vector, query, template="(%(expressions)s)", arg_joiner=" @@ ", output_field=BooleanField())


def _names_only(query) -> Cast:
    """The tsquery `query` with every word restricted to weight A: the names (see indexing.py). The
    rewrite is of constants, so PostgreSQL folds it before planning: the index and statistics apply."""
    rewritten = Func(Cast(query, TextField()), Value(_LEXEME), Value(r"\1:A"), Value("g"), function="regexp_replace")
    return Cast(rewritten, SearchQueryField())


def _lexeme(word: str) -> str:
    """A word as a quoted tsquery lexeme restricted to the names (weight A)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "':A"


def near_words(forms: list[str], *, loose: bool = False) -> str | None:
    """A tsquery (text) for names spelt like the query: each of its words (of each form of the query —
    as typed, and transliterated) or a near word of the published names (see SearchWord). None when
    no word of the query is near any."""
    threshold = LOOSE_SIMILARITY if loose else NEAR_WORD_SIMILARITY
    alias = read_alias()
    with transaction.atomic(using=alias) if loose else nullcontext(), read_connection().cursor() as cursor:
        if loose:  # `%` (the index's operator) keeps to this threshold; the default one is 0.3
            cursor.execute(f"SET LOCAL pg_trgm.similarity_threshold = {threshold}")
        cursor.execute(
            f"""
            SELECT f.n, q.w, array_remove(array_agg(c.word), NULL)
            FROM unnest(%s::text[]) WITH ORDINALITY AS f(form, n),
                 unnest(tsvector_to_array(to_tsvector('simple', lower(bailanys_unaccent(f.form))))) AS q(w)
            LEFT JOIN LATERAL (
                SELECT word FROM records_searchword
                WHERE word %% q.w AND similarity(word, q.w) >= {threshold}
                ORDER BY word <-> q.w LIMIT {NEAR_WORDS}
            ) c ON true
            GROUP BY f.n, q.w ORDER BY f.n, q.w
            """,
            [forms],
        )
        rows = cursor.fetchall()
    queries = []
    for n in sorted({n for n, _w, _near in rows}):
        groups = [sorted({word, *near}) for m, word, near in rows if m == n and near]
        if groups:
            queries.append(" & ".join("(" + " | ".join(_lexeme(w) for w in group) + ")" for group in groups))
    return " | ".join(f"({q})" for q in queries) or None


def terms_of(query: str, *, loose: bool = False) -> Terms:
    """The conditions and scores of a (clean, non-empty) query (the near words are looked up only
    when asked for: `Terms.similar`)."""
    latin = unidecode(query)
    forms = [query] if latin == query else [query, latin]
    simple = SearchQuery(unaccent(query), config="simple", search_type="websearch")
    english = SearchQuery(unaccent(query), config="english", search_type="websearch")
    russian = SearchQuery(Value(query), config="russian", search_type="websearch")
    spelt = simple
    if latin != query:
        spelt = simple | SearchQuery(unaccent(latin), config="simple", search_type="websearch")
    names = Q(_matches(F("search_vector"), _names_only(spelt)))
    words = Q(_matches(F("search_vector"), spelt | english | russian))
    # (Names spelt similarly are not ranked by the near words, only by their closeness to the query.)
    rank = SearchRank(F("search_vector"), simple) + SearchRank(F("search_vector"), english)
    needles = Func(
        *(Lower(unaccent(form)) for form in forms),
        template="ARRAY[%(expressions)s]",
        output_field=ArrayField(TextField()),
    )
    named = Q(Func(name_list(), needles, template="(%(expressions)s)", arg_joiner=" && ", output_field=BooleanField()))
    # Among equals, the records whose main name is closest to the query first (two short strings: cheap).
    label_closeness = Func(
        Lower(unaccent(latin)), Lower(unaccent(F("label"))), function="similarity", output_field=FloatField()
    )
    # Similarity to the closest single name breaks ties in favour of records named like the query:
    # "Kurgan" ranks Kurgan Region above an agreement whose long title merely contains the word.
    needle = Lower(unaccent(query))
    closeness = Func(F("search_names"), needle, function="bailanys_name_similarity", output_field=FloatField())
    return Terms(query, named, names, words, rank + closeness, rank + label_closeness, forms, loose)


def search_filter(queryset: QuerySet, query: str) -> QuerySet:
    """Records matching `query`, annotated with `search_rank` (higher is better)."""
    query = clean_query(query)
    if not query:
        return queryset
    terms = terms_of(query)
    return queryset.filter(SearchMatch(terms.any, query)).annotate(search_rank=terms.score)


def is_ranked(queryset: QuerySet) -> bool:
    """Whether `search_filter` narrowed this queryset (so it can be ordered by relevance)."""
    return "search_rank" in queryset.query.annotations


def split_search(queryset: QuerySet) -> tuple[QuerySet, str]:
    """The queryset without `search_filter`'s condition, and the query text that condition was for."""
    found: list[str] = []

    def strip(node: WhereNode) -> None:
        kept = []
        for child in node.children:
            match = getattr(child, "lhs", None)
            if isinstance(match, SearchMatch) and node.connector == "AND" and not node.negated:
                found.append(match.text)
                continue
            if isinstance(child, WhereNode) and child.connector == "AND" and not child.negated:
                strip(child)
            kept.append(child)
        node.children = kept

    base = queryset.all()
    strip(base.query.where)
    if len(found) != 1:
        raise ValueError("Relevance needs exactly one search_filter.")
    return base, found[0]
