"""Search across records: PostgreSQL full-text search plus trigram matching of names.

Full text (weighted: names, then English and Russian text) finds words; trigram word similarity on
the unaccented names and their transliterations finds spelling variants ("Korgan" → Kurgan,
"Oskemen" → Ust-Kamenogorsk through its alias, "Курган" → Kurgan through transliteration).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Greatest, Lower
from unidecode import unidecode

MAX_QUERY = 200


def unaccent(value: str) -> Func:
    return Func(Value(value), function="bailanys_unaccent", output_field=TextField())


def clean_query(query: str) -> str:
    return " ".join((query or "").split())[:MAX_QUERY]


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
    rank = SearchRank(F("search_vector"), simple) + SearchRank(F("search_vector"), english) + similarity
    return queryset.filter(condition).annotate(search_rank=rank)
