"""The core every record shares, and the base of the typed links between records.

Every record type (Place, Agreement, ...) is a child table of `Record` (multi-table inheritance), so
all records share one identifier space (an id is never reused, across types too), one search index,
one revision history and one citation table. A row exists here only once a proposal creating it was
approved: unpublished content lives in proposals, never in these tables.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.signals import setting_changed
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "ru", "kk")
# The largest record id (PostgreSQL bigint): ids from outside are checked against it before any query.
MAX_ID = 2**63 - 1
# Sort key for records whose date has no known lower bound: they come first.
EARLIEST = dt.date(1, 1, 1)


class RecordType(models.TextChoices):
    PLACE = "place", _("Place")
    ORGANIZATION = "organization", _("Organization")
    PERSON = "person", _("Person")
    AGREEMENT = "agreement", _("Agreement")
    EVENT = "event", _("Event")
    STATISTIC = "statistic", _("Statistic")
    SOURCE = "source", _("Source")


class RecordStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Certainty(models.TextChoices):
    """How sure the evidence is: any record or link can be marked uncertain or disputed, with a note."""

    CERTAIN = "certain", _("Certain")
    UNCERTAIN = "uncertain", _("Uncertain")
    DISPUTED = "disputed", _("Disputed")


def json_type_is(field: str, json_type: str) -> Exact:
    """A boolean expression for check constraints: the JSONB column holds this JSON type."""
    return Exact(Func(F(field), function="jsonb_typeof", output_field=models.CharField()), json_type)


def record_url(record_type: str, pk: int) -> str:
    """A record's public page, /<plural>/<id>/: the URL converter turns the type into its plural.
    (`reverse` per link costs a tenth of a millisecond, and a page can show hundreds of links: the
    URL is reversed once per type, script prefix and URLconf.)"""
    return _record_url_format(record_type, get_script_prefix(), get_urlconf()).format(int(pk))


_URL_MARKER = 987654321


@functools.lru_cache(maxsize=256)
def _record_url_format(record_type: str, _prefix: str, _urlconf) -> str:
    url = reverse("record-detail", kwargs={"spec": record_type, "pk": _URL_MARKER})
    return url.replace("{", "{{").replace("}", "}}").replace(str(_URL_MARKER), "{}")


def _urls_changed(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _record_url_format.cache_clear()


setting_changed.connect(_urls_changed)


def pick_label(labels: dict, fallback: str, language: str | None = None) -> str:
    """The label in the active language, falling back to English, then to the record's main name."""
    language = (language or get_language() or "en")[:2]
    return (labels or {}).get(language) or (labels or {}).get("en") or fallback


class RecordQuerySet(models.QuerySet):
    def published(self) -> RecordQuerySet:
        """Every public read starts here."""
        return self.filter(status=RecordStatus.PUBLISHED)

    def of_type(self, record_type: str) -> RecordQuerySet:
        return self.filter(record_type=record_type)


