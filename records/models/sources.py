"""Sources (archival files and publications) and the citations that tie records to them."""

from django.db import models
from django.db.models import Q

from records.models.base import Record, json_type_is
from records.models.organizations import Organization
from records.models.vocabularies import SourceKind


class Source(Record):
    """An archival file (archive, fund, series, file, pages) or a publication. `label` is the title;
    `date` the year of publication (or the file's dates)."""

    record_ptr = models.OneToOneField(
        Record, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="as_source"
    )

    kind = models.ForeignKey(SourceKind, on_delete=models.PROTECT, related_name="+")
    # archival file
    archive = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="archival_sources"
    )
    fund = models.CharField(max_length=50, blank=True)
    series = models.CharField(max_length=50, blank=True, help_text="Series or inventory (opis)")
    file = models.CharField(max_length=50, blank=True)
    # publication
    authors = models.JSONField(
        default=list, blank=True, help_text='[{"family": ..., "given": ...}] or [{"literal": ...}]'
    )
    editors = models.JSONField(default=list, blank=True)
    container_title = models.CharField(max_length=500, blank=True, help_text="Journal, book or website")
    publisher = models.CharField(max_length=300, blank=True)
    publisher_place = models.CharField(max_length=200, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    issue = models.CharField(max_length=50, blank=True)
    edition = models.CharField(max_length=50, blank=True)
    pages = models.CharField(max_length=100, blank=True, help_text="Pages of the file or of the publication")
    doi = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    accessed = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=10, blank=True, help_text="BCP 47, e.g. en, ru, kk, uk")

    class Meta:
        db_table = "records_source"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="archival_file") | (Q(archive__isnull=False) & ~Q(file="")),
                name="source_archival_file_located",
                violation_error_message="An archival file needs its archive and file number.",
            ),
            models.CheckConstraint(
                condition=Q(doi="") | Q(doi__regex=r"^10\.[0-9]{4,9}/\S+$"),
                name="source_doi_format",
                violation_error_message="A DOI looks like 10.1234/abc.",
            ),
            models.CheckConstraint(
                condition=json_type_is("authors", "array") & json_type_is("editors", "array"),
                name="source_people_are_lists",
            ),
        ]


class Citation(models.Model):
    """Evidence: a record (optionally one of its fields) supported by a source at a locator, with a quote.

    Citations are part of the cited record's state: they are proposed, reviewed and revised with it.
    """

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citing")
    field = models.CharField(
        max_length=60, blank=True, help_text="The field the source supports; empty for the whole record"
    )
    locator = models.CharField(max_length=200, blank=True, help_text="Pages or other place in the source")
    quote = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "records_citation"
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["source", "record"], name="citation_source_record")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(record=models.F("source")),
                name="citation_not_self",
                violation_error_message="A source cannot cite itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.locator}".strip()
