"""The read model: what readers are served, stored at publication so that reading costs one indexed query.

A `Reading` is a published record's API representation as JSON text, written in the transaction that
publishes the record (records/workflow/readings.py) from the revision's snapshot, the record's identity
and the names of the records it links to. Lists and details of the API join these texts instead of
loading models and running serializers (records/reads/readings.py).

Only the names of linked records differ by language, so there is one row for the default language
(`language` = "") and a row for Russian or Kazakh only where the body differs. The texts hold relative
URLs; the host is put in front when they are served. `links` are the ids of the records whose names a
body shows, so that a rename reaches every body that shows the old name; `stale` marks a body to be
rendered again (a rename linked from very many records), and a stale body is never served.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

from records.models.base import Record

# The languages with a row of their own when their body differs from the default one.
READING_LANGUAGES = ("ru", "kk")


class Reading(models.Model):
    pk = models.CompositePrimaryKey("record_id", "language")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+", db_index=False)
    language = models.CharField(max_length=2, blank=True)
    revision = models.PositiveIntegerField(help_text="The record's revision the body shows")
    body = models.TextField(help_text="The record's API representation, JSON with relative URLs")
    links = ArrayField(models.BigIntegerField(), default=list, blank=True)
    stale = models.BooleanField(default=False)

    class Meta:
        db_table = "records_reading"
        constraints = [
            models.CheckConstraint(condition=Q(language__in=("", *READING_LANGUAGES)), name="reading_language_known"),
        ]
        indexes = [GinIndex(fields=["links"], name="reading_links")]

    def __str__(self) -> str:
        return f"{self.record_id} r{self.revision} {self.language or 'default'}"
