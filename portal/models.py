"""Accounts and the audit log: who may do what, and a record of what they did."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
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
    is_system = models.BooleanField(
        _("system account"),
        default=False,
        editable=False,
        help_text=_("Used by the portal's own tools (seed import, synthetic data); nobody can sign in as it."),
    )

    class Meta:
        db_table = "portal_user"

    def set_password(self, raw_password) -> None:
        # Whatever path sets a password (admin, allauth, a command), a system account never gets one.
        if self.is_system:
            raise PermissionDenied("System accounts have no password and cannot be signed in to.")
        super().set_password(raw_password)

    def make_system(self) -> None:
        """Mark this account as the portal's own: inactive, no usable password (the caller saves it)."""
        self.is_system = True
        self.is_active = False
        self.set_unusable_password()

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def has_role(self, role: str) -> bool:
        if self.is_superuser:
            return True
        return any(group.name == role for group in self.groups.all())


class AuditEntry(models.Model):
    """An append-only line of the audit log: approvals, rejections, accounts, roles, passwords, sign-ins.

    Append-only in the database too: a trigger (migration 0003) refuses UPDATE and DELETE."""

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
        ACCOUNT_CREATED = "account_created", "Account created"
        ACCOUNT_CHANGED = "account_changed", "Account changed"
        ACCOUNT_DELETED = "account_deleted", "Account deleted"
        ACCOUNT_ACTIVATED = "account_activated", "Account activated"
        ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_SET = "password_set", "Password set"
        PASSWORD_RESET = "password_reset", "Password reset"
        PASSWORD_RESET_SENT = "password_reset_sent", "Password reset e-mail sent"
        PASSWORD_CHANGE_REFUSED = "password_change_refused", "Password change refused"
        TOKEN_SIGN_IN = "token_sign_in", "Signed in for an API token"
        TOKEN_REVOKED = "token_revoked", "API token revoked"
        LOCKED_OUT = "locked_out", "Sign-in locked out"

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


class ApiToken(models.Model):
    """An API token of an account (`Authorization: Token <token>`): named, expiring, revocable.

    Only the SHA-256 of the token is kept; the token itself is shown once, when it is made
    (portal/tokens.py makes, checks and revokes them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, hex")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to recognise it by")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "portal_api_token"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}…)"
