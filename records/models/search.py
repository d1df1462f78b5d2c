"""What search and the list facets read besides the records: the names' words, and facet counts.

`SearchWord`: every word of the published records' names, for spelling suggestions in search.

A misspelt name ("Ushbabastu Regon") matches no word of the full-text index. Rather than compare the
query with every record's names by trigrams (tens of microseconds per record, with hundreds of
thousands of candidates for common trigrams), search compares each word of the query with this
list of distinct words — a few tens of thousands, short — and searches the full-text index for the
near words it finds (the method pg_trgm's documentation suggests for text search).

Filled by triggers on records_record (migration 0012_search), statement by statement, so that a
publication and a bulk load alike keep it complete. Words are never removed: a word whose records
were all withdrawn only suggests a spelling that then finds nothing.

`FacetCount`: how many published records of a type have each facet key (records_record.facet_keys,
derived at publication: "kind:bilateral", "sphere:trade", "place:42", and "all" on every record), so
that an unfiltered list's facets and total are read, not counted. Kept by statement-level triggers
on records_record (migration 0012_search) in the transaction that publishes or withdraws a record.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SearchWord(models.Model):
    word = models.TextField(primary_key=True)

    class Meta:
        db_table = "records_searchword"
        indexes = [GinIndex(fields=["word"], name="searchword_word_trgm", opclasses=["gin_trgm_ops"])]

    def __str__(self) -> str:
        return self.word


class FacetCount(models.Model):
    record_type = models.CharField(max_length=20)
    key = models.TextField()
    count = models.IntegerField(default=0)

    class Meta:
        db_table = "records_facetcount"
        constraints = [models.UniqueConstraint(fields=["record_type", "key"], name="facetcount_type_key")]

    def __str__(self) -> str:
        return f"{self.record_type} {self.key}: {self.count}"


# The vocabulary facets: (facet key prefix, the record field holding the terms). Publication derives
# each record's facet keys from them (records/workflow/indexing.py); lists show them (records/reads/facets.py).
VOCABULARY_FACETS = [("kind", "kind"), ("sphere", "spheres"), ("indicator", "indicator")]
