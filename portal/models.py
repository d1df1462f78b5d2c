"""Accounts and the audit log: who may do what, and a record of what they did."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles are auth groups of these names; permissions hang on the groups (see portal/roles.py)."""

    RESEARCHER = "researcher", _("Researcher")
    REVIEWER = "reviewer", _("Reviewer")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person with an account. Public pages show `display_name`, never the e-mail address."""

    display_name = models.CharField(max_length=150, blank=True)

    class Meta:
        db_table = "portal_user"

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def has_role(self, role: str) -> bool:
        if self.is_superuser:
            return True
        return any(group.name == role for group in self.groups.all())


class AuditEntry(models.Model):
    """An append-only line of the audit log: approvals, rejections, role changes, sign-ins."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_REVOKED = "role_revoked", "Role revoked"
        PROPOSAL_SUBMITTED = "proposal_submitted", "Proposal submitted"
        PROPOSAL_APPROVED = "proposal_approved", "Proposal approved"
        PROPOSAL_REJECTED = "proposal_rejected", "Proposal rejected"
        PROPOSAL_WITHDRAWN = "proposal_withdrawn", "Proposal withdrawn"
        PROPOSAL_CONFLICT = "proposal_conflict", "Approval refused (conflict)"
        PROPOSAL_CLAIM_TAKEN = "proposal_claim_taken", "Lapsed claim on a proposal taken over"
        VOCABULARY_CHANGED = "vocabulary_changed", "Vocabulary changed"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    target = models.CharField(max_length=200, blank=True, help_text="What the action was about, e.g. proposal:12")
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["action", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"
