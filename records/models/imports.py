"""Imports: a file of records a researcher brings, checked in a dry run and proposed as one change set."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from records.models.proposals import Proposal


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be checked")
    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked")
    PROPOSING = "proposing", _("being proposed")
    PROPOSED = "proposed", _("proposed")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    BIBTEX = "bibtex", "BibTeX"
    CSLJSON = "csljson", "CSL-JSON"
    GEOJSON = "geojson", "GeoJSON"


class ImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An import is its author's alone (its proposal, once made, is seen as any proposal is)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(author=user)


class Import(models.Model):
    """One uploaded file and what checking it found: its rows' errors, the published records they may
    duplicate, a preview of the changes, and once proposed the proposal. The file's bytes are kept here
    (not on a disk), so a worker on another machine reads the same file.

    queued → checking → checked → proposing → proposed; failed when the file cannot be read at all;
    cancelled by its author at any point before it is proposed.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="imports")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    filename = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=10, choices=ImportFormat.choices)
    record_type = models.CharField(max_length=20)
    content = models.BinaryField()
    dry_run = models.BooleanField(default=True, help_text="Stop after checking; propose only when asked")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows = models.PositiveIntegerField(default=0, help_text="Rows in the file")
    rows_checked = models.PositiveIntegerField(default=0, help_text="Rows checked so far (progress)")
    errors = models.JSONField(default=list, blank=True, help_text='[{"row", "column", "message"}]')
    duplicates = models.JSONField(default=list, blank=True, help_text='[{"row", "name", "record", "reason"}]')
    preview = models.JSONField(default=list, blank=True, help_text='[{"row", "action", "record", "name"}], the first')
    counts = models.JSONField(default=dict, blank=True, help_text='{"create": n, "update": n, "unchanged": n}')
    links = models.JSONField(
        default=dict, blank=True, help_text='Duplicates the author linked to existing records: {"<row>": record id}'
    )
    summary = models.CharField(max_length=500, blank=True)
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="source_import"
    )

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="import_status_known",
                violation_error_message="Unknown import status.",
            ),
            models.CheckConstraint(
                condition=Q(proposal__isnull=True) | Q(status="proposed"),
                name="import_proposal_only_when_proposed",
                violation_error_message="Only a proposed import has a proposal.",
            ),
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.filename})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.CHECKED, ImportStatus.PROPOSED, ImportStatus.FAILED, ImportStatus.CANCELLED)