class Record(models.Model):
    """The shared core of every record: identity, state, names, identifiers, notes, dates."""

    id = models.BigAutoField(primary_key=True)
    record_type = models.CharField(max_length=20, choices=RecordType.choices, editable=False)
    status = models.CharField(max_length=12, choices=RecordStatus.choices, default=RecordStatus.PUBLISHED)
    revision = models.PositiveIntegerField(default=1, help_text="Number of the current published revision")

    label = models.CharField(max_length=500, help_text="Main name or title (English form)")
    labels = models.JSONField(
        default=dict, blank=True, help_text='Names by language: {"en": ..., "ru": ..., "kk": ...}'
    )
    aliases = ArrayField(models.CharField(max_length=300), default=list, blank=True, help_text="Spelling variants")
    identifiers = models.JSONField(default=dict, blank=True, help_text='External ids: {"wikidata": "Q...", ...}')
    notes = models.TextField(blank=True)
    certainty = models.CharField(max_length=10, choices=Certainty.choices, default=Certainty.CERTAIN)
    certainty_note = models.TextField(blank=True)

    # The record's date or period: signed (agreements), held (events), observed (statistics),
    # valid (places), active (organizations), published (sources). EDTF with indexed bounds.
    date = models.CharField(max_length=100, blank=True, help_text="EDTF")
    date_text = models.CharField(max_length=300, blank=True, help_text="The source's own wording of the date")
    date_lower = models.DateField(null=True, blank=True, editable=False)
    date_upper = models.DateField(null=True, blank=True, editable=False)

    # Derived at publication (records/workflow/indexing.py), for filtering and search; never edited directly.
    place_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)
    search_names = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # What the list facets count this record under (records/reads/facets.py), kept in FacetCount.
    facet_keys = ArrayField(models.TextField(), default=list, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        db_table = "records_record"
        constraints = [
            models.CheckConstraint(
                condition=Q(record_type__in=RecordType.values),
                name="record_type_known",
                violation_error_message="Unknown record type.",
            ),
            models.CheckConstraint(condition=Q(status__in=RecordStatus.values), name="record_status_known"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="record_revision_positive"),
            models.CheckConstraint(
                condition=~Q(label=""), name="record_label_not_empty", violation_error_message="A record needs a name."
            ),
            models.CheckConstraint(
                condition=Q(date_lower__isnull=True) | Q(date_upper__isnull=True) | Q(date_lower__lte=F("date_upper")),
                name="record_date_bounds_ordered",
                violation_error_message="The date's lower bound must not be after its upper bound.",
            ),
            models.CheckConstraint(
                condition=~Q(date="") | (Q(date_lower__isnull=True) & Q(date_upper__isnull=True)),
                name="record_date_bounds_need_date",
            ),
            models.CheckConstraint(condition=Q(certainty__in=Certainty.values), name="record_certainty_known"),
            models.CheckConstraint(
                condition=json_type_is("labels", "object") & json_type_is("identifiers", "object"),
                name="record_labels_identifiers_are_objects",
            ),
        ]
        indexes = [
            models.Index(fields=["record_type", "status", "label", "id"], name="record_type_label"),
            models.Index(
                "record_type",
                "status",
                Coalesce("date_lower", models.Value(EARLIEST, models.DateField())),
                "id",
                name="record_type_date_lower",
            ),
            models.Index(fields=["record_type", "status", "date_upper"], name="record_type_date_upper"),
            models.Index(fields=["record_type", "status", "-updated_at", "-id"], name="record_type_updated"),
            GinIndex(fields=["place_ids"], name="record_place_ids"),
            GinIndex(fields=["search_vector"], name="record_search_vector"),
            GinIndex(fields=["search_names"], name="record_search_names_trgm", opclasses=["gin_trgm_ops"]),
            # Relevance's first-order key within a tier (records/reads/search.py): a hash of the id.
            models.Index(
                Func(F("id"), function="hashint8", output_field=models.BigIntegerField()),
                "id",
                name="record_search_order",
                condition=Q(status=RecordStatus.PUBLISHED),
            ),
            # The same order within one type: a facet's sample of a type's list walks it (records/reads/facets.py).
            models.Index(
                "record_type",
                Func(F("id"), function="hashint8", output_field=models.BigIntegerField()),
                "id",
                name="record_type_search_order",
                condition=Q(status=RecordStatus.PUBLISHED),
            ),
            # Exact names (search's first tier): `search_names` split into its names.
            GinIndex(
                Func(
                    F("search_names"),
                    models.Value(" | "),
                    function="string_to_array",
                    output_field=ArrayField(models.TextField()),
                ),
                name="record_search_name_list",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return record_url(self.record_type, self.pk)

    @property
    def is_published(self) -> bool:
        return self.status == RecordStatus.PUBLISHED

    @property
    def display_label(self) -> str:
        return pick_label(self.labels, self.label)


class Link(models.Model):
    """Base of the typed links between records: ordered, and as open to doubt as records are."""

    position = models.PositiveSmallIntegerField(default=0)
    certainty = models.CharField(max_length=10, choices=Certainty.choices, default=Certainty.CERTAIN)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Succession(Link):
    """A predecessor of a place or organization: regions were renamed, merged and split after 1991
    (Semipalatinsk region joined East Kazakhstan in 1997), so a record can point at its forerunners."""

    class Kind(models.TextChoices):
        RENAMED = "renamed", _("renamed")
        MERGED = "merged", _("merged into")
        SPLIT = "split", _("split from")
        REORGANIZED = "reorganized", _("reorganized")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="predecessor_links")
    predecessor = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="successor_links")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RENAMED)
    date = models.CharField(max_length=100, blank=True, help_text="EDTF")

    class Meta(Link.Meta):
        db_table = "records_succession"
        constraints = [
            models.CheckConstraint(
                condition=~Q(record=F("predecessor")),
                name="succession_not_self",
                violation_error_message="A record cannot be its own predecessor.",
            ),
            models.UniqueConstraint(fields=["record", "predecessor"], name="succession_unique"),
        ]
