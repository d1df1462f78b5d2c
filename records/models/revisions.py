"""Revisions: the immutable history of every record."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from records.models.base import Record


class Revision(models.Model):
    """One published state of a record: a full snapshot, who proposed it, who approved it, and when.

    Written once, in the transaction that approves a proposal; a database trigger refuses any
    UPDATE or DELETE afterwards (migration 0002), so a revision's permalink shows the same thing forever.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        WITHDRAW = "withdraw", _("withdrawn")
        REVERT = "revert", _("reverted")

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    snapshot = models.JSONField(help_text="The complete state of the record at this revision")
    summary = models.CharField(max_length=500, blank=True)
    proposal = models.ForeignKey("records.Proposal", on_delete=models.PROTECT, related_name="revisions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_revisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewed_revisions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "records_revision"
        ordering = ["record", "number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(
                condition=~Q(author=F("reviewer")),
                name="revision_four_eyes",
                violation_error_message="A revision's reviewer cannot be its author.",
            ),
        ]
        indexes = [models.Index(fields=["-created_at", "-id"], name="revision_recent")]

    def __str__(self) -> str:
        return f"{self.record_id} r{self.number}"
